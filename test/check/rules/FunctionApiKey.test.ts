import { App, Stack, Validations } from 'aws-cdk-lib';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { FunctionApiKey } from '../../../lib/check/rules/FunctionApiKey';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { TracingMode } from '../../../lib/options';
import { ACCOUNT, plainFunction } from '../../support/fixtures';
import { findings, reportEntries } from '../validation';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-api-key-AbCdEf`;

/** The facts FunctionApiKey reads: the mode and the environment. */
const fn = (mode: TracingMode | undefined, env: Record<string, unknown>) => ({ mode, env }) as Parameters<typeof FunctionApiKey.check>[0];

describe('FunctionApiKey', () => {
  test('a SERVERLESS function with no key source is non-compliant: the extension sends nothing', () => {
    expect(FunctionApiKey.check(fn(TracingMode.SERVERLESS, { DD_ENV: 'prod' }))).toEqual({
      outcome: 'non-compliant',
      problem: 'has no Datadog API key (none of DD_API_KEY_SECRET_ARN, DD_API_KEY_SSM_ARN, DD_KMS_API_KEY, DD_API_KEY), '
        + 'so the Datadog extension sends no trace: nothing of it reaches Datadog.',
      fix: 'Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the merged-tracing options, or set one of those variables on the function.',
    });
  });

  test.each(['DD_API_KEY_SECRET_ARN', 'DD_API_KEY_SSM_ARN', 'DD_KMS_API_KEY', 'DD_API_KEY'])('%s is a source (PlaintextApiKey reports which)', (name) => {
    expect(FunctionApiKey.check(fn(TracingMode.SERVERLESS, { [name]: { Ref: 'Key' } }))).toEqual({ outcome: 'not-applicable' });
  });

  test('HYBRID functions are X-Ray traced, whatever the key: not this rule\'s business; an unknown mode neither', () => {
    expect(FunctionApiKey.check(fn(TracingMode.HYBRID, {}))).toEqual({ outcome: 'not-applicable' });
    expect(FunctionApiKey.check(fn(undefined, {}))).toEqual({ outcome: 'not-applicable' });
  });
});

describe('an app without an API key source is never reported merged', () => {
  /** An app with two functions in one stack, instrumented with or without a key. */
  function app(options: { apiKeySecretArn?: string; mode?: TracingMode }): { app: App; stack: Stack } {
    const root = new App();
    const stack = new Stack(root, 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    plainFunction(stack, 'Billing');
    MergedTracing.applyTo(root, { env: 'prod', ...options });
    MergedTracingChecker.applyTo(root);
    return { app: root, stack };
  }

  test('no key: every function incomplete with FunctionApiKey missing, said once by the stack\'s NoApiKey and not again per function', () => {
    // GIVEN
    const { app: root } = app({});
    // WHEN synthesized
    const entries = reportEntries(root);
    // THEN
    expect(entries.map((e) => [e.path, e.status, e.missing])).toEqual([
      ['Shop/Billing', 'incomplete', ['FunctionApiKey']],
      ['Shop/Orders', 'incomplete', ['FunctionApiKey']],
    ]);
    expect(entries[0].findings.map((f) => f.message)).toEqual([
      'This function has no Datadog API key (none of DD_API_KEY_SECRET_ARN, DD_API_KEY_SSM_ARN, DD_KMS_API_KEY, DD_API_KEY), so the Datadog '
      + 'extension sends no trace: nothing of it reaches Datadog. Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the '
      + 'merged-tracing options, or set one of those variables on the function.',
    ]);
    expect(findings(root, 'warning')).toEqual([]);
  });

  test('with a key: merged', () => {
    const { app: root } = app({ apiKeySecretArn: SECRET_ARN });
    expect(reportEntries(root).map((e) => e.status)).toEqual(['merged', 'merged']);
  });

  test('HYBRID without a key: X-Ray traces the functions, so they stay xray-traced', () => {
    const { app: root } = app({ mode: TracingMode.HYBRID });
    expect(reportEntries(root).map((e) => e.status)).toEqual(['xray-traced', 'xray-traced']);
  });

  test('the stack\'s NoApiKey acknowledged (the key comes some other way): the functions are acknowledged, not merged', () => {
    // GIVEN
    const { app: root, stack } = app({});
    Validations.of(stack).acknowledge({ id: 'cdk-trace-merging:NoApiKey', reason: 'the key is added by the platform team\'s aspect' });
    // WHEN / THEN
    expect(reportEntries(root).map((e) => [e.status, e.acknowledged])).toEqual([['acknowledged', ['FunctionApiKey']], ['acknowledged', ['FunctionApiKey']]]);
  });

  test('checked alone (instrumented by other means, no NoApiKey said): a warning on each function', () => {
    // GIVEN functions no instrumenting touched
    const root = new App();
    const stack = new Stack(root, 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    MergedTracingChecker.applyTo(root, { disabledRules: ['FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv'] });
    // WHEN / THEN
    expect(findings(root, 'warning')).toEqual(['/Shop/Orders FunctionApiKey']);
    expect(reportEntries(root).map((e) => e.status)).toEqual(['incomplete']);
  });
});
