import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { findings, violationAt } from './validation';
import { DatadogEcsTracing, MergedTracing, MergedTracingChecker, TracingMode } from '../../lib';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';

/** One app: a function traced with env 'prod' and an ECS task traced with `taskEnv`. */
function hybridApp(taskEnv: string): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Hybrid', { env: { account: '123456789012', region: 'us-east-1' } });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'code-bucket'), 'code.zip'),
  });
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  task.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1') });
  new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: { env: taskEnv, mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN } });
  MergedTracing.applyTo(app, { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app, { writeReport: false });
  return { app, stack };
}

describe('MergedTracingChecker sees the host side', () => {
  test('an ECS task traced with another env than the functions is an EnvMismatch', () => {
    // GIVEN functions on 'prod' and a task on 'staging' in one deployment unit
    const { stack } = hybridApp('staging');

    // WHEN / THEN the task definition is reported, with both values and both paths
    expect(findings(stack, 'error')).toEqual(['/Hybrid/Task EnvMismatch']);
    expect(violationAt(stack, 'Hybrid/Task', 'EnvMismatch')?.description).toMatch(
      /^This resource has env 'staging', but 'prod' at Hybrid\/Fn is in the same deployment unit.*\[cdk-trace-merging:EnvMismatch\]$/);
  });

  test('the same env on both sides: no EnvMismatch', () => {
    // GIVEN / WHEN
    const { stack } = hybridApp('prod');

    // THEN
    expect(findings(stack, 'error')).toEqual([]);
  });
});
