import * as fs from 'fs';
import * as path from 'path';
import { ROOT, requireBindings } from './binding-names';

// `npm test` compiles with jsii (.jsii) and generates the bindings into dist/ before jest runs.
beforeAll(requireBindings);

interface Assembly {
  readonly targets: Record<string, Record<string, unknown>>;
  readonly types: Record<string, { readonly kind: 'class' | 'interface' | 'enum'; readonly name: string; readonly datatype?: boolean }>;
}

const assembly: Assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
const types = Object.values(assembly.types);
const dist = (...parts: string[]) => path.join(ROOT, 'dist', ...parts);

describe('generated bindings', () => {
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

  test('every public type exists in Python, Java, .NET and Go', () => {
    // GIVEN the generated sources
    const python = fs.readFileSync(dist('python', 'src', 'cdk_trace_merging', '__init__.py'), 'utf-8');
    const missing: string[] = [];

    // WHEN each type of the assembly is looked up in each language
    for (const type of types) {
      if (!new RegExp(`^class ${type.name}\\b`, 'm').test(python)) missing.push(`python ${type.name}`);
      if (!fs.existsSync(dist('java', 'src', 'main', 'java', 'io', 'github', 'cdktracemerging', `${type.name}.java`))) missing.push(`java ${type.name}`);
      if (!fs.existsSync(dist('dotnet', 'CdkTraceMerging', 'CdkTraceMerging', `${type.name}.cs`))) missing.push(`dotnet ${type.name}`);
      if (!fs.existsSync(dist('go', 'cdktracemerging', `${type.name}.go`))) missing.push(`go ${type.name}`);
    }

    // THEN none is missing
    expect(missing).toEqual([]);
  });

  test('the Python wheel was built from the generated source', () => {
    const wheels = fs.readdirSync(dist('wheel')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toEqual([expect.stringMatching(/^cdk_trace_merging-[\d.]+-py3-none-any\.whl$/)]);
  });
});
