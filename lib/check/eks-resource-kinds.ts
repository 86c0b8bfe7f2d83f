import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isDeployTimeValue, manifestContents, readTemplateJson } from './kubernetes-manifests';
import type { ResourceKind } from './resource-kinds';
import { EksClusterFacts } from './rules/eks-cluster';
import { EKS_CLUSTER_RULES, EKS_FARGATE_PROFILE_RULES, KUBERNETES_WORKLOAD_RULES } from './rules/index';
import { literal, Properties } from './rules/rule';
import { SynthesizedResource } from './synthesized-resources';
import { KubernetesWorkload } from '../common/kubernetes-workloads';
import { namesCluster, TracedCluster, tracedClusterOfResource } from '../common/traced-clusters';
import { UNIFIED_SERVICE_LABELS } from '../datadog/datadog-helm-chart';

/*
 * The rows of the checker's resource kinds (resource-kinds.ts) for EKS clusters DatadogEksTracing traces: the cluster,
 * the workloads of its manifests, and the app's Helm charts on it. aws-eks and aws-eks-v2 write the same custom
 * resource types for manifests and charts; their clusters differ (a custom resource, and AWS::EKS::Cluster).
 */

const propertiesOf = (r: SynthesizedResource): Properties => r.properties;

/**
 * The construct users know a manifest or chart by: the KubernetesManifest or HelmChart above the CustomResource that
 * holds the L1 (each has the one or the other as its default child).
 */
function l2Owner(r: SynthesizedResource): IConstruct {
  let owner = r.owner;
  const holds = (parent: IConstruct) => [r.cfn, owner].includes(parent.node.defaultChild as IConstruct);
  for (let parent = owner.node.scope; parent && holds(parent); parent = parent.node.scope) owner = parent;
  return owner;
}

const isWithin = (construct: IConstruct, scope: IConstruct): boolean => construct.node.scopes.includes(scope);

/** A workload of a manifest on a traced EKS cluster, as the checker sees it. */
interface WorkloadInput {
  readonly workload: KubernetesWorkload;
  readonly agentInstalled: boolean;
}

const NO_WORKLOAD: KubernetesWorkload = { kind: '', name: '', namespace: '', serviceAccount: '', labels: {}, podLabels: {} };

/**
 * The workloads of the Kubernetes manifests of a cluster DatadogEksTracing traces (aws-eks and aws-eks-v2 write the same
 * resource type), one entry each: the env their pods carry joins EnvMismatch; a manifest that cannot be read is listed
 * as not checked.
 */
const KUBERNETES_WORKLOADS: ResourceKind<WorkloadInput> = {
  type: 'Custom::AWSCDK-EKS-KubernetesResource',
  noun: 'Kubernetes workload',
  kind: 'Kubernetes workload',
  rules: KUBERNETES_WORKLOAD_RULES.map((rule) => ({ ...rule, check: (input: WorkloadInput) => rule.check(input.workload) })),
  parts: (r) => {
    const traced = tracedClusterOfResource(r.owner, r.properties.ClusterName);
    if (!traced) return [];
    const workloads = manifestContents(r.properties.Manifest)?.workloads;
    if (workloads === undefined) return [{ ...r, owner: l2Owner(r) }];
    const owner = l2Owner(r);
    return workloads.map((workload) => ({
      ...r, owner, part: { label: `${workload.kind} ${workload.name}`, content: { workload, agentInstalled: traced.agentInstalled } },
    }));
  },
  leftAlone: (r) => (r.part === undefined
    ? { status: 'excluded', reason: 'a manifest this checker cannot read (its Manifest is neither JSON nor a join of JSON text and values), so its workloads are not checked' }
    : undefined),
  input: (r) => (r.part?.content as WorkloadInput | undefined) ?? { workload: NO_WORKLOAD, agentInstalled: false },
  nature: (w) => (w.agentInstalled ? { kind: 'host' } : { kind: 'no-xray', rule: 'NoApiKey' }),
  // What the pods carry is what the admission controller injects as DD_ENV; a value known at deployment is not compared.
  env: (w) => {
    const env = literal(w.workload.podLabels[UNIFIED_SERVICE_LABELS.env] ?? w.workload.labels[UNIFIED_SERVICE_LABELS.env]);
    return env !== undefined && isDeployTimeValue(env) ? undefined : env;
  },
  envCarriedIn: `its pod template's ${UNIFIED_SERVICE_LABELS.env} label (or the mergedTracing options of its DatadogEksTracing)`,
};

/** The app's own Helm charts on a traced cluster: their workloads are rendered on the cluster, out of the checker's sight. */
const KUBERNETES_HELM_CHARTS: ResourceKind<Properties> = {
  type: 'Custom::AWSCDK-EKS-HelmChart',
  noun: 'Helm chart',
  kind: 'Helm chart',
  rules: [],
  parts: (r) => {
    const traced = tracedClusterOfResource(r.owner, r.properties.ClusterName);
    // The Agent's own chart is the tracing itself, not a workload of the app.
    const ofApp = traced && !(traced.agentChart !== undefined && isWithin(r.owner, traced.agentChart));
    return ofApp ? [{ ...r, owner: l2Owner(r) }] : [];
  },
  leftAlone: () => ({ status: 'excluded', reason: "a Helm chart of the app: its workloads are rendered on the cluster, so their labels are not checked here (label its pod templates through the chart's values)" }),
  input: propertiesOf,
  nature: () => ({ kind: 'host' }),
  env: () => undefined,
  envCarriedIn: 'its values',
};


/** The traced cluster's Agent chart and Pod Identity associations as its template holds them. */
function clusterFacts(r: SynthesizedResource, traced: TracedCluster): EksClusterFacts {
  const chartCfn = traced.agentChart?.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c));
  const chartId = chartCfn && r.stack.resolve(chartCfn.logicalId) as string;
  const chart = chartId === undefined ? undefined : r.templateResources[chartId]?.Properties;
  const podIdentities = Object.values(r.templateResources)
    .filter((x) => x.Type === 'AWS::EKS::PodIdentityAssociation' && namesCluster(r.stack, traced.clusterName, x.Properties?.ClusterName))
    .map((x) => `${x.Properties?.Namespace}/${x.Properties?.ServiceAccount}`);
  return {
    agentInstalled: traced.agentInstalled,
    env: traced.env,
    chart: chart && { version: chart.Version, namespace: chart.Namespace, release: chart.Release, values: readTemplateJson(chart.Values)?.json },
    podIdentities,
  };
}

/** A traced EKS cluster: what DatadogEksTracing put on it, as synthesized. */
function eksClusterKind(type: string): ResourceKind<EksClusterFacts> {
  return {
    type,
    noun: 'EKS cluster',
    kind: 'EKS cluster',
    rules: EKS_CLUSTER_RULES,
    // Reported as the cluster construct (aws-eks nests its resource two levels down).
    parts: (r) => {
      const traced = tracedClusterOfResource(r.owner, undefined);
      return traced ? [{ ...r, owner: traced.cluster }] : [];
    },
    input: (r) => clusterFacts(r, tracedClusterOfResource(r.owner, undefined)!),
    nature: (c) => (c.agentInstalled ? { kind: 'host' } : { kind: 'no-xray', rule: 'NoApiKey' }),
    env: (c) => c.env,
    envCarriedIn: 'the mergedTracing options of its DatadogEksTracing',
  };
}

/**
 * A Fargate profile of a traced cluster defined outside the cluster's construct (aws-eks writes a custom resource with
 * the cluster in Config, aws-eks-v2 AWS::EKS::FargateProfile); the ones under it were refused while building.
 */
function fargateProfileKind(type: string, clusterNameOf: (p: Properties) => unknown): ResourceKind<Properties> {
  return {
    type,
    noun: 'Fargate profile',
    kind: 'Fargate profile',
    rules: EKS_FARGATE_PROFILE_RULES,
    parts: (r) => {
      const traced = tracedClusterOfResource(r.owner, clusterNameOf(r.properties));
      return traced && !isWithin(r.owner, traced.cluster) ? [{ ...r, owner: l2Owner(r) }] : [];
    },
    input: propertiesOf,
    nature: () => ({ kind: 'host' }),
    env: () => undefined,
    envCarriedIn: 'its pods',
  };
}

export const EKS_KINDS: ReadonlyArray<ResourceKind<any>> = [
  fargateProfileKind('Custom::AWSCDK-EKS-FargateProfile', (p) => (p.Config as Properties | undefined)?.clusterName),
  fargateProfileKind('AWS::EKS::FargateProfile', (p) => p.ClusterName),
  eksClusterKind('Custom::AWSCDK-EKS-Cluster'),
  eksClusterKind('AWS::EKS::Cluster'),
  KUBERNETES_WORKLOADS,
  KUBERNETES_HELM_CHARTS,
];
