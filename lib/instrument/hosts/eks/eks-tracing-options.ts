import { TraceMergingCheckOptions } from '../../../check/check-options';
import { MergedTracingOptions } from '../../../options';

/** What DatadogEksTracing and DatadogEksV2Tracing take besides their cluster. */
export interface DatadogEksTracingOptions {
  /**
   * The same options the Lambda side uses, so `env` (and `service`, `version`) match across workloads and functions.
   * @default - the options of the enclosing MergedTracingStack; an error when there is none
   */
  readonly mergedTracing?: MergedTracingOptions;

  /**
   * How the cluster's workloads are checked after synthesis where nothing else checks them (a MergedTracingStack or
   * `TraceMerging.applyTo` around it checks them with their options instead); `{ enabled: false }` turns that check off.
   * @default - every rule, expecting the env of its merged-tracing options
   */
  readonly checks?: TraceMergingCheckOptions;

  /**
   * Version of Datadog's `datadog` Helm chart. The values this library writes are checked against the keys of the
   * default version's values.yaml; another version gets a warning (EksChartVersion) until you have checked them.
   * @default '3.240.0'
   */
  readonly chartVersion?: string;

  /**
   * The Kubernetes namespace the Agent is installed in (created when missing).
   * @default 'datadog'
   */
  readonly agentNamespace?: string;

  /**
   * Whether to add EKS's Pod Identity Agent add-on (`eks-pod-identity-agent`), through which the Agent's service
   * accounts get the role that reads the API key. Pass false when the cluster has it already (added in another stack,
   * or by hand); an add-on of that name defined twice for the cluster in this app is an error.
   * @default true
   */
  readonly podIdentityAgentAddon?: boolean;
}
