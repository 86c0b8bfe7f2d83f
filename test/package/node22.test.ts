/**
 * The build and the tests run on Node 22 or newer (Node 20 is out of support): scripts/node22 puts a Node of at least
 * 22 first on PATH for the command it runs, and scripts/node.sh gives the binary of one major. Each is run here with
 * the machine's Node first on PATH, so on a Node 20 machine this is the install path .ci/run takes.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../bindings/binding-names';

const run = (file: string, args: string[]) => execFileSync(path.join(ROOT, 'scripts', file), args, { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const majorOf = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

describe('Node 22 for the build and the tests', () => {
  test('scripts/node22 runs the command with a Node of 22 or newer, and npm on that Node', () => {
    // WHEN
    const version = run('node22', ['node', '--version']);
    const npmsNode = run('node22', ['npm', 'exec', '--yes', '--offline', '--', 'node', '-p', 'process.version']);
    // THEN
    expect(majorOf(version)).toBeGreaterThanOrEqual(22);
    expect(npmsNode).toBe(version);
  });

  test('scripts/node.sh gives a binary of exactly the major asked for, pinned by scripts/node-versions unless the machine has it', () => {
    // GIVEN the pins
    const pins = fs.readFileSync(path.join(ROOT, 'scripts', 'node-versions'), 'utf-8').split('\n')
      .filter((l) => /^\d/.test(l)).map((l) => l.split(/\s+/) as [string, string]);
    expect(pins.map(([major]) => major)).toEqual(['22', '24']);
    for (const [major, version] of pins) {
      // WHEN
      const binary = run('node.sh', [major]);
      const actual = execFileSync(binary, ['--version'], { encoding: 'utf-8' }).trim();
      // THEN the machine's own Node when it is that major, else the pinned release
      expect(majorOf(actual)).toBe(Number(major));
      if (binary !== execFileSync('bash', ['-c', 'command -v node'], { encoding: 'utf-8' }).trim()) expect(actual).toBe(`v${version}`);
    }
  });

  test('a major scripts/node-versions does not pin, or one that is not a number, is refused with the reason', () => {
    const unpinned = spawnSync(path.join(ROOT, 'scripts', 'node.sh'), ['18'], { encoding: 'utf-8' });
    const machineMajor = majorOf(process.version);
    if (machineMajor !== 18) {
      expect(unpinned.status).toBe(2);
      expect(unpinned.stderr.trim()).toBe('scripts/node.sh: scripts/node-versions pins no Node.js 18');
    }
    const word = spawnSync(path.join(ROOT, 'scripts', 'node.sh'), ['22; rm -rf /'], { encoding: 'utf-8' });
    expect(word.status).toBe(2);
    expect(word.stderr.trim()).toBe("scripts/node.sh: MAJOR must be a number, got '22; rm -rf /'");
  });

  test('.ci/run and the README\'s quick start run npm through scripts/node22', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf-8');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    expect(ci).toContain('scripts/node22 npm ci && scripts/node22 npm test');
    expect(readme).toContain('scripts/node22 npm ci && scripts/node22 npm test');
    expect(readme).toContain('scripts/node22 npm ci && scripts/node22 npx cdk synth');
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).engines).toEqual({ node: '>= 22.0.0' });
  });
});
