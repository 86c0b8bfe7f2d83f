/*
 * Facts about Datadog's Helm chart for the Agent on Kubernetes, at the version DatadogEksTracing installs. Each key is
 * one the chart's own values.yaml declares at that version, with the default it declares there (read from
 * DataDog/helm-charts, charts/datadog/values.yaml at tag datadog-3.240.0, commit dd34a01979936b64a6c54f86d69a978f38b8e612).
 * The values the library writes are checked against this table (test/datadog/datadog-helm-chart.test.ts): a key
 * missing here is a key the chart would silently ignore.
 */

/** The chart's name, its repository and the version whose values.yaml the table below was read from. */
export const DATADOG_HELM_CHART = {
  chart: 'datadog',
  repository: 'https://helm.datadoghq.com',
  version: '3.240.0',
  /** The Agent and Cluster Agent image tags that chart version installs (agents.image.tag, clusterAgent.image.tag). */
  agentVersion: '7.81.1',
  clusterAgentVersion: '7.81.1',
} as const;

/**
 * The value keys the library sets, each with the default values.yaml declares at the pinned version (`null` where the
 * key is declared empty). Why each is set is said where the values are built (lib/instrument/hosts/eks/agent-chart-values.ts).
 */
export const DATADOG_CHART_KEYS: Readonly<Record<string, unknown>> = {
  'datadog.site': null,
  'datadog.apiKey': null,
  'datadog.secretBackend.type': null,
  'datadog.secretBackend.config': {},
  'datadog.secretBackend.enableGlobalPermissions': true,
  'datadog.logLevel': 'INFO',
  'datadog.tags': [],
  'datadog.env': [],
  'datadog.apm.portEnabled': false,
  'datadog.apm.socketEnabled': true,
  'datadog.dogstatsd.useHostPort': false,
  'datadog.dogstatsd.nonLocalTraffic': true,
  'clusterAgent.enabled': true,
  'clusterAgent.admissionController.enabled': true,
  'clusterAgent.admissionController.mutateUnlabelled': false,
  'clusterAgent.admissionController.configMode': null,
};

/**
 * The chart's full name for a release (its `datadog.fullname` template): the release name when it contains the
 * chart's name, else `<release>-datadog`; the node Agents' service account takes it, the Cluster Agent's adds `-cluster-agent`.
 */
export function chartFullName(release: string): string {
  const name = release.includes(DATADOG_HELM_CHART.chart) ? release : `${release}-${DATADOG_HELM_CHART.chart}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

/** The service accounts the chart creates for a release: the node Agents' and the Cluster Agent's. */
export function chartServiceAccounts(release: string): { readonly nodeAgent: string; readonly clusterAgent: string } {
  const fullName = chartFullName(release);
  return { nodeAgent: fullName, clusterAgent: `${fullName}-cluster-agent` };
}

/** The label that opts a pod into the Cluster Agent's admission controller (mutateUnlabelled stays false). */
export const ADMISSION_LABEL = 'admission.datadoghq.com/enabled';

/** The unified service tagging labels on Kubernetes objects, by tag. */
export const UNIFIED_SERVICE_LABELS = {
  env: 'tags.datadoghq.com/env',
  service: 'tags.datadoghq.com/service',
  version: 'tags.datadoghq.com/version',
} as const;

/**
 * Why a Fargate profile on a traced cluster is refused: the node Agent is a DaemonSet, and Fargate runs none, so the
 * pods the profile selects would have no Agent to send their traces to.
 */
export const FARGATE_PROFILE_REFUSAL = {
  problem: 'selects pods that get no Datadog Agent (the node Agent is a DaemonSet, and Fargate runs none), so their traces would be lost.',
  fix: "Run those workloads on a node group of the cluster, or trace them with Datadog's EKS Fargate sidecar yourself and keep the profile on a cluster without DatadogEksTracing.",
} as const;
