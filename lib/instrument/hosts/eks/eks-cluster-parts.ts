import { IConstruct } from 'constructs';
import { failAt } from '../../../common/errors';

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
  addHelmChart(id: string, settings: HelmChartSettings): IConstruct;
  /** The cluster's EKS Pod Identity Agent add-on (created on first use by the cluster itself). */
  podIdentityAgent(): IConstruct | undefined;
  /** The Fargate profiles defined under the cluster (addFargateProfile, FargateCluster's default one), once built. */
  fargateProfiles(): IConstruct[];
}

/** An imported cluster is refused: tracing must see its node groups, Fargate profiles and add-ons. */
export function refuseImportedCluster(scope: IConstruct, cluster: IConstruct, definedHere: boolean): void {
  if (definedHere) return;
  failAt(scope, `cluster ${cluster.node.path} is imported (eks.Cluster.fromClusterAttributes), so its node groups, Fargate profiles and ` +
    'add-ons cannot be seen here.', 'Trace the cluster in the app that defines it (pass the eks.Cluster itself).');
}
