/**
 * README starts with the answer and stays short: its length, what its first screen holds, and that every snippet on it
 * is code that runs (test/readme/readme-apps.ts) and every figure is what the example app's report says.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { acknowledgeTraceBreaks, eksCluster, existingApp, newStacks } from './readme-apps';
import * as lib from '../../lib';
import { codeBlocks, ROOT } from '../bindings/binding-names';
import { findings, reportEntries } from '../check/validation';
import { exampleAssembly } from '../examples/example-assemblies';
import { deployment, eksCluster as eksClusterFixture } from '../instrument/hosts/eks/eks-fixtures';
import { ACCOUNT, plainFunction } from '../support/fixtures';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const LINES = README.split('\n');
/** What a reader sees before scrolling on GitHub, about: the title, three lines, Install and the existing-app section. */
const FIRST_SCREEN = LINES.slice(0, 60).join('\n');
const ENV = { account: ACCOUNT, region: 'us-east-1' };

/** The rows of a Markdown-like text table in a ```text block, as cells (the header row first). */
function tableRows(block: string): string[][] {
  return block.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

describe('README', () => {
  test('is at most 400 lines', () => {
    expect(LINES.length).toBeLessThanOrEqual(400);
  });

  test('its first screen is the answer: what it does, Install, the one call for an existing app, the line synth prints, the report', () => {
    expect(LINES[0]).toBe('# cdk-trace-merging');
    for (const expected of ['## Install', 'npm install ', '## Use it on an existing app', 'TraceMerging.applyTo(app, {',
      'Merged tracing report: ', 'cdk.out/trace-merging-report.md', '| Path ', '| one trace |']) {
      expect(FIRST_SCREEN).toContain(expected);
    }
  });

  test('every TypeScript block is code of readme-apps.ts, whose imports the library exports', () => {
    const source = fs.readFileSync(path.join(__dirname, 'readme-apps.ts'), 'utf-8').split('\n').map((l) => l.trim());
    const blocks = codeBlocks(README, 'ts');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      const imports = block.split('\n').filter((l) => l.startsWith('import '));
      for (const line of imports) {
        const names = /^import \{ (.+) \} from 'cdk-trace-merging';$/.exec(line)![1].split(', ');
        for (const name of names) expect(Object.keys(lib)).toContain(name);
      }
      const code = block.split('\n').filter((l) => !l.startsWith('import ') && l.trim() !== '').map((l) => l.trim());
      const at = source.indexOf(code[0]);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(source.slice(at, at + code.length)).toEqual(code);
    }
  });

  test('the existing-app call instruments and checks: merged with a key', () => {
    // GIVEN an app with one function and a secret
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'readme-existing-')) });
    const stack = new Stack(app, 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    // WHEN the README's call is made
    existingApp(app, new secretsmanager.Secret(stack, 'DatadogApiKey'));
    // THEN
    expect(reportEntries(app).map((e) => [e.path, e.status])).toEqual([['Shop/Orders', 'merged']]);
  });

  test('the new-stack snippet synthesizes a merged function', () => {
    // GIVEN a working directory with the function's folder
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-new-'));
    fs.mkdirSync(path.join(dir, 'orders'));
    fs.writeFileSync(path.join(dir, 'orders', 'index.js'), 'exports.handler = async () => ({});\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const app = new App({ outdir: path.join(dir, 'cdk.out') });
      const shared = new Stack(app, 'Shared');
      newStacks(app, new secretsmanager.Secret(shared, 'DatadogApiKey'));
      // WHEN / THEN
      expect(reportEntries(app).map((e) => [e.path, e.status])).toEqual([['Checkout/Orders', 'merged']]);
    } finally {
      process.chdir(cwd);
    }
  });

  test('the EKS snippet labels the Deployment it adds: the cluster and the workload are datadog-traced', () => {
    // GIVEN a HYBRID stack with a cluster
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'readme-eks-')) });
    const stack = new lib.MergedTracingStack(app, 'Shop', {
      env: ENV, tracing: { env: 'prod', mode: lib.TracingMode.HYBRID, apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` },
    });
    // WHEN the README's lines run
    eksCluster(stack, eksClusterFixture(stack), deployment('orders'));
    // THEN
    expect(reportEntries(app).filter((e) => e.status !== 'cdk-internal').map((e) => [e.path, e.status])).toEqual([
      ['Shop/Cluster', 'datadog-traced'], ['Shop/Cluster/manifest-Orders (Deployment default/orders)', 'datadog-traced'],
    ]);
  });

  test('the acknowledgement snippet silences TraceBreaks', () => {
    // GIVEN a state machine with X-Ray off (excluded, its error downgraded) invoking a function: the hop breaks there
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: ENV });
    const fn = plainFunction(stack, 'Worker');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn })) });
    lib.TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf`, excludeConstructPaths: ['Shop/Flow'] });
    // WHEN acknowledged as README says
    acknowledgeTraceBreaks(fn);
    // THEN
    expect(findings(app, 'warning')).toEqual([]);
  });

  test('the line synth prints and the report excerpt are what the example app\'s synthesis gives', () => {
    // GIVEN the example as the quick start synthesizes it
    const example = exampleAssembly('serverless-first');
    const report = JSON.parse(fs.readFileSync(path.join(example.outdir, 'trace-merging-report.json'), 'utf-8'));
    const [printed, excerpt] = codeBlocks(README, 'text');
    // THEN the printed line, the report's path aside
    const line = example.output.split('\n').find((l) => l.startsWith('Merged tracing report: '))!;
    expect(printed.trim()).toBe(line.replace(/Details: .*\/trace-merging-report\.md/, 'Details: cdk.out/trace-merging-report.md'));
    // and each excerpt row, paths shown below their stack
    const [resources, paths] = excerpt.split('\n\n').map(tableRows);
    expect(resources[0]).toEqual(['Path', 'Kind', 'Status', 'Runtime', 'Missing']);
    for (const [shown, kind, status, runtime, missing] of resources.slice(1)) {
      const entry = report.resources.find((r: { path: string }) => r.path === `ServerlessFirst/${shown}`);
      const runtimeText = entry.runtime ? `${entry.runtime} (${entry.architecture})` : '-';
      expect([kind, status, runtime, missing]).toEqual([entry.kind, entry.status, runtimeText, entry.missing.join(', ') || '-']);
    }
    expect(resources).toHaveLength(report.resources.length + 1);
    expect(paths.slice(1)).toEqual(report.paths.map((p: { through: string[]; trace: string }) => [
      p.through.map((t) => t.replace(/^ServerlessFirst\//, '')).join(' → '), p.trace === 'continues' ? 'one trace' : p.trace,
    ]));
  });
});
