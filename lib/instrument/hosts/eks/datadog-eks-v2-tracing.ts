import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { installClusterAgent } from './cluster-agent';
import { EksClusterParts, refuseImportedCluster } from './eks-cluster-parts';
import { DatadogEksTracingOptions } from './eks-tracing-options';
import { labelledManifest } from './workload-labels';
import { failAt } from '../../../common/errors';
import { TracingConfig } from '../../../config';
import { MergedTracingOptions } from '../../../options';

/** Props of DatadogEksV2Tracing. */
export interface DatadogEksV2TracingProps extends DatadogEksTracingOptions {
  /** The cluster (aws-cdk-lib/aws-eks-v2) whose workloads run dd-trace; one defined in this app, with a kubectl provider. */
  readonly cluster: eks.ICluster;
}

/**
 * DatadogEksTracing for a cluster of `aws-cdk-lib/aws-eks-v2`: the same Agent, key path and labels. aws-eks-v2's
 * KubernetesManifest takes no property injectors, so add the app's workloads through `addManifest` here to have them
 * labelled; the checker reports any workload of the cluster without its labels.
 */
export class DatadogEksV2Tracing extends Construct {
  /** The options the cluster is traced with. */
  public readonly mergedTracing: MergedTracingOptions;

  /** The role the Agent's service accounts take (EKS Pod Identity) to read the API key, when the key is in AWS. */
  public readonly agentRole?: iam.IRole;

  private readonly cluster: eks.Cluster;
  private readonly config: TracingConfig;

  constructor(scope: Construct, id: string, props: DatadogEksV2TracingProps) {
    super(scope, id);
    refuseImportedCluster(this, props.cluster, props.cluster instanceof eks.Cluster);
    const cluster = props.cluster as eks.Cluster;
    if (!cluster.kubectlProvider) {
      failAt(this, `cluster ${cluster.node.path} has no kubectl provider, and the Datadog Agent's Helm chart and the labelled manifests need one.`,
        "Create the cluster with kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(this, 'Kubectl') } (@aws-cdk/lambda-layer-kubectl-v33).");
    }
    this.cluster = cluster;
    const agent = installClusterAgent(this, clusterParts(cluster), props);
    this.mergedTracing = agent.mergedTracing;
    this.agentRole = agent.role;
    this.config = agent.config;
  }

  /** Adds Kubernetes resources to the cluster with their workloads labelled (env, service, version, admission). */
  public addManifest(id: string, ...manifest: Array<Record<string, any>>): eks.KubernetesManifest {
    return this.cluster.addManifest(id, ...labelledManifest(this, manifest, this.config));
  }
}

function clusterParts(cluster: eks.Cluster): EksClusterParts {
  return {
    cluster,
    clusterName: cluster.clusterName,
    addHelmChart: (id, settings) => cluster.addHelmChart(id, settings),
    podIdentityAgent: () => cluster.eksPodIdentityAgent,
    fargateProfiles: () => cluster.node.findAll().filter((c): c is IConstruct => c instanceof eks.FargateProfile),
  };
}
