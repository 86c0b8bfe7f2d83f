import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BENCH_TRACING, VariantHooks } from '../app';

/**
 * (d) The floor: the same templates as (b), written by hand into the workload with plain aws-cdk-lib
 * calls, with no aspect, no check and no validation of our own. What (d) costs over (a) is what
 * aws-cdk-lib charges to resolve, validate and write the merged-tracing content itself; (b) over (d)
 * is this library's own work. test/bench/handwritten.test.ts holds the templates equal to (b)'s.
 */
export const hooks: VariantHooks = {
  xrayByHand: false,
  createStack: (app, id, props) => new Stack(app, id, props),
  afterStack: (stack, functions) => {
    const layers = new Map<string, lambda.ILayerVersion>();
    const layer = (name: string, version: number) => {
      const arn = `arn:aws:lambda:${stack.region}:464622532012:layer:${name}:${version}`;
      if (!layers.has(arn)) layers.set(arn, lambda.LayerVersion.fromLayerVersionArn(stack, `Layer${name}`, arn));
      return layers.get(arn)!;
    };
    const policy = new iam.Policy(stack, 'DatadogMergedTracingPolicyXRay', {
      statements: [
        new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [BENCH_TRACING.apiKeySecretArn],
        }),
      ],
    });
    // The library's cdk-nag suppression of the X-Ray wildcard, as it writes it (lib/common/cdk-nag.ts).
    nagSuppression(policy);
    for (const fn of functions) {
      const cfn = fn.node.defaultChild as lambda.CfnFunction;
      const node = fn.runtime.name.startsWith('nodejs');
      fn.addLayers(node ? layer('Datadog-Node22-x', BENCH_TRACING.nodeLayerVersion) : layer('Datadog-Python312', BENCH_TRACING.pythonLayerVersion),
        layer('Datadog-Extension', BENCH_TRACING.extensionLayerVersion));
      const variables: Record<string, string> = {
        DD_ENV: BENCH_TRACING.env,
        DD_SITE: 'datadoghq.com',
        DD_TRACE_ENABLED: 'true',
        DD_MERGE_XRAY_TRACES: 'true',
        DD_SERVICE: BENCH_TRACING.service,
        DD_VERSION: BENCH_TRACING.version,
        DD_LAMBDA_HANDLER: cfn.handler!,
        DD_API_KEY_SECRET_ARN: BENCH_TRACING.apiKeySecretArn,
      };
      for (const [key, value] of Object.entries(variables)) fn.addEnvironment(key, value);
      cfn.handler = node ? '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler' : 'datadog_lambda.handler.handler';
      cfn.tracingConfig = { mode: 'Active' };
      tag(cfn.tags);
      policy.attachToRole(fn.role!);
      cfn.node.addDependency(policy);
    }
    const api = stack.node.findChild('Api') as apigateway.RestApi;
    const stage = api.deploymentStage.node.defaultChild as apigateway.CfnStage;
    stage.tracingEnabled = true;
    tag(stage.tags);
    const stateMachine = stack.node.findChild('Flow') as sfn.StateMachine;
    const cfnStateMachine = stateMachine.node.defaultChild as sfn.CfnStateMachine;
    cfnStateMachine.tracingConfiguration = { enabled: true };
    tag(cfnStateMachine.tags);
    const machinePolicy = new iam.Policy(stateMachine, 'DatadogXRayPolicy', {
      statements: [new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      })],
    });
    machinePolicy.attachToRole(stateMachine.role);
    nagSuppression(machinePolicy);
    cfnStateMachine.node.addDependency(machinePolicy);
  },
};

function nagSuppression(policy: iam.Policy): void {
  const reason = 'X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSampling*) support no resource-level permissions, ' +
    'so the only Resource they accept is "*" (cdk-trace-merging).';
  (policy.node.defaultChild as iam.CfnPolicy).addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason, applies_to: ['Resource::*'] }] });
}

function tag(tags: { setTag(key: string, value: string): void }): void {
  tags.setTag('env', BENCH_TRACING.env);
  tags.setTag('service', BENCH_TRACING.service);
  tags.setTag('version', BENCH_TRACING.version);
}
