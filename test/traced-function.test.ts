import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DatadogTracedFunction, MergedTracingStack, TracingMode } from '../lib';
import { ACCOUNT, errorOf, functionProps, logicalId, refusalsIn, stackIn } from './support/fixtures';
import { MergedTracing } from '../lib/instrument/merged-tracing';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const PYTHON_HANDLER = 'datadog_lambda.handler.handler';

function propsOf(fn: lambda.IFunction): Record<string, any> {
  return Template.fromStack(Stack.of(fn)).toJSON().Resources[logicalId(fn)].Properties;
}

describe('DatadogTracedFunction', () => {
  test('with its own options, outside any MergedTracingStack, is fully instrumented', () => {
    // GIVEN a traced Python function on arm64 in a plain stack
    const stack = stackIn();
    const fn = new DatadogTracedFunction(stack, 'Fn', {
      ...functionProps(stack, lambda.Runtime.PYTHON_3_13, { architecture: lambda.Architecture.ARM_64 }),
      mergedTracing: { env: 'prod', service: 'pricing', apiKeySsmArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd' },
    });
    // WHEN synthesized
    const props = propsOf(fn);
    // THEN
    expect(props.Handler).toBe(PYTHON_HANDLER);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Layers).toEqual([
      'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python313-ARM:127',
      'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:99',
    ]);
    expect(props.Environment.Variables).toEqual({
      DD_ENV: 'prod',
      DD_SITE: 'datadoghq.com',
      DD_TRACE_ENABLED: 'true',
      DD_MERGE_XRAY_TRACES: 'true',
      DD_SERVICE: 'pricing',
      DD_LAMBDA_HANDLER: 'index.handler',
      DD_API_KEY_SSM_ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/dd',
    });
    expect(props.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'pricing' }]);
    expect(fn.mergedTracing.service).toBe('pricing');
  });

  test('without options inherits the enclosing MergedTracingStack\'s', () => {
    // GIVEN a MergedTracingStack in HYBRID mode
    const stack = new MergedTracingStack(new App(), 'Stack', { env: ENV, tracing: { env: 'prod', mode: TracingMode.HYBRID } });
    // WHEN a traced function is created without options
    const fn = new DatadogTracedFunction(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    // THEN it carries the stack's
    expect(fn.mergedTracing).toBe(stack.tracing);
    expect(propsOf(fn).Environment.Variables).toEqual(expect.objectContaining({ DD_ENV: 'prod', DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false' }));
  });

  test('inherits through a construct nested in the stack', () => {
    const stack = new MergedTracingStack(new App(), 'Stack', { env: ENV, tracing: { env: 'qa' } });
    const fn = new DatadogTracedFunction(new Construct(stack, 'Feature'), 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    expect(propsOf(fn).Environment.Variables.DD_ENV).toBe('qa');
  });

  test('its own options win over the MergedTracingStack\'s (no "instrumented twice" error)', () => {
    // GIVEN a stack traced as prod, and a function traced as staging with its own service
    const stack = new MergedTracingStack(new App(), 'Stack', { env: ENV, tracing: { env: 'prod', service: 'shop' } });
    const fn = new DatadogTracedFunction(stack, 'Fn', {
      ...functionProps(stack, lambda.Runtime.NODEJS_22_X),
      mergedTracing: { env: 'staging', service: 'canary', mode: TracingMode.HYBRID },
    });
    // WHEN
    const props = propsOf(fn);
    // THEN the function's own options apply
    expect(props.Environment.Variables).toEqual(expect.objectContaining({
      DD_ENV: 'staging', DD_SERVICE: 'canary', DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false',
    }));
    expect(props.Tags).toEqual([{ Key: 'env', Value: 'staging' }, { Key: 'service', Value: 'canary' }]);
  });

  test('its own options win over an app-wide MergedTracing.applyTo', () => {
    const app = new App();
    const stack = stackIn('us-east-1', {}, app);
    const fn = new DatadogTracedFunction(stack, 'Fn', { ...functionProps(stack, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'staging' } });
    MergedTracing.applyTo(app, { env: 'prod' });
    expect(propsOf(fn).Environment.Variables.DD_ENV).toBe('staging');
  });

  test('outside any MergedTracingStack and without options is refused', () => {
    // GIVEN a plain stack
    const stack = stackIn();
    // WHEN / THEN
    expect(errorOf(() => new DatadogTracedFunction(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X)))).toBe(
      '[cdk-trace-merging] Stack/Fn: has no merged-tracing options. ' +
      'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
  });

  test('invalid own options are refused at construction, naming the function', () => {
    const stack = stackIn();
    expect(errorOf(() => new DatadogTracedFunction(stack, 'Fn', {
      ...functionProps(stack, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod', site: 'example.com' },
    }))).toBe("[cdk-trace-merging] Stack/Fn: site 'example.com' is not a Datadog site. Use one of: datadoghq.com, datadoghq.eu, " +
      'us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com, ddog-gov.com, us2.ddog-gov.com.');
  });

  test('variables added after construction are respected (DD_SERVICE) or refused (DD_ENV)', () => {
    // GIVEN a traced function whose environment changes after construction
    const stack = stackIn();
    const fn = new DatadogTracedFunction(stack, 'Fn', { ...functionProps(stack, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' } });
    fn.addEnvironment('DD_SERVICE', 'late');
    // THEN
    expect(propsOf(fn).Environment.Variables.DD_SERVICE).toBe('late');

    const stack2 = stackIn();
    const fn2 = new DatadogTracedFunction(stack2, 'Fn', { ...functionProps(stack2, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' } });
    fn2.addEnvironment('DD_ENV', 'dev');
    expect(refusalsIn(errorOf(() => Template.fromStack(stack2)))).toBe(
      "[cdk-trace-merging] Stack/Fn: sets DD_ENV='dev', but merged tracing needs DD_ENV='prod'. " +
      "Remove DD_ENV from the function's environment, or change the merged-tracing options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });
});
