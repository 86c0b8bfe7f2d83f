/**
 * The npm package holds the library and nothing else: the compiled JavaScript and declarations, the jsii assembly,
 * README, LICENSE, API.md and package.json. Not the CI script, benchmarks, scripts, examples, cdk.json or a cdk.out/
 * the Quick start left behind (`files` in package.json, set in .projenrc.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../bindings/binding-names';

const LIBRARY_FILES = ['.jsii', 'API.md', 'LICENSE', 'README.md', 'package.json'];
const BUILD_OUTPUT = /^build\/.+\.(js|d\.ts)$/;

/** What `npm pack` would put in the tarball, as `npm pack --dry-run --json` lists it. */
function packedFiles(): string[] {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
}

describe('the npm package', () => {
  test('holds the build output, .jsii, README, LICENSE, API.md and package.json, and nothing else, even beside leftovers', () => {
    // GIVEN a checkout where the Quick start left a cdk.out/ and docgen:check its build/API.md (made here if they are not)
    const leftovers = [path.join(ROOT, 'cdk.out', 'manifest.json'), path.join(ROOT, 'build', 'API.md')].filter((f) => !fs.existsSync(f));
    const madeDirs = leftovers.map((f) => path.dirname(f)).filter((d) => !fs.existsSync(d));
    for (const file of leftovers) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '{}');
    }
    try {
      // WHEN npm lists what it would pack
      const files = packedFiles();
      // THEN every file is the library's, and the library is all there
      expect(files.filter((f) => !BUILD_OUTPUT.test(f) && !LIBRARY_FILES.includes(f))).toEqual([]);
      expect(files).toEqual(expect.arrayContaining([...LIBRARY_FILES, 'build/index.js', 'build/index.d.ts']));
      const compiled = (fs.readdirSync(path.join(ROOT, 'build'), { recursive: true, encoding: 'utf-8' }) as string[])
        .filter((f) => /\.(js|d\.ts)$/.test(f)).map((f) => `build/${f}`);
      expect(files.filter((f) => BUILD_OUTPUT.test(f)).sort()).toEqual(compiled.sort());
    } finally {
      for (const file of leftovers) fs.rmSync(file, { force: true });
      for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
