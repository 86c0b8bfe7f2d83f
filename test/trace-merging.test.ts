import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DatadogTracedFunction, MergedTracingStack, TraceMerging } from '../lib';
import { findings, reportEntries, violationAt } from './check/validation';
import { ACCOUNT, functionProps, plainFunction } from './support/fixtures';
import { MergedTracingChecker } from '../lib/check/merged-tracing-checker';
import { REPORT_MARKDOWN } from '../lib/check/report';
import { MergedTracing } from '../lib/instrument/merged-tracing';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-api-key-AbCdEf`;

/** An app with a traced function, a legacy one, and a function whose log retention CDK implements with a function of its own. */
function shopApp(): { app: App; shop: Stack; legacy: lambda.Function; orders: lambda.Function } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'one-configuration-')) });
  const shop = new Stack(app, 'Shop', { env: ENV });
  const orders = plainFunction(shop, 'Orders', { logRetention: logs.RetentionDays.ONE_WEEK });
  const legacy = plainFunction(shop, 'Legacy', { runtime: lambda.Runtime.NODEJS_22_X });
  return { app, shop, legacy, orders };
}

describe('one configuration for instrumenting and checking', () => {
  test('the checker knows what MergedTracing.applyTo excluded: no errors on it, status excluded with the exclusion that applied', () => {
    // GIVEN an app instrumented with an exclusion, and checked with nothing repeated (not even the env)
    const { app } = shopApp();
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Legacy'] });
    MergedTracingChecker.applyTo(app);
    // WHEN synthesized  THEN no finding, and the report shows the legacy function as excluded, naming the exclusion
    expect(findings(app, 'error')).toEqual([]);
    const byPath = Object.fromEntries(reportEntries(app).map((e) => [e.path, e]));
    expect(byPath['Shop/Legacy']).toMatchObject({
      status: 'excluded', exclusion: "excludeConstructPaths 'Shop/Legacy' (options given at the app)", missing: [], findings: [],
    });
    expect(byPath['Shop/Orders']).toMatchObject({ status: 'merged', env: 'prod' });
  });

  test('excludeFunctions is named too', () => {
    const { app, legacy } = shopApp();
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeFunctions: [legacy] });
    MergedTracingChecker.applyTo(app);
    expect(reportEntries(app).find((e) => e.path === 'Shop/Legacy')).toMatchObject({ status: 'excluded', exclusion: 'excludeFunctions (options given at the app)' });
  });

  test('without a checker env, the instrumenting options\' env is the one expected', () => {
    // GIVEN a function that keeps its own DD_ENV through an escape hatch, in an app traced with env prod
    const { app, orders } = shopApp();
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Legacy'] });
    (orders.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment.Variables.DD_ENV', 'staging');
    MergedTracingChecker.applyTo(app);
    // WHEN synthesized  THEN FunctionDdEnv compares it with prod, the env of the options that instrument it
    expect(findings(app, 'error')).toEqual(['/Shop/Orders FunctionDdEnv']);
  });

  test('TraceMerging.applyTo instruments and checks with one set of options', () => {
    // GIVEN the app, and one call
    const { app, shop } = shopApp();
    new lambda.CfnFunction(shop, 'Hand', { runtime: 'nodejs22.x', handler: 'index.handler', role: `arn:aws:iam::${ACCOUNT}:role/r`, code: { zipFile: 'x' } });
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Legacy'] }, { downgradeToWarning: ['FunctionDatadogLayers'] });
    // WHEN synthesized  THEN the traced function is merged, the excluded one listed as such, the hand-written L1 checked
    const byPath = Object.fromEntries(reportEntries(app).map((e) => [e.path, e]));
    expect([byPath['Shop/Orders'].status, byPath['Shop/Legacy'].status, byPath['Shop/Hand'].status]).toEqual(['merged', 'excluded', 'incomplete']);
    expect(findings(app, 'error')).toEqual(['/Shop/Hand FunctionActiveTracing', '/Shop/Hand FunctionDdEnv', '/Shop/Hand FunctionHandlerRedirect', '/Shop/Hand FunctionMergeFlag']);
    // the hand-written L1 has no API key: the options' key is for the functions they instrument
    expect(findings(app, 'warning')).toEqual(['/Shop/Hand FunctionApiKey', '/Shop/Hand FunctionDatadogLayers']);
  });
});

describe('the report lists everything it saw', () => {
  test('CDK\'s own functions are listed as cdk-internal, and the summary reads as English', () => {
    // GIVEN a traced function with log retention (CDK adds a LogRetention function of its own)
    const { app } = shopApp();
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Legacy'] });
    // WHEN synthesized
    const entries = reportEntries(app);
    // THEN the helper is there, left alone, with why
    const internal = entries.filter((e) => e.status === 'cdk-internal');
    expect(internal.map((e) => [e.path, e.exclusion])).toEqual([
      [expect.stringMatching(/^Shop\/LogRetention[0-9a-f]+$/), "CDK's own plumbing (a provider or helper function CDK adds), not the app's workload"],
    ]);
    const summary = fs.readFileSync(path.join(app.outdir, REPORT_MARKDOWN), 'utf-8').split('\n')[2];
    expect(summary).toBe('3 resources: 1 merged, 1 excluded, 1 cdk-internal.');
  });

  test('one resource is "1 resource"', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'one-resource-')) });
    plainFunction(new Stack(app, 'Shop', { env: ENV }), 'Orders');
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    reportEntries(app);
    expect(fs.readFileSync(path.join(app.outdir, REPORT_MARKDOWN), 'utf-8').split('\n')[2]).toBe('1 resource: 1 merged.');
  });
});

describe('one way in: every public way to instrument also checks', () => {
  test('TraceMerging.check checks an app instrumented by other means, changing nothing', () => {
    // GIVEN a plain function, checked only
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'check-only-')) });
    plainFunction(new Stack(app, 'Shop', { env: ENV }), 'Orders');
    TraceMerging.check(app, { env: 'prod' });
    // WHEN synthesized  THEN nothing was added (no layers, no X-Ray), and the function is reported with what it lacks
    expect(reportEntries(app).map((e) => [e.path, e.status, e.missing])).toEqual([['Shop/Orders', 'incomplete', [
      'FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv', 'FunctionApiKey',
    ]]]);
    expect(findings(app, 'error')).toContain('/Shop/Orders FunctionActiveTracing');
  });

  test('{ enabled: false } instruments without checking, and the report says the resources were not checked', () => {
    // GIVEN
    const { app } = shopApp();
    TraceMerging.applyTo(app, { env: 'prod' }, { enabled: false });
    // WHEN synthesized  THEN no finding fails or warns, and nothing is shown as merged
    expect(findings(app, 'error')).toEqual([]);
    expect(findings(app, 'warning')).toEqual([]);
    expect(reportEntries(app).map((e) => [e.path, e.status, e.exclusion])).toEqual([
      ['Shop/Legacy', 'excluded', 'not checked: the checks were turned off (enabled: false in the check options)'],
      [expect.stringMatching(/^Shop\/LogRetention/), 'excluded', 'not checked: the checks were turned off (enabled: false in the check options)'],
      ['Shop/Orders', 'excluded', 'not checked: the checks were turned off (enabled: false in the check options)'],
    ]);
  });

  test('a DatadogTracedFunction in a plain Stack checks itself; an app-wide check covers it instead where there is one', () => {
    // GIVEN a traced function with no API key in a plain stack, next to a plain function
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'self-check-')) });
    const shop = new Stack(app, 'Shop', { env: ENV });
    new DatadogTracedFunction(shop, 'Traced', { ...functionProps(shop, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' } });
    plainFunction(shop, 'Plain');
    // WHEN synthesized  THEN the traced function alone is checked (and is not merged: it has no key)
    expect(reportEntries(app).map((e) => [e.path, e.status, e.missing])).toEqual([['Shop/Traced', 'incomplete', ['FunctionApiKey']]]);
    expect(findings(app, 'warning')).toEqual(['/Shop/Traced FunctionApiKey']);

    // GIVEN the same, under an app-wide check that downgrades FunctionApiKey's warnings away by disabling it
    const covered = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'self-check-covered-')) });
    const stack = new Stack(covered, 'Shop', { env: ENV });
    new DatadogTracedFunction(stack, 'Traced', { ...functionProps(stack, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' } });
    TraceMerging.check(covered, { disabledRules: ['FunctionApiKey'] });
    // THEN the app's check is the one that ran on it
    expect(reportEntries(covered).map((e) => [e.path, e.status])).toEqual([['Shop/Traced', 'merged']]);
  });

  test('a DatadogTracedFunction\'s own check can be turned off, and says so', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'self-check-off-')) });
    const shop = new Stack(app, 'Shop', { env: ENV });
    new DatadogTracedFunction(shop, 'Traced', { ...functionProps(shop, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' }, checks: { enabled: false } });
    expect(findings(app, 'warning')).toEqual([]);
    expect(reportEntries(app).map((e) => [e.path, e.status])).toEqual([['Shop/Traced', 'excluded']]);
  });

  test('MergedTracingStack takes check options too', () => {
    // GIVEN a stack without an API key whose check disables FunctionApiKey
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stack-checks-')) });
    const stack = new MergedTracingStack(app, 'Shop', { env: ENV, tracing: { env: 'prod' }, checks: { disabledRules: ['FunctionApiKey'] } });
    plainFunction(stack, 'Orders');
    // WHEN / THEN
    expect(reportEntries(app).map((e) => [e.path, e.status])).toEqual([['Shop/Orders', 'merged']]);
  });

  test('the library exports one entry class: the instrumenting aspect and the checker are not public', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = Object.keys(require('../lib'));
    expect(exported).toEqual(expect.arrayContaining(['TraceMerging', 'MergedTracingStack', 'DatadogTracedFunction']));
    expect(exported.filter((name) => ['MergedTracing', 'MergedTracingChecker'].includes(name))).toEqual([]);
  });
});

describe('a DD_ENV other than the expected one: the fix names where each value was set', () => {
  /** The FunctionDdEnv violation's description and fix on the construct at `at`. */
  function ddEnvFinding(app: App, at: string): { description: string; fix?: string } {
    const v = violationAt(app, at, 'FunctionDdEnv')!;
    return { description: v.description, fix: v.suggestedFix };
  }

  test('set by a DatadogTracedFunction\'s own options: change them there, or the app\'s env', () => {
    // GIVEN a function traced with its own env 'staging' in an app traced and checked with 'prod'
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'env-own-')) });
    const shop = new Stack(app, 'Shop', { env: ENV });
    new DatadogTracedFunction(shop, 'Fn', { ...functionProps(shop, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'staging', apiKeySecretArn: SECRET_ARN } });
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    // WHEN / THEN
    expect(ddEnvFinding(app, 'Shop/Fn')).toEqual({
      description: "This function has DD_ENV='staging', but this deployment's env is 'prod' (env in the options given at the app). [cdk-trace-merging:FunctionDdEnv]",
      fix: "Set env: 'prod' in the mergedTracing options of DatadogTracedFunction 'Shop/Fn' (they give 'staging'); "
        + "or, if 'staging' is right, change env in the options given at the app.",
    });
  });

  test('set in the function\'s own environment: change or remove it there', () => {
    // GIVEN a function that keeps its own DD_ENV through an escape hatch
    const { app, orders } = shopApp();
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Legacy'] });
    (orders.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment.Variables.DD_ENV', 'staging');
    // WHEN / THEN
    expect(ddEnvFinding(app, 'Shop/Orders').fix).toBe(
      "Set DD_ENV to 'prod' in the function's environment (it sets 'staging' itself), or remove it and let merged tracing set it; "
      + "or, if 'staging' is right, change env in the options given at the app.");
  });

  test('checked alone against the check options\' env', () => {
    // GIVEN a hand-wired function with DD_ENV 'staging', checked with env 'prod'
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'env-check-')) });
    plainFunction(new Stack(app, 'Shop', { env: ENV }), 'Fn', { environment: { DD_ENV: 'staging' } });
    TraceMerging.check(app, { env: 'prod' });
    // WHEN / THEN
    expect(ddEnvFinding(app, 'Shop/Fn').fix).toBe(
      "Set DD_ENV to 'prod' in the function's environment (it sets 'staging' itself), or remove it and let merged tracing set it; "
      + "or, if 'staging' is right, change env in the check options.");
  });
});
