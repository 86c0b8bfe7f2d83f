/**
 * Lambda and hosts (HYBRID mode): an ECS Fargate service traced by dd-trace and the Datadog Agent
 * calls a Lambda function traced by X-Ray. Both carry the same env / service / version, so Datadog
 * shows them side by side, and the Datadog AWS integration may read the X-Ray traces.
 */
import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DatadogEcsTracing, DatadogXRayIntegrationAccess, MergedTracingStack, MergedTracingStackProps } from '../../lib';

const PRICE_HANDLER = `
exports.handler = async (event) => ({ sku: event && event.sku, price: 42 });
`;

/** Props of the example stack. */
export interface LambdaAndHostsStackProps extends MergedTracingStackProps {
  /** Name of the IAM role the Datadog AWS integration assumes in this account. */
  readonly datadogIntegrationRoleName: string;
}

/** The example's one stack; its tracing options should use TracingMode.HYBRID. */
export class LambdaAndHostsStack extends MergedTracingStack {
  constructor(scope: Construct, id: string, props: LambdaAndHostsStackProps) {
    super(scope, id, props);

    // Lambda side: a plain function. The stack's aspect turns on X-Ray (HYBRID: X-Ray traces Lambda,
    // the Datadog layers stay for metrics and logs) and tags it with env / service / version.
    const pricing = new lambda.Function(this, 'PriceFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PRICE_HANDLER),
    });

    // Host side: a Fargate service running dd-trace (service/Dockerfile) that calls the function.
    // Public subnets and a public IP keep the example free of NAT gateways; there is no ingress.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(this, 'OrdersTask', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('orders', {
      containerName: 'orders',
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'service')),
      environment: { PRICE_FUNCTION_NAME: pricing.functionName },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders' }),
    });
    pricing.grantInvoke(task.taskRole);

    // The Agent sidecar, DD_* variables and labels, with this stack's options (same env as the function).
    new DatadogEcsTracing(this, 'OrdersTracing', { taskDefinition: task });

    new ecs.FargateService(this, 'OrdersService', {
      cluster,
      taskDefinition: task,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });

    // Datadog reads the function's X-Ray traces through its AWS integration role.
    new DatadogXRayIntegrationAccess(this, 'DatadogXRay', {
      role: iam.Role.fromRoleName(this, 'DatadogIntegrationRole', props.datadogIntegrationRoleName),
    });
  }
}
