/**
 * Each example synthesized ONCE per test run by the real CDK CLI, its cloud assembly shared by every test that reads
 * it: the example tests, the consumer apps' TypeScript reference, cfn-lint. A worker that asks first synthesizes into
 * `.cache/example-assemblies/<key>/<example>`; the others wait for it and read the same files.
 *
 * The key is what decides the output: the aws-cdk-lib the run loads (the newest, or the peer minimum in
 * test:cdk-min, whose NODE_OPTIONS hook the CLI's app inherits) and the content of everything the app is built from
 * (lib/, examples/, cdk.json, the lockfiles, this file). A changed source gives a new key, so an assembly is never
 * read for sources it was not built from; a clean clone has none.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CDK_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const CLI_TIMEOUT_MS = 300_000;
/** A lock older than this was left by a run that died: taken over. */
const STALE_LOCK_MS = CLI_TIMEOUT_MS + 60_000;

export type ExampleName = 'serverless-first' | 'managed-hops' | 'lambda-and-hosts';

/** What `cdk synth` left, as the tests read it. */
export interface ExampleAssembly {
  readonly outdir: string;
  /** stdout and stderr of the CLI (annotations are printed on stderr). */
  readonly output: string;
  /** Wall-clock time of the one `cdk synth`, in milliseconds. */
  readonly ms: number;
  /** The aws-cdk-lib version the app ran with (tree.json: the App's constructInfo). */
  readonly cdkLibVersion: string;
  template(stackName: string): { Resources: Record<string, { Type: string; Properties?: any }>; [section: string]: any };
  validationReport(): { pluginReports: unknown[] };
  /** The trace map the checker wrote: the report's edges and paths, and its Markdown from the paths table on. */
  traceMap(): { edges: unknown[]; paths: unknown[]; markdown: string };
}

interface Recorded {
  readonly output: string;
  readonly ms: number;
}

const RECORD = 'synthesis.json';

/**
 * The example's assembly, as `cdk synth --app "npx ts-node --transpile-only --prefer-ts-exts examples/<example>/app.ts"`
 * writes it: the app cdk.json names for serverless-first (the README's quick start), without ts-node's second
 * type-check of the library (the test task type-checks examples and tests with tsc).
 */
export function exampleAssembly(example: ExampleName): ExampleAssembly {
  const outdir = path.join(ROOT, '.cache', 'example-assemblies', assemblyKey(), example);
  const record = path.join(outdir, RECORD);
  if (!fs.existsSync(record)) synthesizeOnce(example, outdir);
  const { output, ms } = JSON.parse(fs.readFileSync(record, 'utf-8')) as Recorded;
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
  return {
    outdir,
    output,
    ms,
    cdkLibVersion: read('tree.json').tree.constructInfo.version,
    template: (stackName) => read(`${stackName}.template.json`),
    traceMap: () => {
      const { edges, paths } = read('trace-merging-report.json');
      const markdown = fs.readFileSync(path.join(outdir, 'trace-merging-report.md'), 'utf-8');
      return { edges, paths, markdown: markdown.slice(markdown.indexOf('## Trace paths')) };
    },
    validationReport: () => read('validation-report.json'),
  };
}

/** Synthesizes into `outdir` unless another worker is doing it; then waits for its record. */
function synthesizeOnce(example: ExampleName, outdir: string): void {
  const lock = `${outdir}.lock`;
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  for (;;) {
    if (fs.existsSync(path.join(outdir, RECORD))) return;
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (fs.existsSync(path.join(outdir, RECORD))) return;
    const staging = `${outdir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    const started = Date.now();
    const result = spawnSync(CDK_CLI, ['synth', '--quiet', '--no-notices', '-o', staging, '--app', `npx ts-node --transpile-only --prefer-ts-exts examples/${example}/app.ts`], {
      cwd: ROOT,
      encoding: 'utf-8',
      // No network here beyond the registries: no version check, no telemetry.
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
      timeout: CLI_TIMEOUT_MS,
    });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`cdk synth of examples/${example} failed (status ${result.status}, ${result.error ?? 'no spawn error'}):\n${output}`);
    fs.writeFileSync(path.join(staging, RECORD), JSON.stringify({ output, ms: Date.now() - started } satisfies Recorded));
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    removeStaleKeys(path.dirname(outdir));
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Assemblies of the same aws-cdk-lib built from other sources can never be read again (the key names the sources):
 * removed, so that editing and re-running does not pile them up in .cache/.
 */
function removeStaleKeys(keyDir: string): void {
  const key = path.basename(keyDir);
  const sameCdk = `${key.slice(0, key.lastIndexOf('-'))}-`;
  for (const other of fs.readdirSync(path.dirname(keyDir))) {
    if (other !== key && other.startsWith(sameCdk)) fs.rmSync(path.join(path.dirname(keyDir), other), { recursive: true, force: true });
  }
}

/** The loaded aws-cdk-lib's version and a digest of every input of the examples' apps. */
function assemblyKey(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdkVersion = require('aws-cdk-lib/package.json').version as string;
  const hash = createHash('sha256');
  const inputs = [
    ...filesBelow(path.join(ROOT, 'lib')),
    ...filesBelow(path.join(ROOT, 'examples')),
    ...['cdk.json', 'package-lock.json', 'compat/min/package-lock.json', 'tsconfig.json'].map((f) => path.join(ROOT, f)),
    __filename,
  ];
  for (const file of inputs) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return `${cdkVersion}-${hash.digest('hex').slice(0, 16)}`;
}

function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' }) as string[])
    .filter((f) => !f.split(path.sep).some((part) => part === 'cdk.out' || part === 'node_modules'))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .sort();
}

/** The resources of one type in a synthesized template. */
export function resourcesOfType(template: ReturnType<ExampleAssembly['template']>, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, ...r }));
}
