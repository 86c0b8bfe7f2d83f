/**
 * Synthesizes an app with the real CDK CLI of this repository (node_modules/.bin/cdk), the way a user
 * of any language does (`cdk synth --app "..."`), into a fresh directory, and reads what tests compare.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleAssembly } from '../../examples/example-assemblies';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const CDK_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk');
export const STACK = 'ServerlessFirst';
/** A first install downloads aws-cdk-lib (~100 MB per language) and, for Maven, its plugins. */
export const INSTALL_TIMEOUT_MS = 900_000;
export const SYNTH_TIMEOUT_MS = 300_000;

export interface Synthesis {
  /** `<STACK>.template.json` as the CLI wrote it. */
  readonly template: Record<string, any>;
  /** The aws-cdk-lib version the app ran with (tree.json: the App's constructInfo). */
  readonly cdkLibVersion: string;
  /** Wall-clock time of `cdk synth`, in milliseconds. */
  readonly ms: number;
}

export interface SynthOptions {
  /** The app's directory (the CLI runs there). */
  readonly cwd: string;
  /** The `--app` command, e.g. `python3 app.py`. */
  readonly app?: string;
  /** Added to the test process's environment. */
  readonly env?: Record<string, string>;
  readonly timeoutMs: number;
}

/** The TypeScript example (cdk.json's app at the root), from the run's one shared synthesis of it. */
export function typescriptExample(): Synthesis {
  const example = exampleAssembly('serverless-first');
  return { template: example.template(STACK), cdkLibVersion: example.cdkLibVersion, ms: example.ms };
}

export function cdkSynth(options: SynthOptions): Synthesis {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-trace-merging-consumer-'));
  try {
    const started = Date.now();
    const result = spawnSync(CDK_CLI, [
      'synth', '--quiet', '--no-notices', '-o', outdir,
      ...(options.app ? ['--app', options.app] : []),
    ], {
      cwd: options.cwd,
      encoding: 'utf-8',
      // No version check, no telemetry: the only network the apps may use is their package registry.
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', ...options.env },
      timeout: options.timeoutMs,
    });
    const ms = Date.now() - started;
    if (result.status !== 0) {
      throw new Error(`cdk synth in ${path.relative(ROOT, options.cwd) || '.'} failed (status ${result.status}, ${result.error ?? 'no spawn error'}):\n${result.stdout}${result.stderr}`);
    }
    const template = JSON.parse(fs.readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf-8'));
    const tree = JSON.parse(fs.readFileSync(path.join(outdir, 'tree.json'), 'utf-8'));
    return { template, cdkLibVersion: tree.tree.constructInfo.version, ms };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs a set-up command (an install) and returns how long it took, in milliseconds. */
export function timedSetup(command: string, args: string[], env: Record<string, string>, timeoutMs: number): number {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, ...env }, timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (status ${result.status}, ${result.error ?? 'no spawn error'}):\n${result.stdout}${result.stderr}`);
  }
  return Date.now() - started;
}

/** The aws-cdk-lib version of the npm devDependency, which the TypeScript example runs with. */
export function npmCdkLibVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).devDependencies['aws-cdk-lib'];
}
