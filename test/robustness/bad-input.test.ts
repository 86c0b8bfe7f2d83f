/**
 * The bad-input matrix: every input a real app can hand the library gives either a correct template
 * or a clear synth-time error naming the construct and the fix (or, where the app can still deploy,
 * one exact warning). Each case asserts the whole message: messages are part of the contract.
 */
import { App, CfnParameter, Lazy, NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatadogTracedFunction, MergedTracingOptions, MergedTracingStack, TracingMode } from '../../lib';
import { supportedRuntimeNames } from '../../lib/datadog/runtimes';
import { InstrumentationMarker } from '../../lib/instrument/lambda/instrumentation-marker';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { STATE_MACHINE_XRAY_ACTIONS } from '../../lib/instrument/stepfunctions/state-machine-tracing';
import { ACCOUNT, ackWarning, errorOf, functionProps, logicalId, plainFunction, synthError } from '../support/fixtures';
import { PLAINTEXT_KEY_SENTINEL } from '../support/template-checks';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';
const SSM_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/datadog/api-key';
const NODE_LAYER = 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:142';
const EXTENSION_LAYER = 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99';
const SUPPORTED = supportedRuntimeNames().join(', ');
const LOG_GROUP_ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/sfn/machine:*';
const LOG_DESTINATION = { cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP_ARN } };

/** A MergedTracingStack 'Shop' in us-east-1 (or env-agnostic with env: {}). */
function shop(tracing: MergedTracingOptions, env: { account?: string; region?: string } = ENV, app = new App()): MergedTracingStack {
  return new MergedTracingStack(app, 'Shop', { env, tracing });
}

/** The error creating a MergedTracingStack with these options throws. */
function optionsError(tracing: Partial<MergedTracingOptions>): string {
  return errorOf(() => shop(tracing as MergedTracingOptions));
}

function fnProps(fn: lambda.IFunction): Record<string, any> {
  return Template.fromStack(Stack.of(fn)).toJSON().Resources[logicalId(fn)].Properties;
}

describe('options: env (Datadog tag rules)', () => {
  test('empty env', () => {
    expect(optionsError({ env: '' })).toBe("[cdk-trace-merging] Shop: env is empty. Set env to a Datadog tag value such as 'prod'.");
  });

  test('missing env (a JavaScript caller without types)', () => {
    expect(optionsError({})).toBe("[cdk-trace-merging] Shop: env is required. Set env to the Datadog env of this deployment, e.g. 'prod'.");
  });

  test('uppercase env', () => {
    expect(optionsError({ env: 'Prod' })).toBe(
      "[cdk-trace-merging] Shop: env 'Prod' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'prod' instead.");
  });

  test('env over 200 characters', () => {
    expect(optionsError({ env: 'e'.repeat(201) })).toBe(
      '[cdk-trace-merging] Shop: env is 201 characters long; Datadog tags hold at most 200. Shorten env.');
  });

  test('env with characters Datadog tags cannot hold', () => {
    expect(optionsError({ env: 'prod eu!' })).toBe(
      "[cdk-trace-merging] Shop: env 'prod eu!' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'prod_eu_' instead.");
  });

  test('service with uppercase letters', () => {
    expect(optionsError({ env: 'prod', service: 'Orders' })).toBe(
      "[cdk-trace-merging] Shop: service 'Orders' breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'orders' instead.");
  });
});

describe('options: site, mode, tags, layer versions', () => {
  test('unknown site', () => {
    expect(optionsError({ env: 'prod', site: 'datadoghq.co' })).toBe(
      "[cdk-trace-merging] Shop: site 'datadoghq.co' is not a Datadog site. " +
      'Use one of: datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, ddog-gov.com, us2.ddog-gov.com.');
  });

  test('mode that is not a TracingMode', () => {
    expect(optionsError({ env: 'prod', mode: 'XRAY_ONLY' as TracingMode })).toBe(
      "[cdk-trace-merging] Shop: mode 'XRAY_ONLY' is not a TracingMode. Use TracingMode.SERVERLESS or TracingMode.HYBRID.");
  });

  test('tag key with a comma', () => {
    expect(optionsError({ env: 'prod', tags: { 'team,owner': 'x' } })).toBe(
      "[cdk-trace-merging] Shop: tag key 'team,owner' breaks Datadog's tag rules for keys (a lowercase letter first, then lowercase letters, " +
      "digits, '_', '-', '.' and '/'; no ':', ',' or spaces). Use 'team_owner' instead.");
  });

  test('layer version that is not a whole number', () => {
    expect(optionsError({ env: 'prod', nodeLayerVersion: 1.5 })).toBe(
      '[cdk-trace-merging] Shop: nodeLayerVersion 1.5 is not a layer version. Set nodeLayerVersion to a whole number of at least 1, or leave it out for the default.');
  });

  test('mode only known at deployment', () => {
    const stack = new Stack(new App(), 'Params');
    const mode = new CfnParameter(stack, 'Mode').valueAsString as TracingMode;
    expect(errorOf(() => MergedTracing.applyTo(stack, { env: 'prod', mode }))).toBe(
      '[cdk-trace-merging] Params: mode is only known at deployment (a token), but the Datadog variables are chosen at synthesis. ' +
      'Pass TracingMode.SERVERLESS or TracingMode.HYBRID itself.');
  });

  test('tags with an env key that would disagree with DD_ENV', () => {
    expect(optionsError({ env: 'prod', tags: { env: 'staging' } })).toBe(
      "[cdk-trace-merging] Shop: tags has the key 'env', which the env option sets (DD_ENV); the two could disagree. " +
      "Set env: 'staging' in the options instead, and remove it from tags.");
  });

  test('log level Datadog does not know', () => {
    expect(optionsError({ env: 'prod', logLevel: 'LOUD' })).toBe(
      "[cdk-trace-merging] Shop: logLevel 'LOUD' is not a Datadog log level. Use one of: trace, debug, info, warn, warning, error, critical, off.");
  });

  test('extension layer version 0', () => {
    expect(optionsError({ env: 'prod', extensionLayerVersion: 0 })).toBe(
      '[cdk-trace-merging] Shop: extensionLayerVersion 0 is not a layer version. Set extensionLayerVersion to a whole number of at least 1, or leave it out for the default.');
  });
});

describe('options: API key sources', () => {
  test('two API key sources', () => {
    const stack = new Stack(new App(), 'Keys');
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SECRET_ARN);
    expect(optionsError({ env: 'prod', apiKeySecret: secret, apiKeySsmArn: SSM_ARN })).toBe(
      '[cdk-trace-merging] Shop: the Datadog API key is given 2 ways (apiKeySecret, apiKeySsmArn). Keep exactly one API key source.');
  });

  test('plaintext key without opt-in', () => {
    expect(optionsError({ env: 'prod', apiKey: PLAINTEXT_KEY_SENTINEL })).toBe(
      '[cdk-trace-merging] Shop: apiKey would put the Datadog API key in plaintext into the template and the Lambda console. ' +
      'Store it in Secrets Manager and pass apiKeySecret, or set allowPlaintextApiKey: true to accept the exposure.');
  });

  test('allowPlaintextApiKey without a key', () => {
    expect(optionsError({ env: 'prod', allowPlaintextApiKey: true })).toBe(
      '[cdk-trace-merging] Shop: allowPlaintextApiKey is set but apiKey is not. Remove allowPlaintextApiKey, or better, use apiKeySecret.');
  });

  test('KMS-encrypted key without the key that encrypted it', () => {
    expect(optionsError({ env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==' })).toBe(
      '[cdk-trace-merging] Shop: apiKmsKey is set without apiKmsKeyEncryptionKey, so the kms:Decrypt grant could not be scoped to one key. ' +
      'Pass the KMS key that encrypted the API key as apiKmsKeyEncryptionKey (kms.Key.fromKeyArn for an existing key).');
  });

  test('encryption key without a KMS-encrypted key', () => {
    const key = kms.Key.fromKeyArn(new Stack(new App(), 'Keys'), 'K', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(optionsError({ env: 'prod', apiKmsKeyEncryptionKey: key })).toBe(
      '[cdk-trace-merging] Shop: apiKmsKeyEncryptionKey is set without apiKmsKey. Set apiKmsKey to the KMS-encrypted API key, or remove apiKmsKeyEncryptionKey.');
  });

  test('SSM ARN that is not an ARN', () => {
    expect(optionsError({ env: 'prod', apiKeySsmArn: '/datadog/api-key' })).toBe(
      "[cdk-trace-merging] Shop: apiKeySsmArn '/datadog/api-key' is not an SSM parameter ARN; merged tracing grants the read of exactly the " +
      'resource it names. Pass the complete ARN of the one SSM parameter (arn:<partition>:ssm:<region>:<12-digit account>:parameter/<name>).');
  });

  test('user DD_API_KEY beside an API key source in the options', () => {
    const stack = shop({ env: 'prod', apiKeySsmArn: SSM_ARN });
    plainFunction(stack, 'Fn', { environment: { DD_API_KEY_SECRET_ARN: SECRET_ARN } });
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop/Fn: already sets DD_API_KEY_SECRET_ARN, and the merged-tracing options give another Datadog API key source. ' +
      "Remove DD_API_KEY_SECRET_ARN from the function's environment, or remove the API key from the options. Or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).");
  });
});

describe('runtimes', () => {
  test.each([
    ['nodejs16.x', lambda.Runtime.NODEJS_16_X],
    ['python3.7', lambda.Runtime.PYTHON_3_7],
    ['ruby2.7', lambda.Runtime.RUBY_2_7],
    ['go1.x', lambda.Runtime.GO_1_X],
  ])('unsupported or deprecated runtime %s', (name, runtime) => {
    // GIVEN a function on a runtime Datadog publishes no layer for
    const stack = shop({ env: 'prod' });
    new lambda.Function(stack, 'Fn', functionProps(stack, runtime));
    // WHEN synthesized THEN the error names the runtime and the supported ones
    expect(synthError(stack)).toBe(
      `[cdk-trace-merging] Shop/Fn: uses runtime '${name}', for which Datadog publishes no Lambda layer. ` +
      `Move it to a supported runtime (${SUPPORTED}), or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).`);
  });

  test('every refused function of the app is reported in one synthesis, not only the first', () => {
    // GIVEN two legacy functions on runtimes Datadog publishes no layer for, in two stacks, and a PassThrough topic
    const app = new App();
    const shopA = new Stack(app, 'ShopA', { env: ENV });
    const shopB = new Stack(app, 'ShopB', { env: ENV });
    new lambda.Function(shopA, 'Legacy', functionProps(shopA, lambda.Runtime.NODEJS_16_X));
    new lambda.Function(shopB, 'Legacy', functionProps(shopB, lambda.Runtime.PYTHON_3_7));
    new lambda.Function(shopB, 'Current', functionProps(shopB, lambda.Runtime.NODEJS_22_X));
    new sns.Topic(shopB, 'Orders', { tracingConfig: sns.TracingConfig.PASS_THROUGH });
    MergedTracing.applyTo(app, { env: 'prod' });
    // WHEN synthesized  THEN one error names all three, each with its path, the supported runtimes and how to exclude it
    expect(synthError(app).split('\n')).toEqual([
      `[cdk-trace-merging] ShopA/Legacy: uses runtime 'nodejs16.x', for which Datadog publishes no Lambda layer. Move it to a supported runtime (${SUPPORTED}), ` +
        "or leave it out of merged tracing (excludeConstructPaths: ['ShopA/Legacy']).",
      `[cdk-trace-merging] ShopB/Legacy: uses runtime 'python3.7', for which Datadog publishes no Lambda layer. Move it to a supported runtime (${SUPPORTED}), ` +
        "or leave it out of merged tracing (excludeConstructPaths: ['ShopB/Legacy']).",
      "[cdk-trace-merging] ShopB/Orders/Resource: has tracingConfig 'PassThrough', so it forwards the trace header but sends no segment, and the topic hop is missing " +
        'from the merged trace. Remove tracingConfig from the topic props (merged tracing sets it to Active) or set it to sns.TracingConfig.ACTIVE, or exclude the topic.',
    ]);
  });

  test('provided.al2023: extension layer only, tracing on, and a warning to wrap the handler in code', () => {
    // GIVEN a custom-runtime (Go) function on arm64
    const stack = shop({ env: 'prod' });
    const fn = new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.PROVIDED_AL2023, {
      handler: 'bootstrap', architecture: lambda.Architecture.ARM_64,
    }));
    // WHEN synthesized
    const props = fnProps(fn);
    // THEN only the ARM extension layer is added, the handler stays, and the warning says what to do
    expect(props.Layers).toEqual(['arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:99']);
    expect(props.Handler).toBe('bootstrap');
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Environment.Variables).toMatchObject({ DD_ENV: 'prod', DD_MERGE_XRAY_TRACES: 'true', DD_TRACE_ENABLED: 'true' });
    Annotations.fromStack(stack).hasWarning('/Shop/Fn', ackWarning('WrapHandlerInCode',
      'custom (provided) handlers cannot be redirected by configuration: wrap the handler in code ' +
      '(Ruby: Datadog::Lambda.wrap; Go: ddlambda.WrapFunction) so Datadog traces the invocations.'));
  });

  test('a runtime only known at deployment', () => {
    // GIVEN a function whose runtime is a parameter
    const stack = shop({ env: 'prod' });
    const runtime = new lambda.Runtime(new CfnParameter(stack, 'Runtime').valueAsString, lambda.RuntimeFamily.NODEJS);
    new lambda.Function(stack, 'Fn', functionProps(stack, runtime));
    // WHEN synthesized THEN the error says no layer can be chosen, and how to fix it
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop/Fn: has a runtime that is not known until deployment, so no Datadog layer can be chosen for it. ' +
      'Use a concrete lambda.Runtime (e.g. Runtime.NODEJS_22_X), or leave it out of merged tracing (excludeConstructPaths: [\'Shop/Fn\']).');
  });
});

describe('function shapes', () => {
  test('container-image function: tracing and variables, no layers, a warning about the image', () => {
    // GIVEN a DockerImageFunction from an existing repository
    const stack = shop({ env: 'prod' });
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'orders');
    const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo) });
    // WHEN synthesized
    const props = fnProps(fn);
    // THEN tracing and the variables are set, no layers, and the warning lists what the image needs
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Layers).toBeUndefined();
    expect(props.Environment.Variables).toEqual({ DD_ENV: 'prod', DD_SITE: 'datadoghq.com', DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true' });
    Annotations.fromStack(stack).hasWarning('/Shop/Fn', ackWarning('ContainerImageFunction',
      'Container image functions cannot take layers: tracing and Datadog variables are set, but the image itself must contain ' +
      'the Datadog Lambda library for its runtime, the Datadog extension (/opt/extensions/datadog-agent) and a CMD/handler ' +
      'that goes through the Datadog wrapper (see Datadog\'s "Instrumenting Lambda container images"). Ruby images also need ' +
      'DD_MERGE_DATADOG_XRAY_TRACES=true.'));
  });

  test('SingletonFunction: the function it creates is instrumented once', () => {
    // GIVEN a SingletonFunction used twice
    const stack = shop({ env: 'prod' });
    const props = functionProps(stack, lambda.Runtime.NODEJS_22_X);
    new lambda.SingletonFunction(stack, 'A', { ...props, uuid: '5f8c8a8e-0b0e-4f0a-9c1a-6a4e2f1d9b11' });
    new lambda.SingletonFunction(stack, 'B', { ...props, uuid: '5f8c8a8e-0b0e-4f0a-9c1a-6a4e2f1d9b11' });
    // WHEN synthesized THEN there is one function, traced
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Layers: [NODE_LAYER, EXTENSION_LAYER],
      Handler: '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler',
    });
  });

  test('Alias and Version: the function is traced and the alias points at its version, no error', () => {
    // GIVEN a function with a version and an alias
    const stack = shop({ env: 'prod' });
    const fn = plainFunction(stack, 'Fn');
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    // WHEN synthesized
    const template = Template.fromStack(stack);
    // THEN the function is traced and the alias and version are ordinary
    expect(fnProps(fn).TracingConfig).toEqual({ Mode: 'Active' });
    template.resourceCountIs('AWS::Lambda::Version', 1);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: logicalId(fn) },
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnCurrentVersion'), 'Version'] },
    });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(alias.node.findAll().filter((c) => InstrumentationMarker.signatureOf(c) !== undefined)).toEqual([]);
  });

  test('imported function: a clear warning, nothing else', () => {
    // GIVEN a function imported by ARN
    const stack = shop({ env: 'prod' });
    lambda.Function.fromFunctionArn(stack, 'Legacy', 'arn:aws:lambda:us-east-1:123456789012:function:legacy');
    plainFunction(stack, 'Fn');
    // WHEN synthesized THEN the warning says it cannot be changed here and what to do
    Annotations.fromStack(stack).hasWarning('/Shop/Legacy', ackWarning('ImportedFunction',
      'This function is imported, so this app cannot turn on X-Ray or add the Datadog layers to it. ' +
      'Instrument it in the app that defines it (same env tag), or acknowledge this warning.'));
  });

  test.each([
    ['in us-east-1 (the function sits in the stack)', 'us-east-1', '/Shop/Edge/Fn'],
    ['in another region (the function sits in the edge stack CDK adds)', 'eu-west-1', ''],
  ])('Lambda@Edge function %s: left alone with a warning, no crash', (_, region, path) => {
    // GIVEN an EdgeFunction used by a Distribution, with merged tracing applied to the whole app
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: { account: ACCOUNT, region } });
    const edge = new cloudfront.experimental.EdgeFunction(stack, 'Edge', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    new cloudfront.Distribution(stack, 'Dist', {
      defaultBehavior: {
        origin: new origins.HttpOrigin('example.com'),
        edgeLambdas: [{ functionVersion: edge.currentVersion, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }],
      },
    });
    MergedTracing.applyTo(app, { env: 'prod' });
    // WHEN synthesized
    const edgeStack = Stack.of(edge.lambda);
    const props = fnProps(edge.lambda);
    // THEN the edge function has no layers, variables or tracing, and the warning says why
    expect([props.Layers, props.Environment, props.TracingConfig]).toEqual([undefined, undefined, undefined]);
    Annotations.fromStack(edgeStack).hasWarning(path || `/${edge.lambda.node.path}`, ackWarning('LambdaAtEdge',
      'Lambda@Edge functions cannot have layers or environment variables, so merged tracing leaves this function as it is. ' +
      'Bundle the Datadog library into its code if it must be traced, or acknowledge this warning.'));
  });

  test('Lambda@Edge by hand: a function whose own role is made to trust edgelambda.amazonaws.com is left alone too', () => {
    // GIVEN a plain function whose automatically created role also trusts Lambda@Edge
    const stack = shop({ env: 'prod' });
    const fn = plainFunction(stack, 'Edge');
    (fn.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'], principals: [new iam.ServicePrincipal('edgelambda.amazonaws.com')],
    }));
    plainFunction(stack, 'Regular');
    // WHEN synthesized THEN that function is untouched and warned about; the other one is instrumented
    expect([fnProps(fn).Layers, fnProps(fn).TracingConfig]).toEqual([undefined, undefined]);
    Annotations.fromStack(stack).hasWarning('/Shop/Edge', ackWarning('LambdaAtEdge',
      'Lambda@Edge functions cannot have layers or environment variables, so merged tracing leaves this function as it is. ' +
      'Bundle the Datadog library into its code if it must be traced, or acknowledge this warning.'));
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, 1);
  });

  test('an L1 CfnFunction: a warning that it is not changed, nothing else (the stack\'s checker then reports what it lacks)', () => {
    // GIVEN a function written as a CfnFunction (in an app that lets the checker's errors through, to read the template)
    const stack = shop({ env: 'prod' }, ENV, new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } }));
    new lambda.CfnFunction(stack, 'Legacy', {
      code: { s3Bucket: 'code-bucket', s3Key: 'code.zip' }, role: 'arn:aws:iam::123456789012:role/legacy', runtime: 'nodejs22.x', handler: 'index.handler',
    });
    // WHEN synthesized THEN it is untouched and the warning says what to do
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', TracingConfig: Match.absent(), Layers: Match.absent() });
    Annotations.fromStack(stack).hasWarning('/Shop/Legacy', ackWarning('L1Function',
      'This function is a CfnFunction (L1, e.g. from CfnInclude), which merged tracing does not change. ' +
      'Define it with lambda.Function; or set X-Ray active tracing, the Datadog layers and variables on it yourself and then acknowledge ' +
      'this warning (MergedTracingChecker still checks them: acknowledging does not replace them); or leave it out with excludeConstructPaths.'));
  });

  test('DatadogTracedFunction without options and outside a MergedTracingStack', () => {
    const stack = new Stack(new App(), 'Plain', { env: ENV });
    expect(errorOf(() => new DatadogTracedFunction(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X)))).toBe(
      '[cdk-trace-merging] Plain/Fn: has no merged-tracing options. Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
  });
});

describe('tokens', () => {
  test('env-agnostic stack: layer ARNs completed by CloudFormation from the partition and region mappings', () => {
    // GIVEN a stack without a region
    const stack = shop({ env: 'prod' }, {});
    const fn = plainFunction(stack, 'Fn');
    // WHEN synthesized THEN the layer ARN is built from AWS::Partition, AWS::Region, the account mapping and the versions per region
    const extension = {
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] },
        ':layer:', { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'extension'] }, ':',
        { 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, 'DatadogExtensionPerPartition'] },
      ]],
    };
    expect(fnProps(fn).Layers[1]).toEqual(extension);
    // (no aws-cn entry: Datadog publishes no layers in China, so the lookup fails the deployment there)
    Template.fromStack(stack).hasMapping('DatadogLayerAccounts', {
      'aws': { account: '464622532012', extension: 'Datadog-Extension', extensionArm: 'Datadog-Extension-ARM' },
      'aws-us-gov': { account: '002406178527', extension: 'Datadog-Extension-FIPS', extensionArm: 'Datadog-Extension-ARM-FIPS' },
    });
  });

  test('env, service and site from parameters: variables and tags reference them', () => {
    // GIVEN options whose env, service and site are deploy-time parameters
    const stack = new Stack(new App(), 'Params', { env: ENV });
    const env = new CfnParameter(stack, 'DdEnv').valueAsString;
    const site = new CfnParameter(stack, 'DdSite').valueAsString;
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env, site, service: new CfnParameter(stack, 'DdService').valueAsString });
    // WHEN synthesized THEN the variables and tags are Refs to the parameters
    const props = fnProps(fn);
    expect(props.Environment.Variables).toMatchObject({
      DD_ENV: { Ref: 'DdEnv' }, DD_SITE: { Ref: 'DdSite' }, DD_SERVICE: { Ref: 'DdService' },
    });
    expect(props.Tags).toEqual(expect.arrayContaining([{ Key: 'env', Value: { Ref: 'DdEnv' } }, { Key: 'service', Value: { Ref: 'DdService' } }]));
  });

  test('layer version from a number parameter: the ARN ends with the parameter', () => {
    // GIVEN the extension layer version as CfnParameter.valueAsNumber
    const stack = new Stack(new App(), 'Params', { env: ENV });
    const version = new CfnParameter(stack, 'ExtensionVersion', { type: 'Number' }).valueAsNumber;
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', extensionLayerVersion: version });
    // WHEN synthesized THEN CloudFormation completes the ARN with the parameter's value
    expect(fnProps(fn).Layers).toEqual([NODE_LAYER, {
      'Fn::Join': ['', ['arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:', { Ref: 'ExtensionVersion' }]],
    }]);
  });

  test('region and layer version both tokens in one stack', () => {
    // GIVEN an env-agnostic stack and a parameter version for the Node layer
    const stack = new Stack(new App(), 'Agnostic');
    const version = new CfnParameter(stack, 'NodeVersion', { type: 'Number' }).valueAsNumber;
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', nodeLayerVersion: version });
    // WHEN synthesized THEN the Node layer ARN carries both the mapping and the parameter
    expect(fnProps(fn).Layers[0]).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] },
        ':layer:Datadog-Node22-x:', { Ref: 'NodeVersion' },
      ]],
    });
  });

  test('a function in a NestedStack of an environment-agnostic stack: the mapping lives in the nested template', () => {
    // GIVEN an env-agnostic MergedTracingStack with a function in a nested stack
    const stack = shop({ env: 'prod' }, {});
    const nested = new NestedStack(stack, 'Inner');
    const fn = plainFunction(nested, 'Fn');
    // WHEN synthesized (the suite-wide checks also validate the nested template file)
    const template = Template.fromStack(nested);
    // THEN the nested template has the mapping its layer ARNs look up
    expect(Object.keys(template.toJSON().Mappings).sort()).toEqual(['DatadogLayerAccounts', 'DatadogLayerVersions']);
    expect(JSON.stringify(fnProps(fn).Layers)).toContain('"Fn::FindInMap":["DatadogLayerAccounts",{"Ref":"AWS::Partition"},"account"]');
  });

  test('a region where Datadog publishes no layers', () => {
    const stack = shop({ env: 'prod' }, { account: ACCOUNT, region: 'us-iso-east-1' });
    plainFunction(stack, 'Fn');
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop: Datadog publishes no Lambda layers in region 'us-iso-east-1'. Deploy this stack to a commercial or GovCloud region, or exclude its functions.");
  });

  test('a China region (aws-cn), where Datadog publishes no layers', () => {
    const stack = shop({ env: 'prod' }, { account: ACCOUNT, region: 'cn-northwest-1' });
    plainFunction(stack, 'Fn');
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop: deploys to cn-northwest-1 in AWS China (partition aws-cn), where Datadog publishes no Lambda layers, ' +
      'so merged tracing has no Datadog library or extension to add. Deploy the traced functions to a commercial or GovCloud region, ' +
      "or leave this stack out of merged tracing (excludeConstructPaths: ['Shop']) and trace it with X-Ray alone.");
  });

  test('fips that is not a boolean', () => {
    expect(optionsError({ env: 'prod', fips: 'true' as unknown as boolean })).toBe(
      '[cdk-trace-merging] Shop: fips is "true", not true or false. ' +
      'Pass the boolean true or false, or leave fips out to follow the region (FIPS in AWS GovCloud).');
  });
});

describe('what the function already has', () => {
  test('a function already at 5 layers', () => {
    const stack = shop({ env: 'prod' });
    const layers = [1, 2, 3, 4, 5].map((i) => lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:own${i}:1`));
    plainFunction(stack, 'Fn', { layers });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: has 5 layers; adding the 2 Datadog layers would pass Lambda's limit of 5. " +
      'Remove or merge some of its layers, or leave it out of merged tracing (excludeConstructPaths: [\'Shop/Fn\']).');
  });

  test('a Datadog library layer already there at another version (Lambda refuses two versions of one layer)', () => {
    // GIVEN a function that carries Datadog's Node 22 layer at version 120, added by hand
    const stack = shop({ env: 'prod' });
    const old = lambda.LayerVersion.fromLayerVersionArn(stack, 'Old', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:120');
    plainFunction(stack, 'Fn', { layers: [old] });
    // WHEN synthesized THEN the error names both versions and how to keep the old one
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop/Fn: already has the Datadog layer Datadog-Node22-x at version 120, and merged tracing adds version 142; ' +
      'Lambda refuses two versions of one layer. Remove that layer from the function (merged tracing adds it), or set nodeLayerVersion: 120 to keep that version.');
  });

  test('the Datadog extension already there at another version', () => {
    const stack = shop({ env: 'prod' });
    const old = lambda.LayerVersion.fromLayerVersionArn(stack, 'Old', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:80');
    plainFunction(stack, 'Fn', { layers: [old], runtime: lambda.Runtime.PYTHON_3_13, architecture: lambda.Architecture.ARM_64 });
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop/Fn: already has the Datadog layer Datadog-Extension-ARM at version 80, and merged tracing adds version 99; ' +
      'Lambda refuses two versions of one layer. Remove that layer from the function (merged tracing adds it), or set extensionLayerVersion: 80 to keep that version.');
  });

  test('a Datadog layer already there at the same version is kept once', () => {
    const stack = shop({ env: 'prod' });
    const same = lambda.LayerVersion.fromLayerVersionArn(stack, 'Same', NODE_LAYER);
    const fn = plainFunction(stack, 'Fn', { layers: [same] });
    expect(fnProps(fn).Layers).toEqual([NODE_LAYER, EXTENSION_LAYER]);
  });

  test('a user DD_ENV that differs from the options', () => {
    const stack = shop({ env: 'prod' });
    plainFunction(stack, 'Fn', { environment: { DD_ENV: 'staging' } });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: sets DD_ENV='staging', but merged tracing needs DD_ENV='prod'. " +
      "Remove DD_ENV from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).");
  });

  test('a user DD_MERGE_XRAY_TRACES=false in SERVERLESS mode', () => {
    const stack = shop({ env: 'prod', mode: TracingMode.SERVERLESS });
    plainFunction(stack, 'Fn', { environment: { DD_MERGE_XRAY_TRACES: 'false' } });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: sets DD_MERGE_XRAY_TRACES='false', but merged tracing needs DD_MERGE_XRAY_TRACES='true'. " +
      "Remove DD_MERGE_XRAY_TRACES from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).");
  });

  test('a user exec wrapper (ADOT) on a Java function', () => {
    const stack = shop({ env: 'prod' });
    new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.JAVA_21, { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' } }));
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: sets AWS_LAMBDA_EXEC_WRAPPER='/opt/otel-handler', but merged tracing needs " +
      "AWS_LAMBDA_EXEC_WRAPPER='/opt/datadog_wrapper' (another exec wrapper, such as ADOT, cannot run beside Datadog's). " +
      "Remove AWS_LAMBDA_EXEC_WRAPPER from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).");
  });

  test('a user DD_SERVICE wins over the options (it describes the function, it does not break the merge)', () => {
    const stack = shop({ env: 'prod', service: 'shop' });
    const fn = plainFunction(stack, 'Fn', { environment: { DD_SERVICE: 'orders' } });
    expect(fnProps(fn).Environment.Variables.DD_SERVICE).toBe('orders');
  });

  test('X-Ray set to PassThrough by the user', () => {
    const stack = shop({ env: 'prod' });
    plainFunction(stack, 'Fn', { tracing: lambda.Tracing.PASS_THROUGH });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: has X-Ray tracing set to 'PassThrough'; merged traces need Tracing.ACTIVE. " +
      'Remove the tracing setting (merged tracing turns it on) or set it to lambda.Tracing.ACTIVE, or leave it out of merged tracing (excludeConstructPaths: [\'Shop/Fn\']).');
  });

  test('the Datadog handler set by hand without DD_LAMBDA_HANDLER', () => {
    const stack = shop({ env: 'prod' });
    plainFunction(stack, 'Fn', { handler: '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler' });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: already uses the Datadog handler '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler' " +
      'but has no DD_LAMBDA_HANDLER, so Datadog cannot find the real handler. ' +
      "Set the function's handler to your own handler and let merged tracing redirect it. Or leave it out of merged tracing (excludeConstructPaths: ['Shop/Fn']).");
  });

  test('an environment that passes 4 KB with the Datadog variables', () => {
    const stack = shop({ env: 'prod' });
    plainFunction(stack, 'Fn', { environment: { BIG: 'x'.repeat(4000) } });
    // 4,003 bytes of BIG plus DD_ENV=prod (10), DD_SITE (20), DD_TRACE_ENABLED (20), DD_MERGE_XRAY_TRACES (24),
    // DD_LAMBDA_HANDLER=index.handler (30): 4,107.
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Shop/Fn: would carry 4107 bytes of environment variables with the Datadog ones, over Lambda's limit of 4096. " +
      'Move large values to SSM Parameter Store or Secrets Manager, or leave it out of merged tracing (excludeConstructPaths: [\'Shop/Fn\']).');
  });
});

describe('state machines and stages', () => {
  test('a state machine whose logging configuration is a token keeps it and gets tracing', () => {
    // GIVEN an L1 state machine whose logging configuration is only known through a lazy value
    const stack = shop({ env: 'prod' });
    new sfn.CfnStateMachine(stack, 'Machine', {
      roleArn: 'arn:aws:iam::123456789012:role/machine',
      definitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
      loggingConfiguration: Lazy.any({ produce: () => ({ level: 'ALL', includeExecutionData: false, destinations: [LOG_DESTINATION] }) }),
    });
    // WHEN synthesized THEN tracing is on and logging is kept as given
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: LOG_GROUP_ARN } }] },
    });
  });

  test('an L2 state machine logging to a log group only known at deployment keeps it and gets tracing with its grants', () => {
    // GIVEN a StateMachine whose log group ARN is a parameter
    const stack = shop({ env: 'prod' });
    const logGroup = logs.LogGroup.fromLogGroupArn(stack, 'Logs', new CfnParameter(stack, 'LogGroupArn').valueAsString);
    const machine = new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Succeed(stack, 'Done')),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL },
    });
    // WHEN synthesized
    const template = Template.fromStack(stack);
    // THEN tracing is on, logging points at the parameter, and the role may write X-Ray segments
    const props = template.toJSON().Resources[logicalId(machine)].Properties;
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration.Level).toBe('ALL');
    expect(JSON.stringify(props.LoggingConfiguration.Destinations)).toContain('{"Ref":"LogGroupArn"}');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(machine.role) }],
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Resource: '*', Action: STATE_MACHINE_XRAY_ACTIONS }]) },
    });
  });

  test('a state machine whose tracing configuration is a token: a warning, not a guess', () => {
    const stack = shop({ env: 'prod' });
    new sfn.CfnStateMachine(stack, 'Machine', {
      roleArn: 'arn:aws:iam::123456789012:role/machine',
      definitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
      tracingConfiguration: { enabled: Token.asAny(new CfnParameter(stack, 'Tracing', { type: 'String' }).valueAsString) as unknown as boolean },
    });
    Annotations.fromStack(stack).hasWarning('/Shop/Machine', ackWarning('StateMachineTracingUnknown',
      'X-Ray tracing of this state machine is only known at deployment; merged traces need it on. Set tracingEnabled: true.'));
  });

  test('a REST API stage with tracing turned off', () => {
    const stack = shop({ env: 'prod' });
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: false } });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Shop/Api/DeploymentStage.prod/Resource: has X-Ray tracing turned off (tracingEnabled: false); merged traces start at this stage and need it on. ' +
      'Remove tracingEnabled from the stage options (merged tracing turns it on) or set it to true, or exclude the API.');
  });
});

describe('applying options more than once', () => {
  test('the same options applied twice: one set of layers, one X-Ray statement, no error', () => {
    // GIVEN the same options applied to the app and to the stack
    const app = new App();
    const stack = new Stack(app, 'Twice', { env: ENV });
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(app, { env: 'prod', service: 'shop' });
    MergedTracing.applyTo(stack, { service: 'shop', env: 'prod' });
    // WHEN synthesized THEN the function is instrumented once
    expect(fnProps(fn).Layers).toEqual([NODE_LAYER, EXTENSION_LAYER]);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const xray = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('xray:PutTraceSegments'));
    expect(xray).toEqual([{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }]);
  });

  test('different options applied to one scope twice are refused, naming both', () => {
    const app = new App();
    const stack = new Stack(app, 'Twice', { env: ENV });
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod' });
    MergedTracing.applyTo(stack, { env: 'staging' });
    expect(synthError(app)).toBe(
      "[cdk-trace-merging] Twice/Fn: is covered by two different sets of merged-tracing options at the same scope, given at 'Twice' and at 'Twice'; " +
      'the nearest scope wins, but neither of these is nearer. ' +
      'Keep one set of options for that scope, give the other to a narrower scope (a Stage, stack or construct), or exclude the function from one of them with excludeFunctions.');
  });

  test('options applied inside nested Stages reach only that Stage', () => {
    // GIVEN a Stage within a Stage, options applied to the outer one
    const app = new App();
    const outer = new Stage(app, 'Outer', { env: ENV });
    const inner = new Stage(outer, 'Inner');
    const traced = plainFunction(new Stack(inner, 'Stack'), 'Fn');
    const untouched = plainFunction(new Stack(app, 'Top', { env: ENV }), 'Fn');
    MergedTracing.applyTo(outer, { env: 'prod' });
    // WHEN synthesized THEN the inner Stage's function is traced and the app's top stack is not
    expect(fnProps(traced).Layers).toEqual([NODE_LAYER, EXTENSION_LAYER]);
    expect(fnProps(untouched).TracingConfig).toBeUndefined();
  });
});

describe('Stages created after applyTo', () => {
  test('a Stage created after TraceMerging.applyTo(app) fails synthesis instead of staying untraced', () => {
    // GIVEN options applied to the app before one of its Stages exists
    const app = new App();
    new Stage(app, 'Early', { env: ENV });
    MergedTracing.applyTo(app, { env: 'prod' });
    const late = new Stage(app, 'Late', { env: ENV });
    plainFunction(new Stack(late, 'Stack'), 'Fn');
    // WHEN synthesized THEN the error names the late Stage and the fix
    expect(errorOf(() => app.synth())).toBe('Validation failed with the following errors:\n  [] ' +
      '[cdk-trace-merging] Late: was created after TraceMerging.applyTo on the app, so merged tracing does not reach it (aspects stop at Stage boundaries). ' +
      'Call TraceMerging.applyTo after creating every Stage, or call it on this Stage as well.');
  });

  test('a late Stage covered by its own applyTo is fine', () => {
    // GIVEN a late Stage that gets options of its own
    const app = new App();
    MergedTracing.applyTo(app, { env: 'prod' });
    const late = new Stage(app, 'Late', { env: ENV });
    const fn = plainFunction(new Stack(late, 'Stack'), 'Fn');
    MergedTracing.applyTo(late, { env: 'prod' });
    // WHEN synthesized THEN its function is traced, no error
    expect(fnProps(fn).Layers).toEqual([NODE_LAYER, EXTENSION_LAYER]);
  });
});
