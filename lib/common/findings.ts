import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isAcknowledged } from './acknowledged';
import { HiddenProperty } from './hidden-property';

/**
 * The one registry of finding ids: every `cdk-trace-merging:<Id>` this library can emit, with its
 * level, who emits it, what it means and the fix. docs/checker.md's finding table is checked against it
 * (test/common/findings.test.ts). Both lib/instrument and lib/check import it.
 */
export interface FindingDefinition {
  /** Error findings fail synthesis (checker findings can be downgraded with `downgradeToWarning`). */
  readonly level: 'error' | 'warning';
  /**
   * `checker`: a check rule, reported as a policy-validation violation after synthesis;
   * `instrumenting`: an annotation added while TraceMerging instruments (known only then);
   * `both`: annotated while instrumenting and checked by the checker, reported once per resource.
   */
  readonly emittedBy: 'checker' | 'instrumenting' | 'both';
  readonly meaning: string;
  readonly fix: string;
  /**
   * True for an id reserved for work in progress elsewhere (nothing emits it yet): it is listed here so
   * the code that will emit it uses this registry, and left out of the README until it is emitted.
   */
  readonly reserved?: boolean;
}

export const FINDINGS = {
  // Checker rules (lib/check/rules): one pure function each.
  FunctionActiveTracing: { level: 'error', emittedBy: 'checker', meaning: 'A Lambda function has X-Ray active tracing off.', fix: 'Set tracing: lambda.Tracing.ACTIVE, or apply TraceMerging.' },
  FunctionDatadogLayers: { level: 'error', emittedBy: 'checker', meaning: 'The Datadog library or extension layer for the runtime and architecture is missing, or from the wrong partition, account or region.', fix: 'Use the layer ARNs TraceMerging renders, or apply TraceMerging.' },
  FunctionMergeFlag: { level: 'error', emittedBy: 'checker', meaning: "The runtime's merge variable is not true in SERVERLESS, or not false/unset in HYBRID.", fix: 'Set DD_MERGE_XRAY_TRACES (Ruby: DD_MERGE_DATADOG_XRAY_TRACES) for the mode.' },
  FunctionTraceEnabled: { level: 'error', emittedBy: 'checker', meaning: 'DD_TRACE_ENABLED is wrong for the mode.', fix: 'true in SERVERLESS, false in HYBRID.' },
  FunctionHandlerRedirect: { level: 'error', emittedBy: 'checker', meaning: 'The handler does not go through Datadog (Node.js/Python handler + DD_LAMBDA_HANDLER; Java/.NET AWS_LAMBDA_EXEC_WRAPPER).', fix: 'Apply TraceMerging, or set the redirect yourself.' },
  FunctionDdEnv: { level: 'error', emittedBy: 'checker', meaning: 'No DD_ENV, a DD_ENV other than the expected env, or an env tag that disagrees with DD_ENV.', fix: 'Set DD_ENV to the env of the deployment.' },
  FunctionDdSite: { level: 'error', emittedBy: 'checker', meaning: 'DD_SITE is not a Datadog site (checked as synthesized, so a token site once resolved).', fix: 'Set the site option to a Datadog site.' },
  PlaintextApiKey: { level: 'error', emittedBy: 'checker', meaning: 'DD_API_KEY is set in plaintext.', fix: 'Use apiKeySecret, apiKeySsmArn or apiKmsKey.' },
  FunctionApiKey: { level: 'warning', emittedBy: 'checker', meaning: 'A SERVERLESS function has no Datadog API key source: the extension sends no trace, so the function is `incomplete`, never `merged`. Reported once per stack where the NoApiKey warning of instrumenting already said it.', fix: 'Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey).' },
  FunctionLayerLimit: { level: 'error', emittedBy: 'checker', meaning: 'More than 5 layers.', fix: 'Remove layers.' },
  FunctionEnvironmentSize: { level: 'error', emittedBy: 'checker', meaning: 'Environment variables over 4 KB.', fix: 'Move large values to SSM Parameter Store or Secrets Manager.' },
  FunctionNoEgress: { level: 'warning', emittedBy: 'checker', meaning: 'A function in a VPC whose subnets have no route out and no VPC endpoints for Datadog and its API key service: every trace is lost.', fix: 'Use subnets with a NAT gateway, or add Datadog PrivateLink and an interface endpoint for the key\'s service.' },
  RestStageTracing: { level: 'error', emittedBy: 'checker', meaning: 'A REST API stage has X-Ray off.', fix: 'Set tracingEnabled: true on the stage, or apply TraceMerging.' },
  StateMachineTracing: { level: 'error', emittedBy: 'checker', meaning: 'A state machine has X-Ray off.', fix: 'Set tracingEnabled: true, or apply TraceMerging.' },
  GraphqlApiTracing: { level: 'error', emittedBy: 'checker', meaning: 'An AppSync GraphQL API has X-Ray off: its Lambda resolvers start traces of their own.', fix: 'Set xrayEnabled: true, or apply TraceMerging.' },
  SnsTopicTracing: { level: 'warning', emittedBy: 'checker', meaning: "An SNS topic's TracingConfig is not Active: the trace stays connected through it, but the topic's own hop is missing.", fix: 'Set tracingConfig: sns.TracingConfig.ACTIVE, or apply TraceMerging.' },
  EnvMismatch: { level: 'error', emittedBy: 'checker', meaning: 'A resource\'s env differs from the rest of its deployment unit (the app\'s stacks, or one Stage).', fix: 'Use one env per deployment unit.' },
  XRayResourcePolicyQuota: { level: 'error', emittedBy: 'checker', meaning: 'The app deploys more than 5 X-Ray resource policies to one account and region (every template counted, the user\'s own included).', fix: 'Merge them into fewer, or deploy them to other accounts or regions.' },
  EksWorkloadLabels: { level: 'warning', emittedBy: 'checker', meaning: 'A workload of a cluster DatadogEksTracing traces has pods without the tags.datadoghq.com/env label or the admission label: the Cluster Agent injects neither DD_AGENT_HOST nor DD_ENV.', fix: 'Add the manifest after DatadogEksTracing, or through its addManifest, or label the pod template.' },
  EksClusterAgent: { level: 'error', emittedBy: 'checker', meaning: "A cluster DatadogEksTracing traces has no Datadog Agent chart in its template, or the chart's values turn off the APM port or the Cluster Agent's admission controller (an escape hatch).", fix: 'Keep the chart and its values as DatadogEksTracing writes them.' },
  EksAgentApiKey: { level: 'error', emittedBy: 'checker', meaning: 'The Agent on a traced cluster reads its key from AWS, but an Agent service account has no EKS Pod Identity association in the template.', fix: 'Keep the associations DatadogEksTracing adds.' },
  EksFargateProfile: { level: 'error', emittedBy: 'checker', meaning: 'A Fargate profile of a cluster DatadogEksTracing traces (defined outside the cluster; those under it are refused while building) selects pods that get no Datadog Agent: Fargate runs no DaemonSet.', fix: "Run those workloads on a node group, or trace them with Datadog's EKS Fargate sidecar on a cluster without DatadogEksTracing." },
  TraceBreaks: { level: 'warning', emittedBy: 'checker', meaning: "A hop of the trace map where one request's merged trace breaks (an HTTP API, a Kinesis or DynamoDB stream, X-Ray off upstream, a runtime Datadog does not merge), on the hop's target, naming the upstream resource and why.", fix: 'Fix the hop the report names, or acknowledge where the break is by design.' },
  HttpApiNoXRay: { level: 'warning', emittedBy: 'both', meaning: 'An API Gateway HTTP or WebSocket API cannot emit X-Ray segments: traces start at the function.', fix: 'Use a REST API where the API hop matters, or acknowledge.' },
  // Instrumenting (lib/instrument): known only while TraceMerging changes the app.
  L1Function: { level: 'warning', emittedBy: 'instrumenting', meaning: 'A CfnFunction (L1, e.g. from CfnInclude) is not changed by TraceMerging.', fix: 'Define it with lambda.Function, or wire it yourself.' },
  ImportedFunction: { level: 'warning', emittedBy: 'instrumenting', meaning: 'An imported function cannot be instrumented by this app.', fix: 'Instrument it in the app that defines it.' },
  LambdaAtEdge: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Lambda@Edge functions cannot have layers or environment variables; left as they are.', fix: 'Bundle the Datadog library into the code, or acknowledge.' },
  ContainerImageFunction: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Container image functions cannot take layers: the image must contain the Datadog library and extension.', fix: "Follow Datadog's container image instructions." },
  WrapHandlerInCode: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Ruby and provided.* handlers cannot be redirected by configuration.', fix: 'Wrap the handler in code (Datadog::Lambda.wrap, ddlambda.WrapFunction).' },
  MergeNotSupported: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Datadog cannot merge X-Ray traces for this runtime (Java, .NET): two traces for this hop.', fix: 'Use Node.js or Python where the hop must merge, or acknowledge.' },
  ImmutableRole: { level: 'warning', emittedBy: 'instrumenting', meaning: 'The role is imported with mutable: false, so the grants merged tracing needs could not be added.', fix: 'Allow the named actions where the role is defined.' },
  StateMachineRoleNeedsXRay: { level: 'warning', emittedBy: 'instrumenting', meaning: 'X-Ray was turned on for a CfnStateMachine whose role this library cannot change.', fix: 'Allow xray:PutTraceSegments, xray:PutTelemetryRecords on the role.' },
  StateMachineTracingUnknown: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Whether a state machine has X-Ray on is only known at deployment.', fix: 'Set tracingEnabled: true.' },
  StageTracingUnknown: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Whether a REST API stage has X-Ray on is only known at deployment.', fix: 'Set tracingEnabled: true.' },
  GraphqlApiTracingUnknown: { level: 'warning', emittedBy: 'instrumenting', meaning: 'Whether an AppSync GraphQL API has X-Ray on is only known at deployment.', fix: 'Set xrayEnabled: true.' },
  SnsTopicTracingUnknown: { level: 'warning', emittedBy: 'instrumenting', meaning: "Whether an SNS topic's tracing is Active is only known at deployment.", fix: 'Set tracingConfig: sns.TracingConfig.ACTIVE.' },
  SnsXRayPolicyManagedElsewhere: { level: 'warning', emittedBy: 'instrumenting', meaning: 'createSnsXRayResourcePolicy is false: the account must already have an X-Ray resource policy letting SNS write segments.', fix: 'Make sure the account has the policy the warning shows, then acknowledge.' },
  SnsXRayPolicyInOtherStage: { level: 'warning', emittedBy: 'instrumenting', meaning: "The stack's topics use the X-Ray resource policy of another Stage in the same account and region, which CDK cannot make it depend on.", fix: 'Deploy that Stage first, then acknowledge.' },
  LayersRegionNotListed: { level: 'warning', emittedBy: 'instrumenting', meaning: "The stack's region is not in Datadog's published layer list: its Datadog layers may not exist there yet.", fix: 'Check that Datadog publishes the layers in the region, then acknowledge.' },
  NoApiKey: { level: 'warning', emittedBy: 'instrumenting', meaning: 'No Datadog API key source is set.', fix: 'Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey).' },
  PlaintextApiKeyAllowed: { level: 'warning', emittedBy: 'instrumenting', meaning: 'allowPlaintextApiKey is set: the API key is readable in the template and where the warning lists (Lambda configuration, ECS task definition, EC2 user data and IMDS).', fix: 'Use apiKeySecret, or acknowledge to accept the exposure.' },
  ApiKeyInOtherAccount: { level: 'warning', emittedBy: 'instrumenting', meaning: "The API key's secret, parameter or KMS key is in another account: the IAM grant in this stack is not enough.", fix: "Add the resource policy and key policy statements the warning names in the key's account, then acknowledge." },
  KeyPolicyNoAccountRoot: { level: 'warning', emittedBy: 'instrumenting', meaning: 'The KMS key behind the API key has no key policy statement for the account root, so IAM grants to it do nothing.', fix: 'Give the key policy a statement allowing kms:* to the account root, or name the readers there and acknowledge.' },
  EnvironmentValueKept: { level: 'warning', emittedBy: 'instrumenting', meaning: "A function's own DD_SERVICE, DD_VERSION or DD_LOG_LEVEL differs from the merged-tracing option and is kept.", fix: "Remove the function's own variable to use the option's value, or acknowledge." },
  EksChartVersion: { level: 'warning', emittedBy: 'instrumenting', meaning: "DatadogEksTracing's chartVersion is not the Helm chart version whose values.yaml the Agent's values were checked against: a renamed key would be ignored.", fix: "Compare the chart's values.yaml with the library's fact table, then acknowledge." },
  EcsEnvMismatch: { level: 'warning', emittedBy: 'instrumenting', meaning: "A container's DD_ENV differs from the merged-tracing env.", fix: 'Remove DD_ENV from the container, or change the env option.' },
} satisfies Record<string, FindingDefinition>;

/** A finding name: a key of the registry. */
export type FindingName = keyof typeof FINDINGS;

export const IMMUTABLE_ROLE: FindingName = 'ImmutableRole';

/** The annotation / violation id of a finding. */
export function findingId(name: FindingName): string {
  return `cdk-trace-merging:${name}`;
}

/** Findings annotated on a construct while instrumenting, including those the user then acknowledged. */
const EMITTED = new HiddenProperty<Set<string>>('EmittedFindings');

/**
 * Annotates an instrumenting warning on `scope`, unless it is acknowledged already. One way acknowledges every
 * finding of the library on every aws-cdk-lib release: `Validations.of(scope).acknowledge({ id, reason })` with the id
 * as README gives it (`cdk-trace-merging:<Id>`) or as aws-cdk-lib's console prints it (`Annotation::cdk-trace-merging:<Id>`
 * for a warning like this one); aws-cdk-lib 2.262-2.270 would not remove the annotation for it, so it is not added.
 * `Annotations.of(scope).acknowledgeWarning(id)` works too where aws-cdk-lib honours it. The construct is marked
 * either way, so the report can tell an acknowledged warning from one never emitted.
 */
export function warnWhileInstrumenting(scope: IConstruct, name: FindingName, message: string): void {
  let emitted = EMITTED.get(scope);
  if (!emitted) {
    emitted = new Set();
    EMITTED.set(scope, emitted);
  }
  emitted.add(name);
  if (isAcknowledged(scope, findingId(name))) return;
  Annotations.of(scope).addWarningV2(findingId(name), message);
}

/** The instrumenting findings emitted on `scope` (acknowledged or not). */
export function emittedFindings(scope: IConstruct): ReadonlySet<string> {
  return EMITTED.get(scope) ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();
