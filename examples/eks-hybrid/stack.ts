/**
 * Lambda and EKS (HYBRID mode): a Deployment on an EKS cluster, traced by dd-trace and the Datadog Agent the Helm chart
 * installs, beside a Lambda function traced by X-Ray. The workload's pods get the same env / service / version as the
 * function (unified service tagging labels), and the Cluster Agent injects DD_AGENT_HOST into them.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DatadogEksTracing, MergedTracingStack, MergedTracingStackProps } from '../../lib';

const PRICE_HANDLER = `
exports.handler = async (event) => ({ sku: event && event.sku, price: 42 });
`;

/** Props of the example stack. */
export interface EksHybridStackProps extends MergedTracingStackProps {
  /** ARN of a kubectl Lambda layer (e.g. the one @aws-cdk/lambda-layer-kubectl-v33 publishes), for the cluster's kubectl handler. */
  readonly kubectlLayerArn: string;
}

/** The example's one stack; its tracing options should use TracingMode.HYBRID. */
export class EksHybridStack extends MergedTracingStack {
  constructor(scope: Construct, id: string, props: EksHybridStackProps) {
    super(scope, id, props);

    // Lambda side: a plain function; the stack's aspect turns on X-Ray and tags it env / service / version.
    new lambda.Function(this, 'PriceFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PRICE_HANDLER),
    });

    // Kubernetes side: a cluster with a managed node group (the Agent is a DaemonSet: nodes, not Fargate).
    const cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.of('1.33'),
      vpc: new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      defaultCapacity: 0,
      kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(this, 'KubectlLayer', props.kubectlLayerArn),
    });
    cluster.addNodegroupCapacity('Nodes', { instanceTypes: [new ec2.InstanceType('t3.large')], minSize: 2 });

    // The Agent, its key path and the labels, with this stack's options (same env as the function).
    new DatadogEksTracing(this, 'ClusterTracing', { cluster });

    // Added after the tracing: its pods get tags.datadoghq.com/env|service|version and the admission label.
    cluster.addManifest('Orders', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orders', labels: { app: 'orders' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'orders' } },
        template: {
          metadata: { labels: { app: 'orders' } },
          spec: { containers: [{ name: 'orders', image: 'public.ecr.aws/docker/library/node:22-slim', command: ['node', '-e', 'setInterval(() => {}, 1000)'] }] },
        },
      },
    });
  }
}
