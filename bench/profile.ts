/* CPU profile of one variant: `npx ts-node --project bench/tsconfig.json bench/profile.ts merged 1000`.
 * Runs the same child as the benchmark under `node --cpu-prof` and prints where the time went:
 * synth phases of aws-cdk-lib, this library's functions (inclusive) and the top self-time frames. */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { transpileForBench } from './compile';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Self and inclusive milliseconds per frame (a frame counted once per sample however deep it recurses). */
export function frameTimes(profile: CpuProfile): { self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/bench\/out\/[^/]+\//, '');
    return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id)!;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });
  return { self, inclusive };
}

const PHASES = /^(synth|invokeAspectsV2|prepareApp|validateTemplates|initializeEngine|validateTemplate|synthesizeTree|buildApp|resolveReferences|_synthesizeTree) /;

function top(map: Map<string, number>, filter: (key: string) => boolean, count: number): string[] {
  return [...map.entries()].filter(([k]) => filter(k)).sort((x, y) => y[1] - x[1]).slice(0, count)
    .map(([k, ms]) => `${Math.round(ms).toString().padStart(7)} ms  ${k}`);
}

/**
 * Runs the benchmark child for one variant and size under `node --cpu-prof` (profile and cloud assembly written in
 * `dir`) and returns its frame times and what it printed (its ChildResult line).
 */
export function profileChild(jsRoot: string, variant: string, functions: number, dir: string):
{ times: ReturnType<typeof frameTimes>; stdout: string } {
  const stdout = execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`,
    join(jsRoot, 'bench', 'child.js'), variant, String(functions), join(dir, 'cdk.out')],
  { env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  return { times: frameTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile), stdout };
}

function main(): void {
  const [variant = 'merged', count = '1000'] = process.argv.slice(2);
  const repo = resolve(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  // Inside the repository, so the transpiled code finds node_modules.
  const jsRoot = join(repo, 'bench', 'out', `profile-${process.pid}`);
  try {
    transpileForBench(repo, jsRoot);
    const { times: { self, inclusive }, stdout } = profileChild(jsRoot, variant, Number(count), work);
    process.stdout.write(stdout);
    const lines = [
      `# ${variant}, ${count} functions`,
      '## aws-cdk-lib synth phases (inclusive)', ...top(inclusive, (k) => PHASES.test(k), 12),
      '## this library (inclusive)', ...top(inclusive, (k) => / lib\//.test(k) && !k.includes('aws-cdk-lib'), 15),
      '## top self time', ...top(self, () => true, 15),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(jsRoot, { recursive: true, force: true });
  }
}

if (require.main === module) main();
