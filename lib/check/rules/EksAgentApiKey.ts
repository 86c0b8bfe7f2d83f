import { EksClusterFacts } from './eks-cluster';
import { compliant, nonCompliant, notApplicable, Rule } from './rule';
import { chartServiceAccounts } from '../../datadog/datadog-helm-chart';

/**
 * The Agent reads its API key through its secret backend (AWS Secrets Manager or SSM) with the credentials of its
 * service accounts, which EKS Pod Identity gives it: both the node Agents' and the Cluster Agent's need an association
 * in the chart's namespace, or that Agent cannot resolve its key and sends nothing.
 */
export const EksAgentApiKey: Rule<EksClusterFacts> = {
  name: 'EksAgentApiKey',
  severity: 'error',
  check: (cluster) => {
    const backend = cluster.chart?.values?.datadog?.secretBackend?.type;
    if (!cluster.agentInstalled || typeof backend !== 'string' || !backend.startsWith('aws.')) return notApplicable;
    const { namespace, release } = cluster.chart!;
    if (typeof namespace !== 'string' || typeof release !== 'string') return notApplicable;
    const accounts = Object.values(chartServiceAccounts(release)).map((account) => `${namespace}/${account}`);
    const lacking = accounts.filter((account) => !cluster.podIdentities.includes(account));
    if (lacking.length > 0) {
      return nonCompliant(`runs the Datadog Agent with its API key in ${backend}, but no EKS Pod Identity association gives ${lacking.join(' and ')} a role, ` +
        'so that Agent cannot read its key.', 'Keep the associations DatadogEksTracing adds (do not remove them with an escape hatch).');
    }
    return compliant(`the API key through the Agent's secret backend (${backend}), read by ${accounts.join(' and ')} through EKS Pod Identity`);
  },
};
