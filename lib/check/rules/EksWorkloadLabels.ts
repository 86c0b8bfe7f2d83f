import { compliant, nonCompliant, Rule } from './rule';
import { KubernetesWorkload } from '../../common/kubernetes-workloads';
import { ADMISSION_LABEL, UNIFIED_SERVICE_LABELS } from '../../datadog/datadog-helm-chart';

/**
 * A workload of a traced EKS cluster whose pods lack the env label or the admission label: the Cluster Agent injects
 * DD_AGENT_HOST and DD_ENV only into pods labelled `admission.datadoghq.com/enabled: "true"`, taking DD_ENV from
 * `tags.datadoghq.com/env` (Datadog's unified service tagging for Kubernetes). Without them dd-trace sends to a
 * localhost where no Agent listens, or in no env: the workload's traces do not join the deployment's.
 */
export const EksWorkloadLabels: Rule<KubernetesWorkload> = {
  name: 'EksWorkloadLabels',
  severity: 'warning',
  check: (workload) => {
    const lacking = [UNIFIED_SERVICE_LABELS.env, ADMISSION_LABEL].filter((label) => workload.podLabels[label] === undefined);
    if (workload.podLabels[ADMISSION_LABEL] !== undefined && workload.podLabels[ADMISSION_LABEL] !== 'true') lacking.push(`${ADMISSION_LABEL}: "true"`);
    if (lacking.length === 0) return compliant('unified service tagging labels and the admission label on its pods');
    return nonCompliant(`${workload.kind} ${workload.name} has pods without ${lacking.join(' and ')}, so the Cluster Agent does not give them ` +
      'DD_AGENT_HOST and DD_ENV, and their traces do not join the deployment\'s.',
    'Add the manifest after DatadogEksTracing (cluster.addManifest), or through its addManifest, or set the labels on the pod template yourself.');
  },
};
