/* One measurement, in its own process so that peak RSS and module loading belong to one variant only.
 * Usage: node child.js <variant> <functionCount> <outdir>
 * Prints one JSON line (ChildResult) on stdout. Runs from the compiled copy in bench/out/js. */
import { readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';

/** What one child measures; times in milliseconds since the process started. */
export interface ChildResult {
  readonly variant: string;
  readonly functions: number;
  /** Until the variant's modules (aws-cdk-lib, this library or Datadog's) are loaded. */
  readonly loadMs: number;
  /** Constructing the app (construct tree). */
  readonly buildMs: number;
  /** app.synth(): aspects, validation, templates on disk. */
  readonly synthMs: number;
  /** CPU time (user + system, all threads) of construct + synth: less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  /** Peak resident set size the process saw, in KiB. */
  readonly maxRssKb: number;
  /** Bytes of all CloudFormation templates written. */
  readonly templateBytes: number;
  readonly resources: number;
  /** Merged variant only: whether the checker ran, and who added it ('stack' or 'applyTo'), or 'none'. */
  readonly checker?: string;
}

function main(): void {
  const [variant, countText, outdir] = process.argv.slice(2);
  const functions = Number(countText);
  if (!variant || !Number.isInteger(functions) || !outdir) {
    throw new Error('usage: child.js <plain|merged|datadog> <functionCount> <outdir>');
  }
  // Loaded here, not at the top, so loadMs covers exactly what this variant pulls in.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildApp } = require('./app') as typeof import('./app');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const variantModule = require(`./variants/${variant}`) as { hooks: import('./app').VariantHooks; checkerMode?: string };
  const loaded = performance.now();
  const cpuAtLoad = process.cpuUsage();

  const app = buildApp(functions, variantModule.hooks, outdir);
  const built = performance.now();
  app.synth();
  const synthesized = performance.now();
  const cpu = process.cpuUsage(cpuAtLoad);

  const { bytes, resources } = measureTemplates(outdir);
  rmSync(outdir, { recursive: true, force: true });
  const result: ChildResult = {
    variant,
    functions,
    loadMs: loaded,
    buildMs: built - loaded,
    synthMs: synthesized - built,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    templateBytes: bytes,
    resources,
    checker: variantModule.checkerMode,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function measureTemplates(outdir: string): { bytes: number; resources: number } {
  let bytes = 0;
  let resources = 0;
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const path = join(outdir, file);
    bytes += statSync(path).size;
    resources += Object.keys(JSON.parse(readFileSync(path, 'utf8')).Resources ?? {}).length;
  }
  return { bytes, resources };
}

if (require.main === module) main();
