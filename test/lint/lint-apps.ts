/**
 * The test apps cfn-lint reads (test/lint/cfn-lint.test.ts): every kind of resource merged tracing writes or changes,
 * in the regions Datadog's layer list treats differently, synthesized into one output directory each.
 */
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DatadogEc2Tracing, DatadogEcsTracing, DatadogEksTracing, DatadogEksV2Tracing, TracingMode } from '../../lib';
import { layerInRegion } from '../../lib/datadog/region-layers';
import { libraryLayerName, runtimeRow, supportedRuntimeNames } from '../../lib/datadog/runtimes';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { deployment, eksCluster, eksV2Cluster } from '../instrument/hosts/eks/eks-fixtures';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';
import { ACCOUNT, functionProps } from '../support/fixtures';

const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`;
/** The API key secret in the partition of a region (a secret of another partition is refused: no grant reaches it). */
const secretArnIn = (region: string | undefined) => (region?.startsWith('us-gov-')
  ? `arn:aws-us-gov:secretsmanager:${region}:${ACCOUNT}:secret:datadog/api-key-AbCdEf` : SECRET_ARN);

/** Regions linted: a plain one, the two newest (no Ruby/Java/.NET), the lagging one, GovCloud. */
export const LINTED_REGIONS = ['us-east-1', 'ap-east-2', 'ap-southeast-6', 'me-central-1', 'us-gov-west-1'];

/**
 * A function of every runtime Datadog publishes in the region, on both architectures (one stack per region), plus
 * the environment-agnostic stack (every runtime). Deprecated runtimes are in it on purpose: cfn-lint's W2531 for
 * them is the user's choice of runtime, not something merged tracing caused.
 */
function runtimeMatrix(app: App, trace: boolean, region: string | undefined): void {
  const stack = new Stack(app, `Runtimes-${region ?? 'agnostic'}`, region ? { env: { account: ACCOUNT, region } } : {});
  for (const runtimeName of supportedRuntimeNames()) {
    for (const arm64 of [false, true]) {
      const layer = libraryLayerName(runtimeRow(runtimeName)!, arm64);
      if (region && layer && !layerInRegion(region, layer).published) continue;
      const architecture = arm64 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
      new lambda.Function(stack, `${runtimeName}-${arm64 ? 'arm64' : 'x86'}`, functionProps(stack, new lambda.Runtime(runtimeName), { architecture }));
    }
  }
  if (trace) MergedTracing.applyTo(stack, { env: 'prod', service: 'lint', apiKeySecretArn: secretArnIn(region), fips: region === 'me-central-1' ? true : undefined });
}

/** API Gateway -> Lambda -> Step Functions -> Lambda, SNS topics in a stack and a nested stack, a KMS-encrypted key. */
function managedHops(app: App, trace: boolean): void {
  const stack = new Stack(app, 'Hops', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const secret = new secretsmanager.Secret(stack, 'DatadogApiKey', { encryptionKey: key });
  const fn = new lambda.Function(stack, 'Api', functionProps(stack, lambda.Runtime.NODEJS_22_X));
  new apigateway.LambdaRestApi(stack, 'Rest', { handler: fn });
  const worker = new lambda.Function(stack, 'Worker', functionProps(stack, lambda.Runtime.PYTHON_3_13));
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Work', { lambdaFunction: worker })) });
  new sns.Topic(stack, 'Orders');
  new sns.Topic(new NestedStack(stack, 'Nested'), 'Refunds');
  new sns.Topic(new Stack(app, 'MoreTopics', { env: { account: ACCOUNT, region: 'us-east-1' } }), 'Shipments');
  if (trace) MergedTracing.applyTo(app, { env: 'prod', service: 'lint', apiKeySecret: secret });
}

/** A function in a VPC's private subnets (NAT), and an ECS task traced in HYBRID mode. */
function networkAndHosts(app: App, trace: boolean): void {
  const stack = new Stack(app, 'Network', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  new lambda.Function(stack, 'InVpc', functionProps(stack, lambda.Runtime.NODEJS_22_X, { vpc }));
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('example/app:1') });
  const host = new ec2.Instance(stack, 'Host', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  const apiKey = new secretsmanager.Secret(stack, 'ApiKey');
  if (!trace) return;
  const options = { env: 'prod', service: 'lint', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN };
  new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: options });
  // The secret's ARN is a token: it reaches the host's user data as Fn::Base64 inside the user data's Fn::Join.
  new DatadogEc2Tracing(stack, 'HostTracing', { instance: host, mergedTracing: { ...options, apiKeySecretArn: undefined, apiKeySecret: apiKey } });
  MergedTracing.applyTo(stack, options);
}

/** An aws-eks cluster and an aws-eks-v2 cluster (one per stack), each traced, with a Deployment added after the tracing. */
function eksClusters(app: App, trace: boolean): void {
  const options = { env: 'prod', service: 'lint', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN };
  const v1 = new Stack(app, 'Eks', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const cluster = eksCluster(v1);
  if (trace) new DatadogEksTracing(v1, 'Tracing', { cluster, mergedTracing: options });
  cluster.addManifest('App', deployment('web'));
  const v2 = new Stack(app, 'EksV2', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const clusterV2 = eksV2Cluster(v2);
  const ssm = { ...options, apiKeySecretArn: undefined, apiKeySsmArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/datadog/api-key` };
  if (trace) new DatadogEksV2Tracing(v2, 'Tracing', { cluster: clusterV2, mergedTracing: ssm }).addManifest('App', deployment('web'));
  else clusterV2.addManifest('App', deployment('web'));
}

/** Two Stages in one account and region: one shared SNS policy. */
function stages(app: App, trace: boolean): void {
  for (const name of ['Beta', 'Gamma']) {
    const stage = new Stage(app, name, { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new sns.Topic(new Stack(stage, 'Topics'), 'Orders');
    if (trace) MergedTracing.applyTo(stage, { env: name.toLowerCase(), apiKeySecretArn: SECRET_ARN });
  }
}

/**
 * Synthesizes every test app into `outdir`, traced (merged tracing applied) or plain (the same app without it: what
 * cfn-lint says of the plain one was not caused by the library).
 */
export function synthesizeLintApps(outdir: string, trace: boolean): void {
  const apps: Array<[string, (app: App, trace: boolean) => void]> = [
    ...[...LINTED_REGIONS, undefined].map((region): [string, (app: App, trace: boolean) => void] =>
      [`runtimes-${region ?? 'agnostic'}`, (app, t) => runtimeMatrix(app, t, region)]),
    ['hops', managedHops],
    ['network', networkAndHosts],
    ['stages', stages],
    ['eks', eksClusters],
  ];
  for (const [name, build] of apps) {
    const app = new App(appPropsWithoutCfnValidation({ outdir: `${outdir}/${name}` }));
    build(app, trace);
    app.synth();
  }
}
