import { App, AspectPriority, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MergedTracingStack } from '../../lib';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { ACCOUNT, ackWarning, functionProps, logicalId, plainFunction, stackIn, synthError } from '../support/fixtures';

const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
const LAYERS = [
  'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:142',
  'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99',
];

function propsOf(fn: lambda.IFunction): Record<string, any> {
  return Template.fromStack(Stack.of(fn)).toJSON().Resources[logicalId(fn)].Properties;
}

/** A function is merged-traced: active tracing, the Datadog layers, the redirect and DD_ENV. */
function expectTraced(fn: lambda.IFunction, env = 'prod'): void {
  const props = propsOf(fn);
  expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  expect(props.Layers).toEqual(LAYERS);
  expect(props.Handler).toBe(NODE_HANDLER);
  expect(props.Environment.Variables.DD_ENV).toBe(env);
}

/** A function is left exactly as the user wrote it. */
function expectUntouched(fn: lambda.IFunction): void {
  const props = propsOf(fn);
  expect(props.TracingConfig).toBeUndefined();
  expect(props.Layers).toBeUndefined();
  expect(props.Handler).toBe('index.handler');
  expect(props.Environment).toBeUndefined();
  expect(props.Tags).toBeUndefined();
}

describe('MergedTracing.applyTo reaches nested Stages', () => {
  test('stacks in a Stage, and in a Stage inside a Stage, are instrumented from the app', () => {
    // GIVEN functions in the app, in a Stage, and in a Stage within a Stage
    const app = new App();
    const env = { account: ACCOUNT, region: 'us-east-1' };
    const top = plainFunction(new Stack(app, 'Top', { env }), 'Fn');
    const outer = new Stage(app, 'Outer', { env });
    const inOuter = plainFunction(new Stack(outer, 'Stack'), 'Fn');
    const inner = new Stage(outer, 'Inner');
    const inInner = plainFunction(new Stack(inner, 'Stack'), 'Fn');
    // WHEN applied to the app after the Stages exist
    MergedTracing.applyTo(app, { env: 'prod' });
    // THEN all three are traced
    expectTraced(top);
    expectTraced(inOuter);
    expectTraced(inInner);
  });

  test('a plain Aspects.of(app).add does not cross Stages (which is why applyTo exists)', () => {
    const app = new App();
    const stage = new Stage(app, 'Stage', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const fn = plainFunction(new Stack(stage, 'Stack'), 'Fn');
    Aspects.of(app).add(new MergedTracing({ env: 'prod' }), { priority: AspectPriority.MUTATING });
    expectUntouched(fn);
  });

  test('new MergedTracing added with Aspects.of(stack) instruments like applyTo', () => {
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    Aspects.of(stack).add(new MergedTracing({ env: 'prod' }), { priority: AspectPriority.MUTATING });
    expectTraced(fn);
  });
});

describe('what is instrumented', () => {
  test('a subclass of lambda.Function (NodejsFunction-like) is instrumented', () => {
    // GIVEN a user class extending lambda.Function
    class OrdersFunction extends lambda.Function {
      constructor(scope: Construct, id: string) {
        super(scope, id, functionProps(scope, lambda.Runtime.NODEJS_22_X));
      }
    }
    const stack = stackIn();
    const fn = new OrdersFunction(stack, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expectTraced(fn);
  });

  test('a SingletonFunction is instrumented (its function lives at the stack root)', () => {
    // GIVEN a SingletonFunction of the user's
    const stack = stackIn();
    const single = new lambda.SingletonFunction(stack, 'Thumbnails', {
      uuid: 'c0ffee00-1111-2222-3333-444455556666', lambdaPurpose: 'Thumbnailer', ...functionProps(stack, lambda.Runtime.NODEJS_22_X),
    });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the one underlying function is traced
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    expect(Object.keys(fns)).toEqual([expect.stringMatching(/^Thumbnailerc0ffee00111122223333444455556666/)]);
    const props = Object.values<any>(fns)[0].Properties;
    expect(props.Layers).toEqual(LAYERS);
    expect(props.Handler).toBe(NODE_HANDLER);
    expect(single.runtime).toBe(lambda.Runtime.NODEJS_22_X);
  });

  test('an imported function gets the ImportedFunction warning and nothing else', () => {
    // GIVEN an imported function next to a defined one
    const stack = stackIn();
    lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:legacy');
    plainFunction(stack, 'Fn');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Imported', ackWarning('ImportedFunction',
      'This function is imported, so this app cannot turn on X-Ray or add the Datadog layers to it. ' +
      'Instrument it in the app that defines it (same env tag), or acknowledge this warning.'));
    expect(Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('ImportedFunction'))).toEqual([]);
  });

  test('versions and aliases of a function are not mistaken for imported functions', () => {
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    MergedTracing.applyTo(stack, { env: 'prod' });
    const importedWarnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ImportedFunction'));
    expect(importedWarnings).toEqual([]);
    expectTraced(fn);
  });

  test('applyTo an app reaches every stack in it', () => {
    const app = new App();
    const a = plainFunction(stackIn('us-east-1', { stackName: 'a' }, app), 'Fn');
    const b = plainFunction(new Stack(app, 'Other', { env: { account: ACCOUNT, region: 'us-east-1' } }), 'Fn');
    MergedTracing.applyTo(app, { env: 'prod' });
    expectTraced(a);
    expectTraced(b);
  });
});

describe('narrower scopes', () => {
  test('applyTo a construct inside a stack instruments only what is below it', () => {
    // GIVEN a feature construct with a function, and a function beside it
    const stack = stackIn();
    const inside = plainFunction(new Construct(stack, 'Feature'), 'Fn');
    const outside = plainFunction(stack, 'Other');
    // WHEN
    MergedTracing.applyTo(stack.node.findChild('Feature'), { env: 'prod' });
    // THEN
    expectTraced(inside);
    expectUntouched(outside);
  });

  test('two disjoint scopes may use different options', () => {
    const stack = stackIn();
    const a = plainFunction(new Construct(stack, 'A'), 'Fn');
    const b = plainFunction(new Construct(stack, 'B'), 'Fn');
    MergedTracing.applyTo(stack.node.findChild('A'), { env: 'prod' });
    MergedTracing.applyTo(stack.node.findChild('B'), { env: 'staging' });
    expectTraced(a, 'prod');
    expectTraced(b, 'staging');
  });

  test('an app-wide applyTo plus a stack excluded from it by path and traced on its own', () => {
    // GIVEN the app traced as prod except the Canary stack, traced as canary
    const app = new App();
    const main = plainFunction(stackIn('us-east-1', {}, app), 'Fn');
    const canaryStack = new Stack(app, 'Canary', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const canary = plainFunction(canaryStack, 'Fn');
    MergedTracing.applyTo(app, { env: 'prod', excludeConstructPaths: ['Canary'] });
    MergedTracing.applyTo(canaryStack, { env: 'canary' });
    // THEN no "instrumented twice" error, each with its own env
    expectTraced(main, 'prod');
    expectTraced(canary, 'canary');
  });
});

describe('exclusions', () => {
  test('excludeFunctions leaves those functions untouched and traces the rest', () => {
    // GIVEN two functions, one excluded
    const stack = stackIn();
    const kept = plainFunction(stack, 'Kept');
    const skipped = plainFunction(stack, 'Skipped');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', excludeFunctions: [skipped] });
    // THEN
    expectTraced(kept);
    expectUntouched(skipped);
  });

  test('Tracing.DISABLED cannot be seen (CDK renders nothing and exposes no prop): excludeFunctions keeps such a function untraced', () => {
    // GIVEN two functions with tracing: Tracing.DISABLED, one of them excluded
    const stack = stackIn();
    const disabled = plainFunction(stack, 'Disabled', { tracing: lambda.Tracing.DISABLED });
    const excluded = plainFunction(stack, 'Excluded', { tracing: lambda.Tracing.DISABLED });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod', excludeFunctions: [excluded] });
    // THEN the first is traced like any other (documented beside excludeFunctions), the excluded one stays without X-Ray
    expectTraced(disabled);
    expectUntouched(excluded);
    expect(propsOf(excluded).TracingConfig).toBeUndefined();
  });

  test('excludeConstructPaths skips a path and everything below it, not siblings sharing its prefix', () => {
    // GIVEN functions under Stack/Legacy, at Stack/Legacy itself, and under Stack/LegacyNew
    const stack = stackIn();
    const legacy = new Construct(stack, 'Legacy');
    const below = plainFunction(legacy, 'Fn');
    const sibling = plainFunction(new Construct(stack, 'LegacyNew'), 'Fn');
    const exact = plainFunction(stack, 'Exact');
    // WHEN (a trailing slash is tolerated)
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Legacy/', 'Stack/Exact'] });
    // THEN
    expectUntouched(below);
    expectUntouched(exact);
    expectTraced(sibling);
  });

  test('excludeConstructPaths accepts paths as warnings print them (with a leading slash)', () => {
    // GIVEN a path copied from an annotation, '/Stack/Legacy'
    const stack = stackIn();
    const below = plainFunction(new Construct(stack, 'Legacy'), 'Fn');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['/Stack/Legacy'] });
    // THEN
    expectUntouched(below);
  });

  test('excludeFunctions accepts a SingletonFunction', () => {
    // GIVEN a SingletonFunction the user wants left alone
    const stack = stackIn();
    const single = new lambda.SingletonFunction(stack, 'Single', {
      uuid: 'c0ffee00-1111-2222-3333-444455556666', lambdaPurpose: 'Legacy', ...functionProps(stack, lambda.Runtime.NODEJS_22_X),
    });
    const other = plainFunction(stack, 'Fn');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', excludeFunctions: [single] });
    // THEN its underlying function is untouched
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const legacy = Object.entries<any>(fns).find(([id]) => id.startsWith('Legacy'))![1].Properties;
    expect(legacy.Layers).toBeUndefined();
    expect(legacy.TracingConfig).toBeUndefined();
    expect(legacy.Handler).toBe('index.handler');
    expectTraced(other);
  });

  test('an excluded function may carry settings merged tracing would refuse', () => {
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_16_X, tracing: lambda.Tracing.PASS_THROUGH });
    MergedTracing.applyTo(stack, { env: 'prod', excludeFunctions: [fn] });
    expect(propsOf(fn).TracingConfig).toEqual({ Mode: 'PassThrough' });
  });
});

describe('equal options given twice', () => {
  test('the same options written in another key order are the same options', () => {
    // GIVEN a MergedTracingStack and an app-wide applyTo with equal options, keys in another order
    const app = new App();
    const stack = new MergedTracingStack(app, 'Stack', {
      env: { account: ACCOUNT, region: 'us-east-1' },
      tracing: { env: 'prod', service: 'orders', version: '1' },
    });
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(app, { version: '1', service: 'orders', env: 'prod' });
    // WHEN / THEN no "instrumented twice" error, and the function is traced once
    expectTraced(fn);
  });

  test('a MergedTracingStack under an app-wide applyTo with other options: the stack\'s options win (nearest scope)', () => {
    // GIVEN a MergedTracingStack (env prod) in an app traced with env staging
    const app = new App();
    const stack = new MergedTracingStack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' }, tracing: { env: 'prod' } });
    const fn = plainFunction(stack, 'Fn');
    MergedTracing.applyTo(app, { env: 'staging' });
    // WHEN synthesized  THEN no error, and the function carries the stack's options only
    expect(propsOf(fn).Environment.Variables.DD_ENV).toBe('prod');
    expect(propsOf(fn).Layers).toEqual(LAYERS);
  });

  test('two different options on one scope (a MergedTracing aspect added to a MergedTracingStack) are refused, naming both', () => {
    // GIVEN a MergedTracingStack with another MergedTracing aspect added to the stack itself
    const app = new App();
    const stack = new MergedTracingStack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' }, tracing: { env: 'prod' } });
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'staging' });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: is covered by two different sets of merged-tracing options at the same scope, given at 'Stack' and at 'Stack'; " +
      'the nearest scope wins, but neither of these is nearer. ' +
      'Keep one set of options for that scope, give the other to a narrower scope (a Stage, stack or construct), or exclude the function from one of them with excludeFunctions.');
  });
});

describe('no noise: the library\'s own constructs add no annotation the user cannot act on', () => {
  test.each<[string, string | undefined]>([
    ['environment-agnostic', undefined],
    ['us-east-1', 'us-east-1'],
    ['us-gov-west-1 (FIPS extension)', 'us-gov-west-1'],
  ])('%s stack, API key given: no info, warning or error at all', (_name, region) => {
    // GIVEN a Node.js and a Python arm64 function in a stack of that region, with an API key secret
    const app = new App();
    const stack = new Stack(app, 'Stack', region ? { env: { account: ACCOUNT, region } } : {});
    // (code with an object version: aws-cdk-lib warns about bucket code without one, which is the test's, not ours)
    const code = lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'code-bucket'), 'code.zip', 'v1');
    new lambda.Function(stack, 'Node', { code, runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler' });
    new lambda.Function(stack, 'Python', { code, runtime: lambda.Runtime.PYTHON_3_13, handler: 'index.handler', architecture: lambda.Architecture.ARM_64 });
    // WHEN merged tracing is applied and the stack synthesized
    // (the secret in the stack's partition: one of another partition is refused)
    const partition = region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    MergedTracing.applyTo(stack, {
      env: 'prod', apiKeySecretArn: `arn:${partition}:secretsmanager:${region ?? 'us-east-1'}:123456789012:secret:datadog/api-key-AbCdEf`,
    });
    const annotations = Annotations.fromStack(stack);
    // THEN nothing is printed: in particular not aws-cdk-lib's INFO "Consider making this CfnMapping a lazy
    // mapping" on the library's DatadogLayerAccounts mapping (it is lazy, and always used with AWS::Partition)
    expect(annotations.findInfo('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });
});
