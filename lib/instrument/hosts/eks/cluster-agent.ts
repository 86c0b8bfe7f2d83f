import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { agentApiKey, agentChartValues } from './agent-chart-values';
import { agentIdentity } from './agent-identity';
import { EksClusterParts } from './eks-cluster-parts';
import { DatadogEksTracingOptions } from './eks-tracing-options';
import { MergedTracingChecker } from '../../../check/merged-tracing-checker';
import { failAt } from '../../../common/errors';
import { warnWhileInstrumenting } from '../../../common/findings';
import { markTracedCluster, tracedClusterOf } from '../../../common/traced-clusters';
import { resolveTracingConfig, TracingConfig } from '../../../config';
import { DATADOG_HELM_CHART, FARGATE_PROFILE_REFUSAL } from '../../../datadog/datadog-helm-chart';
import { MergedTracingStack } from '../../../merged-tracing-stack';
import { MergedTracingOptions } from '../../../options';
import { checkApiKeyPlacement, warnPlaintextApiKey } from '../../api-key-placement';

/** The release name of the Agent's chart: it contains `datadog`, so the node Agents' service account is `datadog`. */
const RELEASE = 'datadog';
// A Kubernetes namespace is a DNS label (RFC 1123): lowercase letters, digits and '-', at most 63.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CHART_VERSION = /^\d+\.\d+\.\d+$/;

/** What tracing put on a cluster. */
export interface ClusterAgent {
  readonly mergedTracing: MergedTracingOptions;
  readonly config: TracingConfig;
  /** The role the Agent's service accounts take through EKS Pod Identity; none without a key in AWS. */
  readonly role?: iam.IRole;
  /** The Agent's Helm chart; none without an API key source. */
  readonly chart?: IConstruct;
}

/**
 * Installs the Datadog Agent on a cluster for merged tracing's host side, the same way for both EKS modules: Datadog's
 * Helm chart (node Agents with APM and DogStatsD on the node's ports, the Cluster Agent's admission controller), the API
 * key read by the Agents' service accounts alone (agent-identity.ts), and refusals of what could not trace: a second
 * tracing, Fargate profiles.
 */
export function installClusterAgent(tracing: Construct, parts: EksClusterParts, props: DatadogEksTracingOptions): ClusterAgent {
  const options = props.mergedTracing ?? MergedTracingStack.enclosing(tracing)?.tracing;
  if (!options) {
    failAt(tracing, 'has no merged-tracing options.', 'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
  }
  const already = tracedClusterOf(parts.cluster);
  if (already) failAt(tracing, `cluster ${parts.cluster.node.path} is already traced by ${already.tracingPath}.`, 'Keep one DatadogEksTracing per cluster.');
  const namespace = literalMatching(tracing, 'agentNamespace', props.agentNamespace ?? 'datadog', NAMESPACE,
    "a Kubernetes namespace (lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit) such as 'datadog'");
  const version = literalMatching(tracing, 'chartVersion', props.chartVersion ?? DATADOG_HELM_CHART.version, CHART_VERSION,
    `a version of Datadog's Helm chart such as '${DATADOG_HELM_CHART.version}'`);
  if (version !== DATADOG_HELM_CHART.version) {
    warnWhileInstrumenting(tracing, 'EksChartVersion', `chartVersion '${version}' is not ${DATADOG_HELM_CHART.version}, the version whose values.yaml ` +
      "the Agent's values were checked against: a key renamed or removed since is silently ignored by Helm. Compare the chart's values.yaml " +
      'with lib/datadog/datadog-helm-chart.ts, then acknowledge.');
  }
  const config = resolveTracingConfig(options, tracing.node.path);
  // Checked even in a plain Stack: by its own check, unless a stack's or an app's covers the cluster.
  MergedTracingChecker.asFallback(parts.cluster, { env: options.env, ...props.checks }, `the mergedTracing options of DatadogEksTracing '${tracing.node.path}'`);
  tracing.node.addValidation({ validate: () => fargateRefusals(parts) });

  // For the checker: which cluster is traced, with what env, and by which chart (none without a key).
  const markTraced = (agentChart?: IConstruct) => markTracedCluster({
    cluster: parts.cluster,
    clusterName: parts.clusterName,
    tracingPath: tracing.node.path,
    env: config.env,
    agentChart,
    agentInstalled: agentChart !== undefined,
  });
  checkApiKeyPlacement(tracing, config.apiKey);
  warnPlaintextApiKey(tracing, config.apiKey, "in the Agent chart's values and the Kubernetes Secret it creates (readable by whoever may read Secrets in its namespace)");
  const key = agentApiKey(tracing, config.apiKey);
  if (!key) {
    warnWhileInstrumenting(tracing, 'NoApiKey', 'No Datadog API key source is set, so the Datadog Agent is not installed on the cluster ' +
      '(the workloads still get their env, service and version labels). Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn) in the merged-tracing options.');
    markTraced();
    return { mergedTracing: options, config };
  }

  // The key in AWS: read through the Agent's secret backend with EKS Pod Identity's credentials.
  const identity = key.secretBackend
    ? agentIdentity(tracing, parts, config.apiKey, { namespace, release: RELEASE, addon: props.podIdentityAgentAddon !== false })
    : undefined;
  const chart = parts.addHelmChart('DatadogAgent', {
    chart: DATADOG_HELM_CHART.chart,
    repository: DATADOG_HELM_CHART.repository,
    version,
    namespace,
    release: RELEASE,
    createNamespace: true,
    values: agentChartValues(config, key),
  });
  // Pods get Pod Identity's credentials when they are created: the associations (and the add-on) must exist first.
  for (const ready of identity?.readyBefore ?? []) chart.node.addDependency(ready);
  markTraced(chart);
  return { mergedTracing: options, config, role: identity?.role, chart };
}

function literalMatching(scope: IConstruct, prop: string, value: string, form: RegExp, expected: string): string {
  if (Token.isUnresolved(value) || !form.test(value)) {
    return failAt(scope, `${prop} ${JSON.stringify(value)} is not ${expected.replace(/ such as .*/, '')}.`, `Pass ${expected}, as a literal.`);
  }
  return value;
}

/** The Fargate profiles defined under the cluster, refused (those defined elsewhere: the checker's EksFargateProfile). */
function fargateRefusals(parts: EksClusterParts): string[] {
  return parts.fargateProfiles().map((profile) => `[cdk-trace-merging] ${profile.node.path}: this Fargate profile ${FARGATE_PROFILE_REFUSAL.problem} ${FARGATE_PROFILE_REFUSAL.fix}`);
}
