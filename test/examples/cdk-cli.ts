import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** What a real `cdk synth` left in its output directory. */
export interface CliSynthesis {
  readonly outdir: string;
  /** stdout and stderr of the CLI. */
  readonly output: string;
  template(stackName: string): { Resources: Record<string, { Type: string; Properties?: any }> };
  validationReport(): { pluginReports: unknown[] };
}

/**
 * Runs the real CDK CLI at the repository root, as a user would, into a fresh directory.
 * `app` is the --app command; without it the CLI uses cdk.json (the README's quick start).
 * Throws (with the CLI's output) when the CLI fails, e.g. on an error annotation.
 */
export function cdkSynth(app?: string): CliSynthesis {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-trace-merging-example-'));
  const args = ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', outdir];
  if (app) args.push('--app', app);
  const result = spawnSync('npx', args, {
    cwd: ROOT,
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // No network beyond the npm registry here: no version check, no telemetry.
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    timeout: 110_000,
  });
  // The CLI prints annotations (warnings, errors) on stderr.
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`cdk synth failed (status ${result.status}, ${result.error ?? 'no spawn error'}):\n${output}`);
  return {
    outdir,
    output,
    template: (stackName) => JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf-8')),
    validationReport: () => JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8')),
  };
}

/** The resources of one type in a synthesized template. */
export function resourcesOfType(template: ReturnType<CliSynthesis['template']>, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, ...r }));
}
