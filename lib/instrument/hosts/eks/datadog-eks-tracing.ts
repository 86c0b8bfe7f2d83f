import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { installClusterAgent } from './cluster-agent';
import { EksClusterParts, refuseImportedCluster } from './eks-cluster-parts';
import { DatadogEksTracingOptions } from './eks-tracing-options';
import { labelManifestsUnder } from './manifest-labels-injector';
import { labelledManifest } from './workload-labels';
import { TracingConfig } from '../../../config';
import { MergedTracingOptions } from '../../../options';

/** Props of DatadogEksTracing. */
export interface DatadogEksTracingProps extends DatadogEksTracingOptions {
  /** The cluster (aws-cdk-lib/aws-eks) whose workloads run dd-trace; one defined in this app, not imported. */
  readonly cluster: eks.ICluster;
}

/**
 * Traces an EKS cluster of `aws-cdk-lib/aws-eks` with dd-trace, as the host side of HYBRID mode: Datadog's Helm chart
 * installs the Agent (APM and DogStatsD on each node, the Cluster Agent's admission controller) with the API key read by
 * the Agent's service accounts alone, through EKS Pod Identity; the workloads of the manifests added to the cluster from
 * now on (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs) get the `env` / `service` / `version` labels of
 * unified service tagging and the admission label, so their pods get DD_AGENT_HOST, DD_ENV, DD_SERVICE and DD_VERSION.
 * For the cluster of `aws-cdk-lib/aws-eks-v2`, use DatadogEksV2Tracing.
 */
export class DatadogEksTracing extends Construct {
  /** The options the cluster is traced with. */
  public readonly mergedTracing: MergedTracingOptions;

  /** The role the Agent's service accounts take (EKS Pod Identity) to read the API key, when the key is in AWS. */
  public readonly agentRole?: iam.IRole;

  private readonly cluster: eks.Cluster;
  private readonly config: TracingConfig;

  constructor(scope: Construct, id: string, props: DatadogEksTracingProps) {
    super(scope, id);
    refuseImportedCluster(this, props.cluster, props.cluster instanceof eks.Cluster);
    const cluster = props.cluster as eks.Cluster;
    this.cluster = cluster;
    const agent = installClusterAgent(this, clusterParts(cluster), props);
    this.mergedTracing = agent.mergedTracing;
    this.agentRole = agent.role;
    this.config = agent.config;
    labelManifestsUnder(this, cluster, agent.config);
  }

  /**
   * Adds Kubernetes resources to the cluster with their workloads labelled (what `cluster.addManifest` does once this
   * construct exists; here for manifests whose order of creation you do not control).
   */
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
