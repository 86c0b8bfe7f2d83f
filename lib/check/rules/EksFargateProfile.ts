import { nonCompliant, Properties, Rule } from './rule';
import { FARGATE_PROFILE_REFUSAL } from '../../datadog/datadog-helm-chart';

/**
 * A Fargate profile of a traced cluster, defined outside the cluster's construct (DatadogEksTracing refuses the ones
 * under it while building, in the same words): its pods run where the Agent's DaemonSet does not. EKS takes no profile
 * without selectors, so every such profile is one.
 */
export const EksFargateProfile: Rule<Properties> = {
  name: 'EksFargateProfile',
  severity: 'error',
  check: () => nonCompliant(FARGATE_PROFILE_REFUSAL.problem, FARGATE_PROFILE_REFUSAL.fix),
};
