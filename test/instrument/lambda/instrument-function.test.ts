import { App, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MergedTracingOptions, TracingMode } from '../../../lib';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ackWarning, logicalId, plainFunction, stackIn, synthError } from '../../support/fixtures';

const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
const PYTHON_HANDLER = 'datadog_lambda.handler.handler';
const LAYER = (name: string, version: number) => `arn:aws:lambda:us-east-1:464622532012:layer:${name}:${version}`;
const XRAY_STATEMENT = {
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*',
};
const PROD: MergedTracingOptions = { env: 'prod' };

/** A stack with one function `Fn`, merged tracing applied to the stack; `extra` goes into the function's props. */
function traced(runtime: lambda.Runtime, options: MergedTracingOptions = PROD, extra: Partial<lambda.FunctionProps> = {}) {
  const stack = stackIn();
  const fn = plainFunction(stack, 'Fn', { runtime, ...extra });
  MergedTracing.applyTo(stack, options);
  return { stack, fn };
}

function propsOf(fn: lambda.IFunction): Record<string, any> {
  return Template.fromStack(Stack.of(fn)).toJSON().Resources[logicalId(fn)].Properties;
}

function statementsOf(fn: lambda.Function): unknown[] {
  const policies = Template.fromStack(Stack.of(fn)).findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(fn.role!) }] },
  });
  return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('handler redirect and Datadog variables per runtime family (SERVERLESS)', () => {
  test.each([
    [lambda.Runtime.NODEJS_22_X, NODE_HANDLER, 'Datadog-Node22-x'],
    [lambda.Runtime.NODEJS_24_X, NODE_HANDLER, 'Datadog-Node24-x'],
    [lambda.Runtime.PYTHON_3_13, PYTHON_HANDLER, 'Datadog-Python313'],
    [lambda.Runtime.PYTHON_3_14, PYTHON_HANDLER, 'Datadog-Python314'],
  ])('%s: handler becomes %s, the original goes to DD_LAMBDA_HANDLER', (runtime, datadogHandler, library) => {
    // GIVEN a function with handler index.handler  WHEN merged tracing is applied
    const { fn } = traced(runtime);
    const props = propsOf(fn);
    // THEN
    expect(props.Handler).toBe(datadogHandler);
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_XRAY_TRACES: 'true',
      DD_LAMBDA_HANDLER: 'index.handler',
    });
    expect(props.Layers).toEqual([LAYER(library, library.startsWith('Datadog-Node') ? 142 : 127), LAYER('Datadog-Extension', 99)]);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  test.each([
    [lambda.Runtime.JAVA_21, 'com.example.Orders::handleRequest', 'dd-trace-java', 27],
    [lambda.Runtime.JAVA_8_CORRETTO, 'com.example.Orders::handleRequest', 'dd-trace-java', 27],
    [lambda.Runtime.DOTNET_8, 'Orders::Orders.Function::Handle', 'dd-trace-dotnet', 25],
  ])('%s: handler unchanged, AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog_wrapper, no merge variable', (runtime, handler, library, version) => {
    // GIVEN a JVM/.NET function  WHEN merged tracing is applied
    const { fn } = traced(runtime, PROD, { handler });
    const props = propsOf(fn);
    // THEN the wrapper starts the tracer, the handler stays the user's, X-Ray stays on,
    // and no merge variable is set: Datadog's Java and .NET tracers read none
    expect(props.Handler).toBe(handler);
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/datadog_wrapper',
    });
    expect(props.Layers).toEqual([LAYER(library, version), LAYER('Datadog-Extension', 99)]);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  test.each([
    [lambda.Runtime.JAVA_21, 'Java'],
    [lambda.Runtime.DOTNET_8, '.NET'],
  ])('%s in SERVERLESS: warning MergeNotSupported says the hop stays two traces and what to do', (runtime, family) => {
    // GIVEN a Java/.NET function  WHEN merged tracing is applied in SERVERLESS mode
    const { stack } = traced(runtime);
    // THEN one warning on the function, acknowledgeable, saying what the user will see and the choices
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('MergeNotSupported'));
    expect(warnings.map((w) => w.entry.data)).toEqual([ackWarning('MergeNotSupported',
      `Datadog's ${family} tracer cannot merge X-Ray traces, so this function is traced by X-Ray and by Datadog ` +
      'separately: each invocation shows as two traces for this hop (the X-Ray trace with API Gateway and Step Functions, ' +
      'and a Datadog trace of the function), not one merged trace. To merge, move the function to Node.js or Python; ' +
      'otherwise accept two traces for this hop and acknowledge this warning.')]);
  });

  test.each([
    ['Java in HYBRID', lambda.Runtime.JAVA_21, TracingMode.HYBRID],
    ['Node.js in SERVERLESS', lambda.Runtime.NODEJS_22_X, TracingMode.SERVERLESS],
    ['Python in SERVERLESS', lambda.Runtime.PYTHON_3_13, TracingMode.SERVERLESS],
  ])('%s: no MergeNotSupported (HYBRID promises no merge; Node.js and Python merge)', (_name, runtime, mode) => {
    // GIVEN such a function  WHEN merged tracing is applied
    const { stack } = traced(runtime, { env: 'prod', mode });
    // THEN no MergeNotSupported warning
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('MergeNotSupported'))).toEqual([]);
  });

  test('Java in HYBRID: no merge variable either (nothing reads it), Datadog tracing off', () => {
    // GIVEN a Java function in HYBRID mode  WHEN applied
    const vars = propsOf(traced(lambda.Runtime.JAVA_21, { env: 'prod', mode: TracingMode.HYBRID }).fn).Environment.Variables;
    // THEN
    expect(vars).toEqual({ DD_ENV: 'prod', DD_SITE: 'datadoghq.com', DD_TRACE_ENABLED: 'false', AWS_LAMBDA_EXEC_WRAPPER: '/opt/datadog_wrapper' });
  });

  test('Ruby: DD_MERGE_DATADOG_XRAY_TRACES (not DD_MERGE_XRAY_TRACES), handler unchanged, wrap-in-code warning', () => {
    // GIVEN a Ruby function  WHEN merged tracing is applied
    const { stack, fn } = traced(lambda.Runtime.RUBY_3_3, PROD, { handler: 'app.handler' });
    const props = propsOf(fn);
    // THEN Ruby's own merge flag is set and the generic one is not
    expect(props.Handler).toBe('app.handler');
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_DATADOG_XRAY_TRACES: 'true',
    });
    expect(props.Environment.Variables.DD_MERGE_XRAY_TRACES).toBeUndefined();
    expect(props.Layers).toEqual([LAYER('Datadog-Ruby3-3', 30), LAYER('Datadog-Extension', 99)]);
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', ackWarning('WrapHandlerInCode',
      'Ruby handlers cannot be redirected by configuration: wrap the handler in code ' +
      '(Ruby: Datadog::Lambda.wrap; Go: ddlambda.WrapFunction) so Datadog traces the invocations.'));
  });

  test.each([
    [lambda.Architecture.X86_64, 'Datadog-Ruby4-0', 'Datadog-Extension'],
    [lambda.Architecture.ARM_64, 'Datadog-Ruby4-0-ARM', 'Datadog-Extension-ARM'],
  ])('Ruby 4.0 on %s, by runtime name (aws-cdk-lib before Runtime.RUBY_4_0): %s and %s, Ruby\'s merge flag', (architecture, library, extension) => {
    // GIVEN a ruby4.0 function built from the runtime's name, as on the oldest aws-cdk-lib this library supports
    const { fn } = traced(new lambda.Runtime('ruby4.0', lambda.RuntimeFamily.RUBY), PROD, { handler: 'app.handler', architecture });
    const props = propsOf(fn);
    // THEN it is instrumented like Ruby 3.x
    expect(props.Layers).toEqual([LAYER(library, 30), LAYER(extension, 99)]);
    expect(props.Handler).toBe('app.handler');
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod', DD_SITE: 'datadoghq.com', DD_TRACE_ENABLED: 'true', DD_MERGE_DATADOG_XRAY_TRACES: 'true',
    });
  });

  test.each([
    [lambda.Runtime.PROVIDED_AL2023, lambda.Architecture.X86_64, 'Datadog-Extension'],
    [lambda.Runtime.PROVIDED_AL2023, lambda.Architecture.ARM_64, 'Datadog-Extension-ARM'],
  ])('%s on %s: only the extension layer, handler unchanged, no DD_LAMBDA_HANDLER', (runtime, architecture, extension) => {
    // GIVEN a custom-runtime (Go) function  WHEN merged tracing is applied
    const { stack, fn } = traced(runtime, PROD, { handler: 'bootstrap', architecture });
    const props = propsOf(fn);
    // THEN
    expect(props.Layers).toEqual([LAYER(extension, 99)]);
    expect(props.Handler).toBe('bootstrap');
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod', DD_SITE: 'datadoghq.com', DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true',
    });
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', ackWarning('WrapHandlerInCode',
      'custom (provided) handlers cannot be redirected by configuration: wrap the handler in code ' +
      '(Ruby: Datadog::Lambda.wrap; Go: ddlambda.WrapFunction) so Datadog traces the invocations.'));
  });
});

describe('modes', () => {
  test('SERVERLESS (the default): Datadog traces and merges X-Ray', () => {
    // GIVEN no mode  WHEN applied  THEN DD_TRACE_ENABLED and the merge flag are true
    const vars = propsOf(traced(lambda.Runtime.NODEJS_22_X).fn).Environment.Variables;
    expect([vars.DD_TRACE_ENABLED, vars.DD_MERGE_XRAY_TRACES]).toEqual(['true', 'true']);
  });

  test.each([
    [lambda.Runtime.NODEJS_22_X, 'DD_MERGE_XRAY_TRACES', [LAYER('Datadog-Node22-x', 142), LAYER('Datadog-Extension', 99)]],
    [lambda.Runtime.RUBY_3_4, 'DD_MERGE_DATADOG_XRAY_TRACES', [LAYER('Datadog-Ruby3-4', 30), LAYER('Datadog-Extension', 99)]],
  ])('HYBRID on %s: tracing off in Datadog, %s=false, X-Ray still Active, library layer still installed', (runtime, mergeVar, layers) => {
    // GIVEN HYBRID mode  WHEN applied
    const { fn } = traced(runtime, { env: 'prod', mode: TracingMode.HYBRID });
    const props = propsOf(fn);
    // THEN
    expect(props.Environment.Variables).toEqual(expect.objectContaining({ DD_TRACE_ENABLED: 'false', [mergeVar]: 'false' }));
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Layers).toEqual(layers);
    expect(statementsOf(fn)).toEqual([XRAY_STATEMENT]);
  });
});

describe('unified service tagging', () => {
  test('DD_ENV / DD_SERVICE / DD_VERSION / DD_SITE / DD_TAGS / DD_LOG_LEVEL and the env, service, version resource tags', () => {
    // GIVEN every descriptive option
    const { fn } = traced(lambda.Runtime.PYTHON_3_12, {
      env: 'staging',
      service: 'checkout',
      version: '1.4.2',
      site: 'datadoghq.eu',
      tags: { 'team': 'payments', 'cost-center': '42' },
      logLevel: 'debug',
    });
    // WHEN synthesized
    const props = propsOf(fn);
    // THEN
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'staging',
      DD_SITE: 'datadoghq.eu',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_XRAY_TRACES: 'true',
      DD_SERVICE: 'checkout',
      DD_VERSION: '1.4.2',
      DD_TAGS: 'team:payments,cost-center:42',
      DD_LOG_LEVEL: 'debug',
      DD_LAMBDA_HANDLER: 'index.handler',
    });
    expect(props.Tags).toEqual([
      { Key: 'env', Value: 'staging' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.4.2' },
    ]);
  });

  test('the user\'s own tags stay beside the unified service tags', () => {
    // GIVEN a function with its own tag
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    Tags.of(fn).add('team', 'payments');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'orders' });
    // THEN
    expect(propsOf(fn).Tags).toEqual([
      { Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'orders' }, { Key: 'team', Value: 'payments' },
    ]);
  });

  test('a DD_SERVICE the user set on the function is respected', () => {
    // GIVEN a function that names its own service
    const { fn } = traced(lambda.Runtime.NODEJS_22_X, { env: 'prod', service: 'checkout' },
      { environment: { DD_SERVICE: 'checkout-worker', DD_VERSION: '7' } });
    // WHEN / THEN its values win for the overridable descriptive variables
    const vars = propsOf(fn).Environment.Variables;
    expect([vars.DD_SERVICE, vars.DD_VERSION, vars.DD_ENV]).toEqual(['checkout-worker', '7', 'prod']);
    // AND its resource tags say the same as its variables, so the AWS integration agrees with the tracer
    expect(propsOf(fn).Tags).toEqual([
      { Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout-worker' }, { Key: 'version', Value: '7' },
    ]);
  });

  test('the user\'s unrelated variables are kept', () => {
    const { fn } = traced(lambda.Runtime.NODEJS_22_X, PROD, { environment: { TABLE: 'orders' } });
    expect(propsOf(fn).Environment.Variables).toEqual({
      TABLE: 'orders',
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_XRAY_TRACES: 'true',
      DD_LAMBDA_HANDLER: 'index.handler',
    });
  });

  test('variables added after construction are seen (instrumenting happens at synthesis)', () => {
    // GIVEN a function whose DD_SERVICE is added after MergedTracing.applyTo
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout' });
    fn.addEnvironment('DD_SERVICE', 'late-service');
    // THEN the late value wins
    expect(propsOf(fn).Environment.Variables.DD_SERVICE).toBe('late-service');
  });
});

describe('X-Ray active tracing and its permissions', () => {
  test('TracingConfig Active and one statement with PutTraceSegments/PutTelemetryRecords', () => {
    // GIVEN a plain function  WHEN applied
    const { fn } = traced(lambda.Runtime.NODEJS_22_X);
    // THEN
    expect(propsOf(fn).TracingConfig).toEqual({ Mode: 'Active' });
    expect(statementsOf(fn)).toEqual([XRAY_STATEMENT]);
  });

  test('a function the user already set to Tracing.ACTIVE gets the statement exactly once', () => {
    // GIVEN tracing: ACTIVE (the L2 already granted X-Ray writes)
    const { fn } = traced(lambda.Runtime.NODEJS_22_X, PROD, { tracing: lambda.Tracing.ACTIVE });
    // THEN no duplicate statement
    expect(propsOf(fn).TracingConfig).toEqual({ Mode: 'Active' });
    expect(statementsOf(fn)).toEqual([XRAY_STATEMENT]);
  });

  test('Tracing.PASS_THROUGH is refused', () => {
    // GIVEN tracing: PASS_THROUGH
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, PROD, { tracing: lambda.Tracing.PASS_THROUGH });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: has X-Ray tracing set to 'PassThrough'; merged traces need Tracing.ACTIVE. " +
      'Remove the tracing setting (merged tracing turns it on) or set it to lambda.Tracing.ACTIVE, or leave it out of merged tracing (excludeConstructPaths: [\'Stack/Fn\']).');
  });
});

describe('layer versions', () => {
  test.each([
    [lambda.Runtime.NODEJS_24_X, LAYER('Datadog-Node24-x', 142)],
    [lambda.Runtime.PYTHON_3_14, LAYER('Datadog-Python314', 127)],
    [lambda.Runtime.RUBY_3_3, LAYER('Datadog-Ruby3-3', 30)],
    [lambda.Runtime.JAVA_17, LAYER('dd-trace-java', 27)],
    [lambda.Runtime.DOTNET_10, LAYER('dd-trace-dotnet', 25)],
  ])('default for %s: %s and extension 99', (runtime, library) => {
    expect(propsOf(traced(runtime).fn).Layers).toEqual([library, LAYER('Datadog-Extension', 99)]);
  });

  test('per-runtime overrides apply to their family only', () => {
    // GIVEN one function per family and an override for each family and the extension
    const stack = stackIn();
    const fns = {
      node: plainFunction(stack, 'Node', { runtime: lambda.Runtime.NODEJS_22_X }),
      python: plainFunction(stack, 'Python', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64 }),
      ruby: plainFunction(stack, 'Ruby', { runtime: lambda.Runtime.RUBY_3_3 }),
      java: plainFunction(stack, 'Java', { runtime: lambda.Runtime.JAVA_21 }),
      dotnet: plainFunction(stack, 'Dotnet', { runtime: lambda.Runtime.DOTNET_8, architecture: lambda.Architecture.ARM_64 }),
      go: plainFunction(stack, 'Go', { runtime: lambda.Runtime.PROVIDED_AL2023 }),
    };
    // WHEN
    MergedTracing.applyTo(stack, {
      env: 'prod',
      nodeLayerVersion: 140,
      pythonLayerVersion: 120,
      rubyLayerVersion: 28,
      javaLayerVersion: 25,
      dotnetLayerVersion: 24,
      extensionLayerVersion: 97,
    });
    const resources = Template.fromStack(stack).toJSON().Resources;
    const layersOf = (fn: lambda.Function) => resources[logicalId(fn)].Properties.Layers;
    // THEN
    expect(layersOf(fns.node)).toEqual([LAYER('Datadog-Node22-x', 140), LAYER('Datadog-Extension', 97)]);
    expect(layersOf(fns.python)).toEqual([LAYER('Datadog-Python312-ARM', 120), LAYER('Datadog-Extension-ARM', 97)]);
    expect(layersOf(fns.ruby)).toEqual([LAYER('Datadog-Ruby3-3', 28), LAYER('Datadog-Extension', 97)]);
    expect(layersOf(fns.java)).toEqual([LAYER('dd-trace-java', 25), LAYER('Datadog-Extension', 97)]);
    expect(layersOf(fns.dotnet)).toEqual([LAYER('dd-trace-dotnet-ARM', 24), LAYER('Datadog-Extension-ARM', 97)]);
    expect(layersOf(fns.go)).toEqual([LAYER('Datadog-Extension', 97)]);
  });

  test('an override of one family leaves the others at their defaults', () => {
    const stack = stackIn();
    const node = plainFunction(stack, 'Node', { runtime: lambda.Runtime.NODEJS_22_X });
    const python = plainFunction(stack, 'Python', { runtime: lambda.Runtime.PYTHON_3_12 });
    MergedTracing.applyTo(stack, { env: 'prod', nodeLayerVersion: 140 });
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[logicalId(node)].Properties.Layers).toEqual([LAYER('Datadog-Node22-x', 140), LAYER('Datadog-Extension', 99)]);
    expect(resources[logicalId(python)].Properties.Layers).toEqual([LAYER('Datadog-Python312', 127), LAYER('Datadog-Extension', 99)]);
  });

  test('a version newer than the newest Datadog published is refused, and taken with allowNewerLayerVersions', () => {
    // GIVEN a function
    const stack = stackIn();
    const node = plainFunction(stack, 'Node', { runtime: lambda.Runtime.NODEJS_22_X });

    // WHEN a newer extension is asked for without, then with, the opt-in
    // THEN refused, naming the newest known version and the way out
    expect(() => MergedTracing.applyTo(stack, { env: 'prod', extensionLayerVersion: 1e12 })).toThrow(
      '[cdk-trace-merging] Stack: extensionLayerVersion 1000000000000 is newer than 99, the newest version Datadog had published when this library ' +
      'was released; a layer version that does not exist fails the deployment. Use a published version (at most 99), or set ' +
      'allowNewerLayerVersions: true once Datadog has published 1000000000000 in every region you deploy to.');
    MergedTracing.applyTo(stack, { env: 'prod', extensionLayerVersion: 100, nodeLayerVersion: 150, allowNewerLayerVersions: true });
    expect(Template.fromStack(stack).toJSON().Resources[logicalId(node)].Properties.Layers)
      .toEqual([LAYER('Datadog-Node22-x', 150), LAYER('Datadog-Extension', 100)]);
  });

  test('the user\'s own layers stay first', () => {
    // GIVEN a function with one layer of its own
    const stack = stackIn();
    const own = lambda.LayerVersion.fromLayerVersionArn(stack, 'Own', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3');
    const fn = plainFunction(stack, 'Fn', { layers: [own] });
    // WHEN
    MergedTracing.applyTo(stack, PROD);
    // THEN
    expect(propsOf(fn).Layers).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:layer:shared:3', LAYER('Datadog-Node22-x', 142), LAYER('Datadog-Extension', 99),
    ]);
  });

  test('a Datadog layer the user already added is not added twice', () => {
    // GIVEN a function that already has the Datadog extension layer
    const stack = stackIn();
    const ext = lambda.LayerVersion.fromLayerVersionArn(stack, 'Ext', LAYER('Datadog-Extension', 99));
    const fn = plainFunction(stack, 'Fn', { layers: [ext] });
    // WHEN
    MergedTracing.applyTo(stack, PROD);
    // THEN
    expect(propsOf(fn).Layers).toEqual([LAYER('Datadog-Extension', 99), LAYER('Datadog-Node22-x', 142)]);
  });
});

describe('WrapHandlerInCode says what wrapping gives in each mode', () => {
  test.each<[TracingMode, string]>([
    [TracingMode.SERVERLESS, 'so Datadog traces the invocations'],
    [TracingMode.HYBRID, 'so the Datadog library sends its enhanced metrics (in HYBRID mode X-Ray traces the invocations and Datadog tracing stays off)'],
  ])('Ruby in %s', (mode, why) => {
    // GIVEN a Ruby function  WHEN traced in this mode
    const { stack } = traced(lambda.Runtime.RUBY_3_4, { env: 'prod', mode }, { handler: 'app.handler' });
    // THEN the warning promises Datadog tracing only where Datadog traces
    Annotations.fromStack(stack).hasWarning('/Stack/Fn', ackWarning('WrapHandlerInCode',
      'Ruby handlers cannot be redirected by configuration: wrap the handler in code ' +
      `(Ruby: Datadog::Lambda.wrap; Go: ddlambda.WrapFunction) ${why}.`));
  });
});

describe('values the user set are respected or refused, never clobbered', () => {
  test('a DD_LAMBDA_HANDLER that is not the function\'s handler is refused', () => {
    // GIVEN a function whose DD_LAMBDA_HANDLER points elsewhere than its handler
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, PROD, { environment: { DD_LAMBDA_HANDLER: 'old.handler' } });
    // WHEN / THEN
    expect(synthError(stack)).toBe("[cdk-trace-merging] Stack/Fn: sets DD_LAMBDA_HANDLER='old.handler', but merged tracing " +
      "needs DD_LAMBDA_HANDLER='index.handler'. Remove DD_LAMBDA_HANDLER from the function's environment, or change the " +
      'merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: [\'Stack/Fn\']).');
  });

  test('another tracer\'s exec wrapper on a Node.js function is refused', () => {
    // GIVEN a Node.js function wrapped by ADOT
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, PROD, { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' } });
    // WHEN / THEN
    expect(synthError(stack)).toBe('[cdk-trace-merging] Stack/Fn: sets AWS_LAMBDA_EXEC_WRAPPER (another tracer\'s wrapper, ' +
      'such as ADOT), which would trace it a second time beside Datadog. Remove AWS_LAMBDA_EXEC_WRAPPER (and ' +
      'adotInstrumentation) from the function. Or leave it out of merged tracing (excludeConstructPaths: [\'Stack/Fn\']).');
  });

  test.each([
    [{ DD_ENV: 'staging' }, PROD,
      "sets DD_ENV='staging', but merged tracing needs DD_ENV='prod'. " +
      "Remove DD_ENV from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
    [{ DD_MERGE_XRAY_TRACES: 'false' }, PROD,
      "sets DD_MERGE_XRAY_TRACES='false', but merged tracing needs DD_MERGE_XRAY_TRACES='true'. " +
      "Remove DD_MERGE_XRAY_TRACES from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
    [{ DD_TRACE_ENABLED: 'false' }, PROD,
      "sets DD_TRACE_ENABLED='false', but merged tracing needs DD_TRACE_ENABLED='true'. " +
      "Remove DD_TRACE_ENABLED from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
    [{ DD_MERGE_XRAY_TRACES: 'true' }, { env: 'prod', mode: TracingMode.HYBRID },
      "sets DD_MERGE_XRAY_TRACES='true', but merged tracing needs DD_MERGE_XRAY_TRACES='false'. " +
      "Remove DD_MERGE_XRAY_TRACES from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
    [{ DD_SITE: 'datadoghq.eu' }, PROD,
      "sets DD_SITE='datadoghq.eu', but merged tracing needs DD_SITE='datadoghq.com'. " +
      "Remove DD_SITE from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
  ])('user env %j with %j is refused', (environment, options, problem) => {
    // GIVEN a function whose environment contradicts the options
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, options, { environment });
    // WHEN / THEN
    expect(synthError(stack)).toBe(`[cdk-trace-merging] Stack/Fn: ${problem}`);
  });

  test.each([
    [{ DD_MERGE_DATADOG_XRAY_TRACES: 'false' }, PROD,
      "sets DD_MERGE_DATADOG_XRAY_TRACES='false', but merged tracing needs DD_MERGE_DATADOG_XRAY_TRACES='true'. " +
      "Remove DD_MERGE_DATADOG_XRAY_TRACES from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
    [{ DD_TRACE_ENABLED: 'true' }, { env: 'prod', mode: TracingMode.HYBRID },
      "sets DD_TRACE_ENABLED='true', but merged tracing needs DD_TRACE_ENABLED='false'. " +
      "Remove DD_TRACE_ENABLED from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn'])."],
  ])('Ruby: user env %j with %j is refused (its own merge flag)', (environment, options, problem) => {
    // GIVEN a Ruby function whose environment contradicts the options
    const { stack } = traced(lambda.Runtime.RUBY_3_4, options, { environment });
    // WHEN / THEN
    expect(synthError(stack)).toBe(`[cdk-trace-merging] Stack/Fn: ${problem}`);
  });

  test('Ruby: the generic merge flag is not Ruby\'s, so a user value for it is left alone', () => {
    const { fn } = traced(lambda.Runtime.RUBY_3_4, PROD, { environment: { DD_MERGE_XRAY_TRACES: 'false' } });
    const vars = propsOf(fn).Environment.Variables;
    expect([vars.DD_MERGE_XRAY_TRACES, vars.DD_MERGE_DATADOG_XRAY_TRACES]).toEqual(['false', 'true']);
  });

  test('the same values the options would set are accepted', () => {
    const { fn } = traced(lambda.Runtime.NODEJS_22_X, PROD, { environment: { DD_ENV: 'prod', DD_MERGE_XRAY_TRACES: 'true' } });
    expect(propsOf(fn).Environment.Variables).toEqual(expect.objectContaining({ DD_ENV: 'prod', DD_MERGE_XRAY_TRACES: 'true' }));
  });

  test('every clash with the function\'s own variables is reported at once', () => {
    // GIVEN a function with another DD_ENV, DD_TRACE_ENABLED off, its own API key and another tracer's wrapper
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, { env: 'prod', apiKeySsmArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd' }, {
      environment: { DD_ENV: 'staging', DD_TRACE_ENABLED: 'false', DD_API_KEY: 'x', AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' },
    });
    // WHEN synthesized  THEN one error lists them all, with every fix
    expect(synthError(stack)).toBe('[cdk-trace-merging] Stack/Fn: ' +
      "sets AWS_LAMBDA_EXEC_WRAPPER (another tracer's wrapper, such as ADOT), which would trace it a second time beside Datadog. " +
      "sets DD_ENV='staging', but merged tracing needs DD_ENV='prod'; sets DD_TRACE_ENABLED='false', but merged tracing needs DD_TRACE_ENABLED='true'. " +
      'already sets DD_API_KEY, and the merged-tracing options give another Datadog API key source. ' +
      'Remove AWS_LAMBDA_EXEC_WRAPPER (and adotInstrumentation) from the function. ' +
      "Remove DD_ENV and DD_TRACE_ENABLED from the function's environment, or change the merged-tracing options. " +
      "Remove DD_API_KEY from the function's environment, or remove the API key from the options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('another exec wrapper (ADOT) on a Java function is refused', () => {
    const { stack } = traced(lambda.Runtime.JAVA_21, PROD, { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' } });
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: sets AWS_LAMBDA_EXEC_WRAPPER='/opt/otel-handler', but merged tracing needs " +
      "AWS_LAMBDA_EXEC_WRAPPER='/opt/datadog_wrapper' (another exec wrapper, such as ADOT, cannot run beside Datadog's). " +
      "Remove AWS_LAMBDA_EXEC_WRAPPER from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('a function already on the Datadog handler without DD_LAMBDA_HANDLER is refused', () => {
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, PROD, { handler: NODE_HANDLER });
    expect(synthError(stack)).toBe(
      `[cdk-trace-merging] Stack/Fn: already uses the Datadog handler '${NODE_HANDLER}' but has no DD_LAMBDA_HANDLER, ` +
      "so Datadog cannot find the real handler. Set the function's handler to your own handler and let merged tracing redirect it. " +
      "Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('a function already on the Datadog handler with DD_LAMBDA_HANDLER keeps both', () => {
    const { fn } = traced(lambda.Runtime.NODEJS_22_X, PROD, { handler: NODE_HANDLER, environment: { DD_LAMBDA_HANDLER: 'app.main' } });
    const props = propsOf(fn);
    expect([props.Handler, props.Environment.Variables.DD_LAMBDA_HANDLER]).toEqual([NODE_HANDLER, 'app.main']);
  });

  test('an unsupported runtime is refused with the list of supported ones', () => {
    const { stack } = traced(lambda.Runtime.NODEJS_16_X);
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: uses runtime 'nodejs16.x', for which Datadog publishes no Lambda layer. " +
      'Move it to a supported runtime (nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x, python3.8, python3.9, python3.10, ' +
      'python3.11, python3.12, python3.13, python3.14, ruby3.2, ruby3.3, ruby3.4, ruby4.0, java8.al2, java11, java17, java21, java25, java8.al2023, java11.al2023, java17.al2023, ' +
      "dotnet6, dotnet8, dotnet10, provided, provided.al2, provided.al2023), or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('a function with 5 layers already is refused (Lambda allows 5)', () => {
    // GIVEN five layers of the user's own
    const stack = stackIn();
    const layers = [1, 2, 3, 4, 5].map((i) =>
      lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:own${i}:1`));
    plainFunction(stack, 'Fn', { layers });
    MergedTracing.applyTo(stack, PROD);
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: has 5 layers; adding the 2 Datadog layers would pass Lambda's limit of 5. " +
      'Remove or merge some of its layers, or leave it out of merged tracing (excludeConstructPaths: [\'Stack/Fn\']).');
  });

  test('3 layers of the user\'s own plus the 2 Datadog layers fit exactly', () => {
    const stack = stackIn();
    const layers = [1, 2, 3].map((i) =>
      lambda.LayerVersion.fromLayerVersionArn(stack, `L${i}`, `arn:aws:lambda:us-east-1:123456789012:layer:own${i}:1`));
    const fn = plainFunction(stack, 'Fn', { layers });
    MergedTracing.applyTo(stack, PROD);
    expect(propsOf(fn).Layers).toHaveLength(5);
  });

  test('an environment that would pass 4 KB with the Datadog variables is refused', () => {
    // GIVEN 4003 bytes of the user's own (BIG + 4000 characters)
    const { stack } = traced(lambda.Runtime.NODEJS_22_X, PROD, { environment: { BIG: 'x'.repeat(4000) } });
    // WHEN / THEN: + DD_ENV=prod (10) + DD_SITE (20) + DD_TRACE_ENABLED (20) + DD_MERGE_XRAY_TRACES (24) + DD_LAMBDA_HANDLER (30)
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: would carry 4107 bytes of environment variables with the Datadog ones, over Lambda's limit of 4096. " +
      'Move large values to SSM Parameter Store or Secrets Manager, or leave it out of merged tracing (excludeConstructPaths: [\'Stack/Fn\']).');
  });
});

describe('idempotency', () => {
  test('applyTo twice with equal options adds no duplicate layers, variables, tags or statements', () => {
    // GIVEN two applyTo calls with equal (not identical) options on overlapping scopes
    const app = new App();
    const stack = stackIn('us-east-1', {}, app);
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', service: 'orders' });
    MergedTracing.applyTo(app, { env: 'prod', service: 'orders' });
    // WHEN
    const props = propsOf(fn);
    // THEN everything is there once
    expect(props.Layers).toEqual([LAYER('Datadog-Node22-x', 142), LAYER('Datadog-Extension', 99)]);
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_XRAY_TRACES: 'true',
      DD_SERVICE: 'orders',
      DD_LAMBDA_HANDLER: 'index.handler',
    });
    expect(props.Handler).toBe(NODE_HANDLER);
    expect(props.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'orders' }]);
    expect(statementsOf(fn)).toEqual([XRAY_STATEMENT]);
  });

  test('synthesizing twice changes nothing', () => {
    const { stack, fn } = traced(lambda.Runtime.PYTHON_3_12);
    const first = Template.fromStack(stack).toJSON();
    const again = (stack.node.root as App).synth({ force: true }).getStackByName(stack.stackName).template;
    expect(again).toEqual(first);
    expect(first.Resources[logicalId(fn)].Properties.Handler).toBe(PYTHON_HANDLER);
  });

  test('the nearest scope wins: options on the stack over options on the app', () => {
    // GIVEN the stack and the app traced with different env
    const app = new App();
    const stack = stackIn('us-east-1', {}, app);
    const fn = plainFunction(stack, 'Fn');
    const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
    const elsewhere = plainFunction(other, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod' });
    MergedTracing.applyTo(app, { env: 'staging' });
    // WHEN synthesized  THEN the stack's function follows the stack's options, the other stack's the app's
    expect(propsOf(fn).Environment.Variables.DD_ENV).toBe('prod');
    expect(propsOf(elsewhere).Environment.Variables.DD_ENV).toBe('staging');
  });

});

describe('container image functions', () => {
  test('get env and active tracing, no layers, and a warning naming what the image must contain', () => {
    // GIVEN a DockerImageFunction from ECR
    const stack = stackIn();
    const fn = new lambda.DockerImageFunction(stack, 'Image', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'orders')),
    });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'orders' });
    const props = propsOf(fn);
    // THEN
    expect(props.Layers).toBeUndefined();
    expect(props.Handler).toBeUndefined();
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod', DD_SITE: 'datadoghq.com', DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true', DD_SERVICE: 'orders',
    });
    expect(statementsOf(fn)).toEqual([XRAY_STATEMENT]);
    Annotations.fromStack(stack).hasWarning('/Stack/Image', ackWarning('ContainerImageFunction',
      'Container image functions cannot take layers: tracing and Datadog variables are set, but the image itself must contain ' +
      'the Datadog Lambda library for its runtime, the Datadog extension (/opt/extensions/datadog-agent) and a CMD/handler ' +
      'that goes through the Datadog wrapper (see Datadog\'s "Instrumenting Lambda container images"). Ruby images also need ' +
      'DD_MERGE_DATADOG_XRAY_TRACES=true.'));
  });
});

describe('inline code', () => {
  test('a Node function with inline code is instrumented like any other', () => {
    // GIVEN Code.fromInline (the example app uses it)
    const stack = stackIn();
    new lambda.Function(stack, 'Inline', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    // WHEN
    MergedTracing.applyTo(stack, PROD);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: NODE_HANDLER,
      Environment: { Variables: Match.objectLike({ DD_LAMBDA_HANDLER: 'index.handler' }) },
    });
  });
});
