import { IConstruct } from 'constructs';

/** The Helm chart options both EKS modules take alike. */
export interface HelmChartSettings {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  readonly namespace: string;
  readonly release: string;
  readonly createNamespace: boolean;
  readonly values: Record<string, unknown>;
}

/**
 * What tracing needs of a cluster, the same for aws-eks and aws-eks-v2 (their cluster classes share no type): each
 * construct adapts its module's cluster to this once, and the rest of the tracing is written once.
 */
export interface EksClusterParts {
  /** The cluster construct. */
  readonly cluster: IConstruct;
  /** Its name (a token). */
  readonly clusterName: string;
  /** The module, as messages name it. */
  readonly module: 'aws-eks' | 'aws-eks-v2';
  addHelmChart(id: string, settings: HelmChartSettings): IConstruct;
  addManifest(id: string, manifest: Array<Record<string, any>>): IConstruct;
  /** The cluster's EKS Pod Identity Agent add-on (created on first use by the cluster itself). */
  podIdentityAgent(): IConstruct | undefined;
  /** The Fargate profiles defined under the cluster (addFargateProfile, FargateCluster's default one), once built. */
  fargateProfiles(): IConstruct[];
}
