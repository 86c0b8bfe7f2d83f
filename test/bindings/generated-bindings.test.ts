/**
 * The packages `npx projen bindings` (in `npm test`) leaves in dist/: a release's Python wheel and sdist,
 * Java jar (with sources and javadoc) in a Maven repository layout, Go module source, and the .NET code
 * (generated only: no .NET SDK here). test/consumers/ installs and runs the Python, Java and Go ones.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { artifact, dist, ROOT, zipContents } from './binding-names';

interface Assembly {
  readonly version: string;
  readonly targets: Record<string, Record<string, unknown>>;
  readonly types: Record<string, { readonly kind: 'class' | 'interface' | 'enum'; readonly name: string; readonly datatype?: boolean }>;
}

const assembly: Assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
const types = Object.values(assembly.types);
const JAVA_DIR = dist('java', 'io', 'github', 'cdktracemerging', 'cdk-trace-merging', assembly.version);

describe('generated packages', () => {
  test('the assembly targets the four languages under the published names', () => {
    expect(assembly.targets).toEqual({
      js: { npm: 'cdk-trace-merging' },
      python: { distName: 'cdk-trace-merging', module: 'cdk_trace_merging' },
      java: { package: 'io.github.cdktracemerging', maven: { groupId: 'io.github.cdktracemerging', artifactId: 'cdk-trace-merging' } },
      dotnet: { namespace: 'CdkTraceMerging', packageId: 'CdkTraceMerging' },
      go: { moduleName: 'github.com/cdk-trace-merging/cdk-trace-merging-go' },
    });
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['MergedTracingStack', 'MergedTracingOptions', 'TracingMode', 'DatadogEcsTracing']));
  });

  test('the release artifacts: Python wheel and sdist, Java jar/pom/sources/javadoc, Go module, .NET code', () => {
    const v = assembly.version;
    expect(path.basename(artifact(dist('python'), /\.whl$/))).toBe(`cdk_trace_merging-${v}-py3-none-any.whl`);
    expect(path.basename(artifact(dist('python'), /\.tar\.gz$/))).toBe(`cdk_trace_merging-${v}.tar.gz`);
    for (const suffix of ['.jar', '.pom', '-sources.jar', '-javadoc.jar']) {
      expect(fs.existsSync(path.join(JAVA_DIR, `cdk-trace-merging-${v}${suffix}`))).toBe(true);
    }
    expect(fs.readFileSync(dist('go', 'cdktracemerging', 'go.mod'), 'utf-8'))
      .toMatch(/^module github\.com\/cdk-trace-merging\/cdk-trace-merging-go\/cdktracemerging$/m);
    expect(fs.existsSync(dist('dotnet', 'CdkTraceMerging', 'CdkTraceMerging.csproj'))).toBe(true);
  });

  test('every public type is in the Python wheel, the Java sources jar, the Go module and the .NET code', () => {
    // GIVEN the packaged sources
    const wheel = zipContents(artifact(dist('python'), /\.whl$/), ['cdk_trace_merging/__init__.py']);
    const python = wheel.texts['cdk_trace_merging/__init__.py'];
    const javaSources = new Set(zipContents(path.join(JAVA_DIR, `cdk-trace-merging-${assembly.version}-sources.jar`)).names);
    const missing: string[] = [];

    // WHEN each type of the assembly is looked up in each language
    for (const type of types) {
      if (!new RegExp(`^class ${type.name}\\b`, 'm').test(python)) missing.push(`python ${type.name}`);
      if (!javaSources.has(`io/github/cdktracemerging/${type.name}.java`)) missing.push(`java ${type.name}`);
      if (!fs.existsSync(dist('dotnet', 'CdkTraceMerging', 'CdkTraceMerging', `${type.name}.cs`))) missing.push(`dotnet ${type.name}`);
      if (!fs.existsSync(dist('go', 'cdktracemerging', `${type.name}.go`))) missing.push(`go ${type.name}`);
    }

    // THEN none is missing, and the wheel carries the jsii assembly it loads at import time
    expect(missing).toEqual([]);
    expect(wheel.names.some((n) => /^cdk_trace_merging\/_jsii\/.*\.jsii\.tgz$/.test(n))).toBe(true);
  });

  test('the npm tarball the wheel embeds holds only the library (as the npm package does: test/package/npm-pack.test.ts)', () => {
    // GIVEN the wheel  WHEN the tarball inside it is listed
    const script = 'import io,json,sys,tarfile,zipfile\nz=zipfile.ZipFile(sys.argv[1])\n'
      + 'name=[n for n in z.namelist() if n.endswith(".jsii.tgz")][0]\n'
      + 'print(json.dumps(tarfile.open(fileobj=io.BytesIO(z.read(name))).getnames()))';
    const result = spawnSync('python3', ['-c', script, artifact(dist('python'), /\.whl$/)], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    expect(result.status).toBe(0);
    const files = (JSON.parse(result.stdout) as string[]).map((n) => n.replace(/^package\//, ''));
    // THEN the build output, .jsii, README, LICENSE, API.md and package.json, nothing else
    expect(files.filter((f) => !/^build\/.+\.(js|d\.ts)$/.test(f) && !['.jsii', 'API.md', 'LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'build/index.js']));
  });
});
