import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MergedTracingStack } from '../lib';
import { ACCOUNT, errorOf, functionProps, logicalId } from './support/fixtures';
import { MergedTracing } from '../lib/instrument/merged-tracing';

const ENV = { account: ACCOUNT, region: 'us-east-1' };

function propsOf(fn: lambda.IFunction): Record<string, any> {
  return Template.fromStack(Stack.of(fn)).toJSON().Resources[logicalId(fn)].Properties;
}

describe('MergedTracingStack', () => {
  test('instruments every plain function in it and exposes its options', () => {
    // GIVEN a MergedTracingStack with a plain lambda.Function
    const stack = new MergedTracingStack(new App(), 'Stack', { env: ENV, tracing: { env: 'prod', version: '2.0.0' } });
    const fn = new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.JAVA_21, { handler: 'a.B::handle' }));
    // WHEN
    const props = propsOf(fn);
    // THEN (Java: no merge variable, Datadog's Java tracer reads none)
    expect(stack.tracing).toEqual({ env: 'prod', version: '2.0.0' });
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_VERSION: '2.0.0',
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/datadog_wrapper',
    });
    expect(props.Handler).toBe('a.B::handle');
  });

  test('enclosing() finds the nearest MergedTracingStack, also through a nested stack, and nothing outside one', () => {
    const app = new App();
    const traced = new MergedTracingStack(app, 'Traced', { env: ENV, tracing: { env: 'prod' } });
    const nested = new NestedStack(traced, 'Nested');
    const plain = new Stack(app, 'Plain');
    expect(MergedTracingStack.enclosing(nested)).toBe(traced);
    expect(MergedTracingStack.enclosing(plain)).toBeUndefined();
  });

  test('a function in a NestedStack of a MergedTracingStack is instrumented, its layers imported in the nested stack', () => {
    // GIVEN a nested stack inside a MergedTracingStack
    const stack = new MergedTracingStack(new App(), 'Stack', { env: ENV, tracing: { env: 'prod' } });
    const nested = new NestedStack(stack, 'Nested');
    const fn = new lambda.Function(nested, 'Fn', functionProps(nested, lambda.Runtime.NODEJS_22_X));
    // WHEN / THEN
    expect(propsOf(fn).Layers).toEqual([
      'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:142',
      'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99',
    ]);
  });

  test('under an app-level MergedTracing.applyTo, the stack\'s own options win (nearest scope), with no error', () => {
    // GIVEN an app traced with env 'staging' holding a MergedTracingStack with env 'prod' and a plain stack
    const app = new App();
    const tracedStack = new MergedTracingStack(app, 'Shop', { env: ENV, tracing: { env: 'prod' } });
    const inStack = new lambda.Function(tracedStack, 'Fn', functionProps(tracedStack, lambda.Runtime.NODEJS_22_X));
    const plain = new Stack(app, 'Plain', { env: ENV });
    const inPlain = new lambda.Function(plain, 'Fn', functionProps(plain, lambda.Runtime.NODEJS_22_X));
    MergedTracing.applyTo(app, { env: 'staging' });
    // WHEN synthesized
    // THEN the MergedTracingStack's functions follow its options, the rest follow the app's
    expect(propsOf(inStack).Environment.Variables.DD_ENV).toBe('prod');
    expect(propsOf(inPlain).Environment.Variables.DD_ENV).toBe('staging');
    expect(propsOf(inStack).Tags).toEqual(expect.arrayContaining([{ Key: 'env', Value: 'prod' }]));
  });

  test('invalid options are refused at construction, naming the stack', () => {
    expect(errorOf(() => new MergedTracingStack(new App(), 'Shop', { tracing: { env: 'prod', apiKey: 'k' } }))).toBe(
      '[cdk-trace-merging] Shop: apiKey would put the Datadog API key in plaintext into the template and the Lambda console. ' +
      'Store it in Secrets Manager and pass apiKeySecret, or set allowPlaintextApiKey: true to accept the exposure.');
  });
});
