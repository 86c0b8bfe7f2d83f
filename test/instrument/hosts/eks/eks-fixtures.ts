import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ACCOUNT } from '../../../support/fixtures';

/** The API key secret the EKS tests read. */
export const EKS_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`;

/** A kubectl layer by ARN: the tests synthesize, nothing runs kubectl. */
export function kubectlLayer(stack: Stack): lambda.ILayerVersion {
  const existing = stack.node.tryFindChild('KubectlLayer') as lambda.ILayerVersion | undefined;
  return existing ?? lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:kubectl:1`);
}

/** An aws-eks cluster with one managed node group (no default capacity to keep templates small). */
export function eksCluster(stack: Stack, id = 'Cluster'): eks.Cluster {
  const vpc = new ec2.Vpc(stack, `${id}Vpc`, { maxAzs: 2, natGateways: 1 });
  const cluster = new eks.Cluster(stack, id, {
    version: eks.KubernetesVersion.of('1.33'),
    vpc,
    defaultCapacity: 0,
    kubectlLayer: kubectlLayer(stack),
  });
  cluster.addNodegroupCapacity('Nodes', { instanceTypes: [new ec2.InstanceType('t3.large')], minSize: 2 });
  return cluster;
}

/** An aws-eks-v2 cluster with a kubectl provider (or without, for the refusal). */
export function eksV2Cluster(stack: Stack, id = 'Cluster', withKubectl = true): eksv2.Cluster {
  const vpc = new ec2.Vpc(stack, `${id}Vpc`, { maxAzs: 2, natGateways: 1 });
  return new eksv2.Cluster(stack, id, {
    version: eksv2.KubernetesVersion.of('1.33'),
    vpc,
    defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 2,
    ...(withKubectl ? { kubectlProviderOptions: { kubectlLayer: kubectlLayer(stack) } } : {}),
  });
}

/** A Deployment of the app, as users write it. */
export function deployment(name: string, labels: Record<string, string> = {}, namespace?: string): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { app: name, ...labels } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, ...labels } }, spec: { containers: [{ name, image: `example/${name}:1` }] } },
    },
  };
}
