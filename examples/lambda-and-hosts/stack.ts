/**
 * Lambda and hosts (HYBRID mode): an ECS Fargate service and an EC2 Auto Scaling group, both traced by dd-trace and
 * the Datadog Agent, call a Lambda function traced by X-Ray. All carry the same env / service / version, so Datadog
 * shows them side by side, and the Datadog AWS integration may read the X-Ray traces.
 */
import * as path from 'path';
import { Aws } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { DatadogEc2Tracing, DatadogEcsTracing, DatadogXRayIntegrationAccess, MergedTracingStack, MergedTracingStackProps } from '../../lib';

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

    // Host side on EC2: the same service on an Auto Scaling group. A launch template, since AWS no longer offers launch
    // configurations to new accounts; public subnets and addresses again, and no ingress.
    const hostRole = new iam.Role(this, 'OrdersHostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const hostUserData = ec2.UserData.forLinux();
    const hosts = new autoscaling.AutoScalingGroup(this, 'OrdersHosts', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      minCapacity: 1,
      maxCapacity: 2,
      launchTemplate: new ec2.LaunchTemplate(this, 'OrdersHostTemplate', {
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
        role: hostRole,
        userData: hostUserData,
        securityGroup: new ec2.SecurityGroup(this, 'OrdersHostSecurityGroup', { vpc, description: 'orders hosts: outbound only' }),
        associatePublicIpAddress: true,
        requireImdsv2: true,
      }),
    });
    pricing.grantInvoke(hostRole);

    // The Agent (API key read at boot from the same secret), DD_ENV / DD_SERVICE / DD_VERSION for every process, and
    // the env / service / version tags, with this stack's options. Created before the service's own lines below, so
    // that the service's systemd unit starts with the variables already in systemd's environment.
    new DatadogEc2Tracing(this, 'OrdersHostsTracing', { autoScalingGroup: hosts });

    const server = new s3assets.Asset(this, 'OrdersServer', { path: path.join(__dirname, 'service', 'server.js') });
    server.grantRead(hostRole);
    hostUserData.addCommands(
      'dnf install -y nodejs npm',
      'mkdir -p /opt/orders',
      `aws s3 cp ${server.s3ObjectUrl} /opt/orders/server.js`,
      'cd /opt/orders && npm install --omit=dev dd-trace@5 @aws-sdk/client-lambda@3',
      "cat > /etc/systemd/system/orders.service <<'UNIT'",
      '[Service]',
      'WorkingDirectory=/opt/orders',
      `Environment=PRICE_FUNCTION_NAME=${pricing.functionName} AWS_REGION=${Aws.REGION}`,
      // dd-trace starts before the app so it instruments the AWS SDK, as in the container.
      'ExecStart=/usr/bin/node --require dd-trace/init server.js',
      'Restart=always',
      '[Install]',
      'WantedBy=multi-user.target',
      'UNIT',
      'systemctl daemon-reload && systemctl enable --now orders',
    );

    // Datadog reads the function's X-Ray traces through its AWS integration role.
    new DatadogXRayIntegrationAccess(this, 'DatadogXRay', {
      role: iam.Role.fromRoleName(this, 'DatadogIntegrationRole', props.datadogIntegrationRoleName),
    });
  }
}
