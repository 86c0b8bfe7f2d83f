/** Every single-resource rule, by the kind of resource it reads. */
import { EksClusterFacts } from './eks-cluster';
import { EksAgentApiKey } from './EksAgentApiKey';
import { EksClusterAgent } from './EksClusterAgent';
import { EksFargateProfile } from './EksFargateProfile';
import { EksWorkloadLabels } from './EksWorkloadLabels';
import { EnvMismatchRule } from './EnvMismatch';
import { FunctionActiveTracing } from './FunctionActiveTracing';
import { FunctionApiKey } from './FunctionApiKey';
import { FunctionDatadogLayers } from './FunctionDatadogLayers';
import { FunctionDdEnv } from './FunctionDdEnv';
import { FunctionDdSite } from './FunctionDdSite';
import { FunctionEnvironmentSize } from './FunctionEnvironmentSize';
import { FunctionHandlerRedirect } from './FunctionHandlerRedirect';
import { FunctionLayerLimit } from './FunctionLayerLimit';
import { FunctionMergeFlag } from './FunctionMergeFlag';
import { FunctionNoEgress } from './FunctionNoEgress';
import { FunctionTraceEnabled } from './FunctionTraceEnabled';
import { GraphqlApiTracing } from './GraphqlApiTracing';
import { HttpApiNoXRay } from './HttpApiNoXRay';
import { PlaintextApiKey } from './PlaintextApiKey';
import { RestStageTracing } from './RestStageTracing';
import { FunctionFacts, Properties, Rule } from './rule';
import { SnsTopicTracing } from './SnsTopicTracing';
import { StateMachineTracing } from './StateMachineTracing';
import { TraceBreaksRule } from './TraceBreaks';
import { XRayResourcePolicyQuotaRule } from './XRayResourcePolicyQuota';
import { KubernetesWorkload } from '../../common/kubernetes-workloads';

export const FUNCTION_RULES: ReadonlyArray<Rule<FunctionFacts>> = [
  FunctionActiveTracing, FunctionDatadogLayers, FunctionMergeFlag, FunctionTraceEnabled, FunctionHandlerRedirect,
  FunctionDdEnv, FunctionDdSite, PlaintextApiKey, FunctionApiKey, FunctionLayerLimit, FunctionEnvironmentSize, FunctionNoEgress,
];
export const REST_STAGE_RULES: ReadonlyArray<Rule<Properties>> = [RestStageTracing];
export const STATE_MACHINE_RULES: ReadonlyArray<Rule<Properties>> = [StateMachineTracing];
export const HTTP_API_RULES: ReadonlyArray<Rule<Properties>> = [HttpApiNoXRay];
/** AWS::AppSync::GraphQLApi. */
export const GRAPHQL_API_RULES: ReadonlyArray<Rule<Properties>> = [GraphqlApiTracing];
/** AWS::SNS::Topic. */
export const SNS_TOPIC_RULES: ReadonlyArray<Rule<Properties>> = [SnsTopicTracing];

/** A workload in a Kubernetes manifest of a cluster DatadogEksTracing traces. */
export const KUBERNETES_WORKLOAD_RULES: ReadonlyArray<Rule<KubernetesWorkload>> = [EksWorkloadLabels];
/** An EKS cluster DatadogEksTracing traces. */
export const EKS_CLUSTER_RULES: ReadonlyArray<Rule<EksClusterFacts>> = [EksClusterAgent, EksAgentApiKey];
/** A Fargate profile of a traced EKS cluster, defined outside the cluster's construct. */
export const EKS_FARGATE_PROFILE_RULES: ReadonlyArray<Rule<Properties>> = [EksFargateProfile];

/** Every rule name the checker knows, for option validation and docs. */
export const RULE_NAMES: readonly string[] = [
  ...FUNCTION_RULES, ...REST_STAGE_RULES, ...STATE_MACHINE_RULES, ...HTTP_API_RULES, ...GRAPHQL_API_RULES, ...SNS_TOPIC_RULES,
  ...KUBERNETES_WORKLOAD_RULES, ...EKS_CLUSTER_RULES, ...EKS_FARGATE_PROFILE_RULES,
  EnvMismatchRule, XRayResourcePolicyQuotaRule, TraceBreaksRule,
].map((r) => r.name);
