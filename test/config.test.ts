import { App, Aws, CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as fc from 'fast-check';
import { MergedTracingOptions, MergedTracingStack, TracingMode } from '../lib';
import { resolveTracingConfig } from '../lib/config';
import { errorOf, logicalId, plainFunction, stackIn } from './support/fixtures';
import { MergedTracing } from '../lib/instrument/merged-tracing';

const SITES = 'datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, ddog-gov.com, us2.ddog-gov.com';

/** The error applying these options to a stack throws, with the stack's path stripped off. */
function refusal(options: MergedTracingOptions): string {
  const stack = stackIn();
  return errorOf(() => MergedTracing.applyTo(stack, options)).replace(/^\[cdk-trace-merging\] Stack: /, '');
}

describe('option validation (thrown by MergedTracing.applyTo, before synthesis)', () => {
  test.each<[string, MergedTracingOptions, string]>([
    ['uppercase env', { env: 'Prod' },
      "env 'Prod' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'prod' instead."],
    ['env with a space', { env: 'my env' },
      "env 'my env' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'my_env' instead."],
    ['empty env', { env: '' }, "env is empty. Set env to a Datadog tag value such as 'prod'."],
    ['missing env (JavaScript callers)', {} as MergedTracingOptions,
      "env is required. Set env to the Datadog env of this deployment, e.g. 'prod'."],
    ['env over 200 characters', { env: 'a'.repeat(201) }, 'env is 201 characters long; Datadog tags hold at most 200. Shorten env.'],
    ['service breaking tag rules', { env: 'prod', service: 'Checkout API' },
      "service 'Checkout API' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'checkout_api' instead."],
    ['version breaking tag rules', { env: 'prod', version: 'V1 beta' },
      "version 'V1 beta' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'v1_beta' instead."],
    ['unknown site', { env: 'prod', site: 'datadoghq.co' }, `site 'datadoghq.co' is not a Datadog site. Use one of: ${SITES}.`],
    ['site given as a URL', { env: 'prod', site: 'https://app.datadoghq.eu' },
      `site 'https://app.datadoghq.eu' is not a Datadog site. Use one of: ${SITES}.`],
    ['unknown mode', { env: 'prod', mode: 'XRAY_ONLY' as TracingMode },
      "mode 'XRAY_ONLY' is not a TracingMode. Use TracingMode.SERVERLESS or TracingMode.HYBRID."],
    ['two API key sources', {
      env: 'prod',
      apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
      apiKeySsmArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd',
    }, 'the Datadog API key is given 2 ways (apiKeySecretArn, apiKeySsmArn). Keep exactly one API key source.'],
    ['plaintext API key', { env: 'prod', apiKey: 'abc123' },
      'apiKey would put the Datadog API key in plaintext into the template and the Lambda console. ' +
      'Store it in Secrets Manager and pass apiKeySecret, or set allowPlaintextApiKey: true to accept the exposure.'],
    ['allowPlaintextApiKey without apiKey', { env: 'prod', allowPlaintextApiKey: true },
      'allowPlaintextApiKey is set but apiKey is not. Remove allowPlaintextApiKey, or better, use apiKeySecret.'],
    ['apiKmsKey without its key', { env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==' },
      'apiKmsKey is set without apiKmsKeyEncryptionKey, so the kms:Decrypt grant could not be scoped to one key. ' +
      'Pass the KMS key that encrypted the API key as apiKmsKeyEncryptionKey (kms.Key.fromKeyArn for an existing key).'],
    ['secret name instead of ARN', { env: 'prod', apiKeySecretArn: 'datadog/api-key' },
      "apiKeySecretArn 'datadog/api-key' is not a Secrets Manager secret ARN; merged tracing grants the read of exactly the resource it names. " +
        'Pass the complete ARN of the one Secrets Manager secret (arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>).'],
    ['SSM parameter name instead of ARN', { env: 'prod', apiKeySsmArn: '/datadog/api-key' },
      "apiKeySsmArn '/datadog/api-key' is not an SSM parameter ARN; merged tracing grants the read of exactly the resource it names. " +
        'Pass the complete ARN of the one SSM parameter (arn:<partition>:ssm:<region>:<12-digit account>:parameter/<name>).'],
    ['an SSM ARN given as secret ARN', { env: 'prod', apiKeySecretArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd' },
      "apiKeySecretArn 'arn:aws:ssm:us-east-1:123456789012:parameter/dd' names the service 'ssm', not secretsmanager (it is not a Secrets Manager secret ARN); " +
        'merged tracing grants the read of exactly the resource it names. ' +
        'Pass the complete ARN of the one Secrets Manager secret (arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>).'],
    ['layer version 0', { env: 'prod', nodeLayerVersion: 0 },
      'nodeLayerVersion 0 is not a layer version. Set nodeLayerVersion to a whole number of at least 1, or leave it out for the default.'],
    ['fractional extension version', { env: 'prod', extensionLayerVersion: 99.5 },
      'extensionLayerVersion 99.5 is not a layer version. Set extensionLayerVersion to a whole number of at least 1, or leave it out for the default.'],
    ['tag key with a colon', { env: 'prod', tags: { 'team:name': 'x' } },
      "tag key 'team:name' breaks Datadog's tag rules for keys (a lowercase letter first, then lowercase letters, digits, '_', '-', '.' and '/'; " +
        "no ':', ',' or spaces). Use 'team_name' instead."],
    ['tag value with a comma', { env: 'prod', tags: { team: 'a,b' } },
      "tag 'team' has the value 'a,b', which breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'a_b' instead."],
  ])('%s', (_what, options, message) => {
    // GIVEN invalid options  WHEN applied  THEN the error names the scope, the problem and the fix
    expect(refusal(options)).toBe(message);
  });

  test('the KMS key without apiKmsKey is refused', () => {
    const stack = stackIn();
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(errorOf(() => MergedTracing.applyTo(stack, { env: 'prod', apiKmsKeyEncryptionKey: key }))).toBe(
      '[cdk-trace-merging] Stack: apiKmsKeyEncryptionKey is set without apiKmsKey. ' +
      'Set apiKmsKey to the KMS-encrypted API key, or remove apiKmsKeyEncryptionKey.');
  });

  test('three key sources are all named', () => {
    const stack = stackIn();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'dd');
    expect(errorOf(() => MergedTracing.applyTo(stack, {
      env: 'prod', apiKeySecret: secret, apiKey: 'x', apiKeySsmArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd',
    }))).toBe('[cdk-trace-merging] Stack: the Datadog API key is given 3 ways (apiKeySecret, apiKeySsmArn, apiKey). Keep exactly one API key source.');
  });

  test.each(SITES.split(', '))('Datadog site %s is accepted and becomes DD_SITE', (site) => {
    // GIVEN a function and a Datadog site (UK1 and US2-FED included)
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    // WHEN merged tracing is applied with that site
    MergedTracing.applyTo(stack, { env: 'prod', site });
    // THEN the function sends to it
    const vars = Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
    expect(vars.DD_SITE).toBe(site);
  });

  test('errors name where the options were given: the app, a MergedTracingStack, new MergedTracing', () => {
    // GIVEN the same bad env given three ways  THEN each error says where
    const bad = { env: 'Prod' };
    const tail = "env 'Prod' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'prod' instead.";
    expect(errorOf(() => MergedTracing.applyTo(new App(), bad))).toBe(`[cdk-trace-merging] the app: ${tail}`);
    expect(errorOf(() => new MergedTracingStack(new App(), 'Traced', { tracing: bad }))).toBe(`[cdk-trace-merging] Traced: ${tail}`);
    expect(errorOf(() => new MergedTracing(bad))).toBe(`[cdk-trace-merging] MergedTracing options: ${tail}`);
  });

  test('values only known at deployment (tokens) are not validated and reach the function', () => {
    // GIVEN env and site from CloudFormation parameters
    const stack = stackIn();
    const env = new CfnParameter(stack, 'DdEnv').valueAsString;
    const site = new CfnParameter(stack, 'DdSite').valueAsString;
    const fn = plainFunction(stack, 'Fn');
    // WHEN
    MergedTracing.applyTo(stack, { env, site, apiKeySsmArn: `arn:${Aws.PARTITION}:ssm:us-east-1:123456789012:parameter/dd` });
    // THEN
    const vars = Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
    expect([vars.DD_ENV, vars.DD_SITE]).toEqual([{ Ref: 'DdEnv' }, { Ref: 'DdSite' }]);
  });
});

describe('the options signature (what makes instrumenting twice a no-op)', () => {
  const tagValue = fc.stringMatching(/^[a-z0-9_\-:./]{1,12}$/);
  const optionsArb = fc.record({
    env: tagValue,
    service: tagValue,
    version: tagValue,
    mode: fc.constantFrom(TracingMode.SERVERLESS, TracingMode.HYBRID),
    site: fc.constantFrom(...SITES.split(', ')),
    extensionLayerVersion: fc.integer({ min: 1, max: 200 }),
    nodeLayerVersion: fc.integer({ min: 1, max: 200 }),
    // Versions above the newest Datadog published need it.
    allowNewerLayerVersions: fc.constant(true),
    tags: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxKeys: 3 }),
    logLevel: fc.constantFrom('debug', 'info', 'warn'),
  }, { requiredKeys: ['env', 'allowNewerLayerVersions'] });

  /** The same object with its keys (and its tags' keys) in reverse order. */
  const reordered = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).reverse()
    .map(([k, v]) => [k, v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse()) : v]));

  test('equal options have equal signatures, whatever the key order', () => {
    fc.assert(fc.property(optionsArb, (options) => {
      const a = resolveTracingConfig(options as MergedTracingOptions, 'here').signature;
      const b = resolveTracingConfig(reordered(options) as unknown as MergedTracingOptions, 'here').signature;
      expect(b).toBe(a);
    }), { numRuns: 200 });
  });

  test('options that differ in what they set have different signatures', () => {
    fc.assert(fc.property(optionsArb, tagValue, (options, otherEnv) => {
      fc.pre(otherEnv !== options.env);
      const a = resolveTracingConfig(options as MergedTracingOptions, 'here').signature;
      const b = resolveTracingConfig({ ...options, env: otherEnv } as MergedTracingOptions, 'here').signature;
      expect(b).not.toBe(a);
    }), { numRuns: 200 });
  });
});
