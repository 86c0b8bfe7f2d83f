/**
 * `npm pack` compiles first when it must (scripts/prepack.sh, package.json's prepack): a clone that was never compiled,
 * or whose lib/ changed since, would otherwise pack a tarball with no library in it. Run on a copy of the script in a
 * throwaway package whose `npx` records what it was asked to run, so nothing here compiles the real library.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../bindings/binding-names';

/** A package with lib/index.ts, optionally compiled (build/index.js and .jsii), and an npx that logs its arguments. */
function packageDir(compiled: 'never' | 'fresh' | 'stale'): { dir: string; npxLog: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepack-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'prepack.sh'), path.join(dir, 'scripts', 'prepack.sh'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), 'export {};\n');
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(dir, 'lib', 'index.ts'), past, past);
  if (compiled !== 'never') {
    fs.mkdirSync(path.join(dir, 'build'));
    fs.writeFileSync(path.join(dir, 'build', 'index.js'), '');
    fs.writeFileSync(path.join(dir, '.jsii'), '{}');
    if (compiled === 'stale') fs.utimesSync(path.join(dir, '.jsii'), new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
  }
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const npxLog = path.join(dir, 'npx.log');
  fs.writeFileSync(path.join(bin, 'npx'), `#!/usr/bin/env bash\necho "$*" >> '${npxLog}'\n`, { mode: 0o755 });
  return { dir, npxLog };
}

function prepack(dir: string): { status: number | null; compiledWith: string[]; stderr: string } {
  const run = spawnSync('bash', ['scripts/prepack.sh'], {
    cwd: dir, encoding: 'utf-8', env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
  });
  const log = path.join(dir, 'npx.log');
  return { status: run.status, compiledWith: fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').trim().split('\n') : [], stderr: run.stderr };
}

describe('npm pack compiles first when it must', () => {
  test('package.json runs scripts/prepack.sh before packing', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).scripts;
    expect(scripts.prepack).toBe('bash scripts/prepack.sh');
  });

  test.each([
    ['that was never compiled', 'never' as const],
    ['whose lib/ changed since its last compile', 'stale' as const],
  ])('a clone %s is compiled before packing', (_what, compiled) => {
    // GIVEN
    const { dir } = packageDir(compiled);
    // WHEN
    const run = prepack(dir);
    // THEN
    expect(run.status).toBe(0);
    expect(run.compiledWith).toEqual(['projen compile']);
    expect(run.stderr).toContain('prepack: build/ and .jsii are missing or older than lib/: compiling before packing');
  });

  test('a fresh build is packed as it is, not compiled twice', () => {
    // GIVEN build/ and .jsii newer than lib/
    const { dir } = packageDir('fresh');
    // WHEN
    const run = prepack(dir);
    // THEN
    expect(run.status).toBe(0);
    expect(run.compiledWith).toEqual([]);
  });
});
