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
  test('holds the build output, .jsii, README, LICENSE, API.md and package.json, and nothing else, even beside a cdk.out/', () => {
    // GIVEN a checkout where the Quick start left a cdk.out/ behind (made here if it is not)
    const leftover = path.join(ROOT, 'cdk.out');
    const made = !fs.existsSync(leftover);
    if (made) {
      fs.mkdirSync(leftover);
      fs.writeFileSync(path.join(leftover, 'manifest.json'), '{}');
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
      if (made) fs.rmSync(leftover, { recursive: true, force: true });
    }
  });
});
