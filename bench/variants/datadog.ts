import { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatadogLambda } from 'datadog-cdk-constructs-v2';
import { BENCH_TRACING, VariantHooks } from '../app';

/**
 * (c) datadog-cdk-constructs-v2 3.12.0, configured for merged traces as its documentation says:
 * explicit layer versions (no lookups), the extension, merge on, no source-code integration (no git),
 * and X-Ray turned on by hand on functions, stages and state machines (the workload does that when
 * `xrayByHand` is set), since DatadogLambda does not do it.
 * The API key is passed as an ISecret: with `apiKeySecretArn` and a construct, 3.12.0 imports the
 * secret under one fixed id once per function and fails on the second function of a stack.
 */
export const hooks: VariantHooks = {
  xrayByHand: true,
  createStack: (app, id, props) => new Stack(app, id, props),
  afterStack: (stack, functions) => {
    const datadog = new DatadogLambda(stack, 'Datadog', {
      nodeLayerVersion: BENCH_TRACING.nodeLayerVersion,
      pythonLayerVersion: BENCH_TRACING.pythonLayerVersion,
      extensionLayerVersion: BENCH_TRACING.extensionLayerVersion,
      apiKeySecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'DatadogApiKey', BENCH_TRACING.apiKeySecretArn),
      env: BENCH_TRACING.env,
      service: BENCH_TRACING.service,
      version: BENCH_TRACING.version,
      site: 'datadoghq.com',
      enableDatadogTracing: true,
      enableMergeXrayTraces: true,
      sourceCodeIntegration: false,
    });
    datadog.addLambdaFunctions(functions);
  },
};
