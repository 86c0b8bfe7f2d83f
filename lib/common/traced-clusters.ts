import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HiddenProperty } from './hidden-property';

/**
 * The EKS clusters a DatadogEksTracing traces, kept on the app's root so the checker can tell which Kubernetes
 * manifests belong to one (lib/check and lib/instrument never import each other; both import this).
 */
export interface TracedCluster {
  /** The cluster construct (aws-eks or aws-eks-v2). */
  readonly cluster: IConstruct;
  /** Its name, a token: a manifest of this cluster names it in its ClusterName property. */
  readonly clusterName: string;
  /** The construct path of the DatadogEksTracing, for messages. */
  readonly tracingPath: string;
  /** The Helm chart of the Agent, left out of the report's app charts; none without an API key. */
  readonly agentChart?: IConstruct;
  /** The env of its merged-tracing options: the Agent's default env. */
  readonly env: string;
  /** False without an API key source: the workloads get their labels, but no Agent is installed. */
  readonly agentInstalled: boolean;
}

const TRACED_CLUSTERS = new HiddenProperty<TracedCluster[]>('TracedClusters');

function registry(scope: IConstruct): TracedCluster[] {
  const root = scope.node.root;
  let list = TRACED_CLUSTERS.get(root);
  if (!list) {
    list = [];
    TRACED_CLUSTERS.set(root, list);
  }
  return list;
}

/** Records a traced cluster. */
export function markTracedCluster(traced: TracedCluster): void {
  registry(traced.cluster).push(traced);
}

/** The tracing of a cluster construct, if any. */
export function tracedClusterOf(cluster: IConstruct): TracedCluster | undefined {
  return registry(cluster).find((t) => t.cluster === cluster);
}

/**
 * The traced cluster a Kubernetes resource (manifest, Helm chart) of the given construct and synthesized ClusterName
 * belongs to: the one it was added under (cluster.addManifest), else the one whose name it references in its stack.
 */
export function tracedClusterOfResource(owner: IConstruct, clusterNameProperty: unknown): TracedCluster | undefined {
  const clusters = registry(owner);
  if (clusters.length === 0) return undefined;
  const under = clusters.find((t) => owner.node.scopes.includes(t.cluster));
  if (under) return under;
  const stack = Stack.of(owner);
  return clusters.find((t) => Stack.of(t.cluster) === stack && namesCluster(stack, t.clusterName, clusterNameProperty));
}

/**
 * Whether a value as a template of `stack` writes it (a ClusterName property: a literal, or a Ref to the cluster) names
 * the cluster whose name is the token `clusterName`.
 */
export function namesCluster(stack: Stack, clusterName: string, written: unknown): boolean {
  return JSON.stringify(stack.resolve(clusterName)) === JSON.stringify(written);
}
