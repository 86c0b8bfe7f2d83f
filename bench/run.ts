/* Synth benchmark: `npm run bench` (options: --sizes 100,500,1000 --reps 5 --out bench/RESULTS.md --no-warmup).
 * Never part of `npm test`; test/bench holds a 10-function smoke of this script. */
import { execSync } from 'child_process';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { join, resolve } from 'path';
import { transpileForBench } from './compile';
import { measureOnce, Sample } from './measure';
import { MachineInfo, renderMarkdown, VARIANTS } from './report';
import { traceMapCost, traceMapCostMarkdown } from './trace-map-cost';

export interface BenchOptions {
  readonly sizes: number[];
  readonly repetitions: number;
  /** Markdown file to write. */
  readonly out: string;
  /** One discarded run of each variant at the smallest size first (disk cache, JIT of the CLI). */
  readonly warmup: boolean;
  /** Progress lines; silent when omitted. */
  readonly log?: (line: string) => void;
}

const REPO_ROOT = resolve(__dirname, '..');

/** Runs the benchmark, writes the Markdown and returns it with the samples. */
export async function runBenchmark(options: BenchOptions): Promise<{ markdown: string; samples: Sample[] }> {
  const log = options.log ?? (() => undefined);
  const work = join(REPO_ROOT, 'bench', 'out', `run-${process.pid}`);
  const jsRoot = join(work, 'js');
  mkdirSync(work, { recursive: true });
  try {
    transpileForBench(REPO_ROOT, jsRoot);
    const loadAverageStart = os.loadavg();
    const date = new Date().toISOString();
    let counter = 0;
    const once = async (variant: string, n: number) => measureOnce(jsRoot, variant, n, join(work, `cdk.out-${counter++}`));

    if (options.warmup) {
      for (const variant of VARIANTS) await once(variant, Math.min(...options.sizes));
      log('warm-up done');
    }
    const samples: Sample[] = [];
    for (const n of options.sizes) {
      for (let rep = 0; rep < options.repetitions; rep++) {
        for (const variant of runOrder(rep)) {
          const sample = await once(variant, n);
          samples.push(sample);
          log(`${n} functions, rep ${rep + 1}/${options.repetitions}, ${variant}: construct+synth ${Math.round(sample.buildMs + sample.synthMs)} ms, ` +
            `process ${Math.round(sample.processMs)} ms, peak RSS ${Math.round(sample.peakRssKb / 1024)} MiB`);
        }
      }
    }
    const machine: MachineInfo = {
      date,
      nproc: os.cpus().length,
      memoryGiB: os.totalmem() / 2 ** 30,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      nodeVersion: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      commit: gitCommit(),
      loadAverageStart,
      loadAverageEnd: os.loadavg(),
    };
    const checker = samples.find((s) => s.variant === 'merged')?.checker;
    const notes = [
      checker === 'stack' ? '(b) includes the check, which MergedTracingStack adds itself.'
        : checker === 'applyTo' ? '(b) includes the check, added with `TraceMerging.check(app)`.'
          : '(b) ran **without** the check.',
    ];
    // The map's share is too small for the paired runs to see through machine noise: measured inside one profiled run.
    const mapCost = traceMapCost(jsRoot, Math.max(...options.sizes), work);
    log(`trace map: ${Math.round(mapCost.mapMs)} ms of ${Math.round(mapCost.constructAndSynthMs)} ms construct + synth`);
    const markdown = renderMarkdown(machine, samples, notes, traceMapCostMarkdown(mapCost));
    writeFileSync(options.out, markdown);
    return { markdown, samples };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The variants of one repetition. (b) and (d) always run back to back, first one then the other in turn,
 * so their paired ratio compares two runs under the same machine conditions; the blocks rotate each
 * repetition so no variant always runs first (or right after the heaviest).
 */
export function runOrder(rep: number): string[] {
  const pair = rep % 2 === 0 ? ['merged', 'handwritten'] : ['handwritten', 'merged'];
  const blocks = [pair, ['plain'], ['datadog']];
  return blocks.map((_, i) => blocks[(i + rep) % blocks.length]).flat();
}

function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- lib', { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${head} (lib/ has uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

export function parseArgs(argv: string[]): BenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (value('--sizes') ?? '100,500,1000').split(',').map(Number);
  const repetitions = Number(value('--reps') ?? '5');
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(repetitions) || repetitions < 1) {
    throw new Error('usage: run.ts [--sizes 100,500,1000] [--reps 5] [--out bench/RESULTS.md] [--no-warmup]');
  }
  return {
    sizes,
    repetitions,
    out: resolve(value('--out') ?? join(REPO_ROOT, 'bench', 'RESULTS.md')),
    warmup: !argv.includes('--no-warmup'),
  };
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  runBenchmark({ ...options, log: (line) => process.stderr.write(line + '\n') })
    .then(() => process.stderr.write(`wrote ${options.out}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
}
