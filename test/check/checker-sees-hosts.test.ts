import { App, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { findings, reportEntries, violationAt } from './validation';
import { DatadogEc2Tracing, DatadogEcsTracing, TracingMode } from '../../lib';
import { MergedTracingChecker } from '../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../lib/instrument/merged-tracing';

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
    // and the fix names where the task's env was set
    expect(violationAt(stack, 'Hybrid/Task', 'EnvMismatch')?.suggestedFix).toBe(
      "Use env 'prod' for every traced resource of the app: set it in the mergedTracing options of its DatadogEcsTracing (deploy other environments as separate Stages).");
  });

  test('the same env on both sides: no EnvMismatch', () => {
    // GIVEN / WHEN
    const { stack } = hybridApp('prod');

    // THEN
    expect(findings(stack, 'error')).toEqual([]);
  });
});

/** One app: a function traced with env 'prod', an Auto Scaling group traced with `hostEnv`, and an untraced instance tagged env. */
function ec2App(hostEnv: string, writeReport = false,
  hostKey: { apiKeySecretArn?: string } = { apiKeySecretArn: SECRET_ARN }): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Hosts', { env: { account: '123456789012', region: 'us-east-1' } });
  new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'code-bucket'), 'code.zip'),
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const machine = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', machine);
  new DatadogEc2Tracing(stack, 'GroupTracing', {
    autoScalingGroup: group, mergedTracing: { env: hostEnv, mode: TracingMode.HYBRID, ...hostKey },
  });
  // An instance the app tags itself but nobody traces: not a host of merged tracing.
  Tags.of(new ec2.Instance(stack, 'Bastion', machine)).add('env', 'ops');
  MergedTracing.applyTo(app, { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app, { writeReport });
  return { app, stack };
}

describe('MergedTracingChecker sees EC2 hosts traced by DatadogEc2Tracing', () => {
  test('an Auto Scaling group traced with another env than the functions is an EnvMismatch naming both', () => {
    // GIVEN functions on 'prod' and a group on 'staging' in one deployment unit
    const { stack } = ec2App('staging');

    // WHEN / THEN the group is reported, with both values and both paths; the untraced instance is not compared
    expect(findings(stack, 'error')).toEqual(['/Hosts/Group EnvMismatch']);
    expect(violationAt(stack, 'Hosts/Group', 'EnvMismatch')?.description).toMatch(
      /^This resource has env 'staging', but 'prod' at Hosts\/Fn is in the same deployment unit.*\[cdk-trace-merging:EnvMismatch\]$/);
  });

  test('the same env: no finding, and the report lists the group as traced by the Datadog Agent, not the untraced instance', () => {
    // GIVEN
    const { stack } = ec2App('prod', true);

    // WHEN / THEN
    expect(findings(stack, 'error')).toEqual([]);
    expect(reportEntries(stack).filter((e) => e.kind !== 'Lambda function').map((e) => `${e.path} | ${e.kind} | ${e.status}`)).toEqual([
      'Hosts/Group | Auto Scaling group | datadog-traced',
    ]);
  });

  test('a group traced without an API key runs no Agent: listed as not-traced, never as traced by the Agent', () => {
    // GIVEN a group whose tracing has no API key source (NoApiKey: the Agent is not installed)
    const { stack } = ec2App('prod', true, {});

    // WHEN / THEN
    expect(reportEntries(stack).filter((e) => e.kind === 'Auto Scaling group').map((e) => `${e.path} | ${e.status}`)).toEqual([
      'Hosts/Group | not-traced',
    ]);
  });
});

describe('a traced host checks itself where nothing else checks it', () => {
  test('DatadogEcsTracing in a plain Stack: its task definition is in the report; with checks off it is listed as not checked', () => {
    for (const checks of [undefined, { enabled: false }]) {
      // GIVEN an ECS task traced in a stack nobody checks
      const app = new App();
      const stack = new Stack(app, 'Ecs', { env: { account: '123456789012', region: 'us-east-1' } });
      const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
      task.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1') });
      new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: { env: 'prod', apiKeySecretArn: SECRET_ARN }, checks });
      // WHEN / THEN
      expect(reportEntries(app).map((e) => [e.path, e.status, e.env])).toEqual([
        ['Ecs/Task', checks ? 'excluded' : 'datadog-traced', 'prod'],
      ]);
    }
  });
});
