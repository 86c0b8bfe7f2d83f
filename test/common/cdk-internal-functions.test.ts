import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { testWithFeatureFlag } from '../support/cdk-features';
import { logicalId, plainFunction, stackIn } from '../support/fixtures';

// Newer than the peer minimum of aws-cdk-lib, which always shares one EvaluateExpression singleton.
const DEDICATED_EVAL_FUNCTION_FLAG = '@aws-cdk/aws-stepfunctions-tasks:evaluateExpressionDedicatedFunction';

/** Every AWS::Lambda::Function in the stack, by logical id. */
function functionsOf(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources('AWS::Lambda::Function');
}

/** Any sign of merged tracing: X-Ray on, a Datadog layer, or a Datadog variable. */
function isTraced(resource: any): boolean {
  return resource.Properties.TracingConfig !== undefined
    || JSON.stringify(resource.Properties.Layers ?? []).includes(':464622532012:layer:Datadog-')
    || Object.keys(resource.Properties.Environment?.Variables ?? {}).some((k) => k.startsWith('DD_'));
}

/** Logical ids of the functions merged tracing touched. */
function tracedIds(stack: Stack): string[] {
  return Object.entries(functionsOf(stack)).filter(([, r]) => isTraced(r)).map(([id]) => id).sort();
}

describe('CDK\'s own functions are not instrumented; the user\'s functions beside them are', () => {
  test('AwsCustomResource', () => {
    // GIVEN an AwsCustomResource and a user function
    const stack = stackIn();
    new cr.AwsCustomResource(stack, 'Lookup', {
      onCreate: {
        service: 'SSM', action: 'getParameter', parameters: { Name: '/app/flag' }, physicalResourceId: cr.PhysicalResourceId.of('flag'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN only the user's is traced; CDK's singleton is there, untouched
    expect(Object.keys(functionsOf(stack)).some((id) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))).toBe(true);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('core CustomResourceProvider: its handler is a plain CfnResource of the function type, neither traced nor warned about as an L1 function', () => {
    // GIVEN a core CustomResourceProvider (its handler is a CfnResource, not a CfnFunction) and a user function
    const stack = stackIn();
    const codeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-'));
    fs.writeFileSync(path.join(codeDirectory, 'index.js'), 'exports.handler = async () => ({});');
    const provider = CustomResourceProvider.getOrCreateProvider(stack, 'Custom::Thing', { codeDirectory, runtime: CustomResourceProviderRuntime.NODEJS_22_X });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken, resourceType: 'Custom::Thing' });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN only the user's function is traced, and nothing is said about the provider's handler
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('L1Function'))).toEqual([]);
  });

  test('s3-deployment BucketDeployment, also with memoryLimit (which changes its singleton id)', () => {
    // GIVEN two bucket deployments (default and 1024 MiB) and a user function
    const stack = stackIn();
    const source = s3.Bucket.fromBucketName(stack, 'Source', 'site-source');
    const destination = s3.Bucket.fromBucketName(stack, 'Destination', 'site');
    new s3deploy.BucketDeployment(stack, 'Deploy', {
      sources: [s3deploy.Source.bucket(source, 'site.zip')], destinationBucket: destination,
    });
    new s3deploy.BucketDeployment(stack, 'DeployBig', {
      sources: [s3deploy.Source.bucket(source, 'big.zip')], destinationBucket: destination, memoryLimit: 1024,
    });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN two CDK deployment handlers exist and neither is traced
    const deploymentHandlers = Object.keys(functionsOf(stack)).filter((id) => id.startsWith('CustomCDKBucketDeployment'));
    expect(deploymentHandlers).toHaveLength(2);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('custom-resources Provider: framework functions and the waiter state machine are CDK\'s; the handlers are the user\'s', () => {
    // GIVEN a Provider with the user's onEvent and isComplete handlers
    const stack = stackIn();
    const onEvent = plainFunction(stack, 'OnEvent');
    const isComplete = plainFunction(stack, 'IsComplete');
    new cr.Provider(stack, 'Provider', { onEventHandler: onEvent, isCompleteHandler: isComplete });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the framework functions (onEvent, isComplete, onTimeout) are untouched
    const framework = Object.keys(functionsOf(stack)).filter((id) => id.startsWith('Providerframework'));
    expect(framework).toHaveLength(3);
    expect(tracedIds(stack)).toEqual([logicalId(isComplete), logicalId(onEvent)].sort());
    // and so is the framework's waiter state machine, whose role the user cannot reach
    const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
    expect(Object.values<any>(machines).map((m) => m.Properties.TracingConfiguration)).toEqual([undefined]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('StateMachineRoleNeedsXRay'));
  });

  test('LogRetention (logRetention prop)', () => {
    // GIVEN a user function with logRetention, which makes CDK add its LogRetention function
    const stack = stackIn();
    const mine = plainFunction(stack, 'Mine', { logRetention: logs.RetentionDays.ONE_WEEK });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(Object.keys(functionsOf(stack)).some((id) => id.startsWith('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a'))).toBe(true);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('aws-ecs: the instance drain hook of EC2 capacity', () => {
    // GIVEN an ECS cluster with EC2 capacity (which gets CDK's drain hook function) and a user function
    const stack = stackIn();
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.micro') });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(Object.keys(functionsOf(stack)).some((id) => id.startsWith('ClusterCapacityDrainECSHookFunction'))).toBe(true);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('aws-eks-v2: the kubectl provider handler', () => {
    // GIVEN an EKS cluster (which gets CDK's kubectl handler and its Provider framework) and a user function
    const stack = stackIn();
    new eks.Cluster(stack, 'Eks', {
      version: eks.KubernetesVersion.V1_33,
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      kubectlProviderOptions: {
        kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', 'arn:aws:lambda:us-east-1:123456789012:layer:kubectl:1'),
      },
    });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(Object.keys(functionsOf(stack)).some((id) => id.startsWith('EksKubectlProviderHandler'))).toBe(true);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  testWithFeatureFlag(DEDICATED_EVAL_FUNCTION_FLAG, 'aws-stepfunctions-tasks: the EvaluateExpression function', () => {
    // GIVEN a state machine with an EvaluateExpression task (CDK adds a singleton Node.js function) and a user function
    const stack = stackIn();
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EvaluateExpression(stack, 'Sum', { expression: '$.a + $.b' })),
    });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(Object.keys(functionsOf(stack)).filter((id) => id.startsWith('SumEvalFunction'))).toHaveLength(1);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('aws-stepfunctions-tasks: the shared EvaluateExpression singleton (dedicated-function feature flag off)', () => {
    // GIVEN an app without the flag, where EvaluateExpression shares one singleton per runtime
    const app = new App({ context: { [DEDICATED_EVAL_FUNCTION_FLAG]: false } });
    const stack = stackIn('us-east-1', {}, app);
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EvaluateExpression(stack, 'Sum', { expression: '$.a + $.b' })),
    });
    const mine = plainFunction(stack, 'Mine');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(Object.keys(functionsOf(stack)).filter((id) => /^Eval[0-9a-f]{32}/.test(id))).toHaveLength(1);
    expect(tracedIds(stack)).toEqual([logicalId(mine)]);
  });

  test('a user function that merely resembles nothing internal is traced (no false positives by runtime or handler)', () => {
    const stack = stackIn();
    const fn = plainFunction(stack, 'framework', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'framework.onEvent' });
    MergedTracing.applyTo(stack, { env: 'prod' });
    expect(tracedIds(stack)).toEqual([logicalId(fn)]);
  });
});
