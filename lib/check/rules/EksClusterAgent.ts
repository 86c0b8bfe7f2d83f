import { EksClusterFacts } from './eks-cluster';
import { compliant, literal, nonCompliant, notApplicable, Rule } from './rule';

/**
 * The Datadog Agent on a traced cluster, as its chart is synthesized: the node Agents take traces on each node's port
 * 8126 (datadog.apm.portEnabled), and the Cluster Agent's admission controller is on, so labelled pods get
 * DD_AGENT_HOST. An escape hatch that turned either off leaves the workloads' traces with no Agent to reach.
 */
export const EksClusterAgent: Rule<EksClusterFacts> = {
  name: 'EksClusterAgent',
  severity: 'error',
  check: (cluster) => {
    if (!cluster.agentInstalled) return notApplicable;
    if (!cluster.chart) {
      return nonCompliant('has no Datadog Agent Helm chart in its template, so its workloads\' traces reach no Agent.',
        'Keep the chart DatadogEksTracing adds (do not remove it with an escape hatch).');
    }
    const values = cluster.chart.values;
    const problems = [
      values?.datadog?.apm?.portEnabled !== true ? `datadog.apm.portEnabled is ${JSON.stringify(values?.datadog?.apm?.portEnabled) ?? 'unset'}, not true` : undefined,
      values?.clusterAgent?.admissionController?.enabled === false ? 'clusterAgent.admissionController.enabled is false' : undefined,
      values?.clusterAgent?.enabled === false ? 'clusterAgent.enabled is false' : undefined,
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
      return nonCompliant(`has a Datadog Agent chart whose values say ${problems.join(' and ')}, so labelled pods get no DD_AGENT_HOST that reaches an Agent.`,
        'Remove the override of the chart\'s values, or set those values back.');
    }
    return compliant(`the Datadog Agent (Helm chart datadog ${literal(cluster.chart.version) ?? 'of a version known at deployment'}) with APM on each node's port 8126 and the Cluster Agent's admission controller`);
  },
};
