import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { EKS_KINDS } from './eks-resource-kinds';
import { MAP_ONLY_KINDS } from './map/map-nodes';
import { ReportEntry, ReportStatus } from './report';
import { ResourceNature } from './report-status';
import { Expectations, functionFacts } from './rules/function-facts';
import { envTag } from './rules/FunctionDdEnv';
import {
  FUNCTION_RULES, GRAPHQL_API_RULES, HTTP_API_RULES, REST_STAGE_RULES, SNS_TOPIC_RULES, STATE_MACHINE_RULES,
} from './rules/index';
import { FunctionFacts, Properties, Rule } from './rules/rule';
import { templateNetwork } from './rules/template-network';
import { SynthesizedResource } from './synthesized-resources';
import { isCdkInternalFunction, isCdkInternalStateMachine } from '../common/cdk-internal-functions';
import { isLambdaAtEdge } from '../common/lambda-at-edge';
import { tracedHost } from '../common/traced-hosts';

/*
 * The kinds of resource the checker checks, one row each: which rules run on it, what it is read as, and what decides
 * its place in the report. Adding a kind of resource to the checker is adding a row here.
 */

/** One kind of checked resource: its type, how messages name it, its rules and what it is by nature. */
export interface ResourceKind<T> {
  readonly type: string;
  readonly noun: string;
  readonly kind: string;
  readonly rules: ReadonlyArray<Rule<T>>;
  /** Not part of merged tracing at all (an ECS task definition nobody traces): not in the report. */
  readonly skip?: (resource: SynthesizedResource) => boolean;
  /** Left alone on purpose (CDK's own plumbing, Lambda@Edge): in the report with its status and why, never checked. */
  readonly leftAlone?: (resource: SynthesizedResource) => LeftAlone | undefined;
  /**
   * For a resource that holds several checked things (a Kubernetes manifest's workloads): one resource per thing, each
   * checked and reported on its own; none when the resource is not part of merged tracing.
   */
  readonly parts?: (resource: SynthesizedResource) => SynthesizedResource[];
  readonly input: (resource: SynthesizedResource, expected: Expectations) => T;
  readonly nature: (input: T) => ResourceNature;
  readonly details?: (input: T) => Partial<Pick<ReportEntry, 'runtime' | 'architecture' | 'mode'>>;
  readonly env: (input: T) => unknown;
  /** Where a resource of this kind carries its env when no options set it: "its DD_ENV", "its env tag". */
  readonly envCarriedIn: string;
}

/** Why a resource is listed but not checked. */
export interface LeftAlone {
  readonly status: Extract<ReportStatus, 'excluded' | 'cdk-internal'>;
  readonly reason: string;
}

const CDK_INTERNAL: LeftAlone = { status: 'cdk-internal', reason: "CDK's own plumbing (a provider or helper function CDK adds), not the app's workload" };

const FUNCTION_KIND: ResourceKind<FunctionFacts> = {
  type: 'AWS::Lambda::Function',
  noun: 'function',
  kind: 'Lambda function',
  rules: FUNCTION_RULES,
  // CDK's own plumbing, and CfnResource-based custom resource providers (not CfnFunction), are not the user's workload;
  // Lambda@Edge functions can take neither layers nor variables (instrumenting warns LambdaAtEdge about them instead).
  leftAlone: (r) => {
    if (!(r.cfn instanceof lambda.CfnFunction) || (r.owner instanceof lambda.Function && isCdkInternalFunction(r.owner))) return CDK_INTERNAL;
    if (r.owner instanceof lambda.Function && isLambdaAtEdge(r.owner)) {
      return { status: 'excluded', reason: 'Lambda@Edge: it can take neither layers nor environment variables (see the LambdaAtEdge warning)' };
    }
    return undefined;
  },
  input: (r, expected) => functionFacts(r.properties, expected, {
    region: Token.isUnresolved(r.stack.region) ? undefined : r.stack.region,
    datadogMappings: r.datadogMappings,
  }, r.properties.VpcConfig === undefined ? undefined : templateNetwork(r.templateResources)),
  nature: (fn) => ({ kind: 'function', mode: fn.mode, merge: fn.row?.family.merge }),
  details: (fn) => ({
    runtime: fn.isImage ? 'container image' : fn.runtime,
    architecture: fn.isImage ? undefined : fn.arm64 ? 'arm64' : 'x86_64',
    mode: fn.mode,
  }),
  env: (fn) => fn.env.DD_ENV,
  envCarriedIn: "DD_ENV in the function's environment",
};

const propertiesOf = (r: SynthesizedResource): Properties => r.properties;

/**
 * A managed service traced by X-Ray alone (a state machine, REST API stage, GraphQL API, SNS topic): read as its
 * properties, its first rule the one that checks X-Ray is on, its env its `env` tag.
 */
function xrayOnlyKind(type: string, noun: string, kind: string, rules: ReadonlyArray<Rule<Properties>>,
  leftAlone?: ResourceKind<Properties>['leftAlone']): ResourceKind<Properties> {
  return {
    type,
    noun,
    kind,
    rules,
    leftAlone,
    input: propertiesOf,
    nature: () => ({ kind: 'xray-only', tracingRule: rules[0].name }),
    env: (p) => envTag(p.Tags),
    envCarriedIn: 'its env tag',
  };
}

/** A host of DatadogEc2Tracing as the checker sees it. */
interface HostInput {
  readonly properties: Properties;
  readonly agentInstalled: boolean;
}

const KINDS: ReadonlyArray<ResourceKind<any>> = [
  FUNCTION_KIND,
  xrayOnlyKind('AWS::StepFunctions::StateMachine', 'state machine', 'State machine', STATE_MACHINE_RULES,
    (r) => (r.cfn instanceof sfn.CfnStateMachine && isCdkInternalStateMachine(r.cfn) ? CDK_INTERNAL : undefined)),
  xrayOnlyKind('AWS::ApiGateway::Stage', 'REST API stage', 'REST API stage', REST_STAGE_RULES),
  xrayOnlyKind('AWS::AppSync::GraphQLApi', 'GraphQL API', 'GraphQL API', GRAPHQL_API_RULES),
  xrayOnlyKind('AWS::SNS::Topic', 'SNS topic', 'SNS topic', SNS_TOPIC_RULES),
  {
    type: 'AWS::ApiGatewayV2::Api',
    noun: 'HTTP API',
    kind: 'HTTP API',
    rules: HTTP_API_RULES,
    input: propertiesOf,
    nature: () => ({ kind: 'no-xray', rule: HTTP_API_RULES[0].name }),
    env: () => undefined,
    envCarriedIn: 'its env tag',
  } as ResourceKind<Properties>,
  {
    // The host side (DatadogEcsTracing tags it): no rules of its own, but its env joins EnvMismatch.
    type: 'AWS::ECS::TaskDefinition',
    noun: 'ECS task definition',
    kind: 'ECS task definition',
    rules: [],
    skip: (r) => envTag(r.properties.Tags) === undefined,
    input: propertiesOf,
    nature: () => ({ kind: 'host' }),
    env: (p: Properties) => envTag(p.Tags),
    envCarriedIn: 'the mergedTracing options of its DatadogEcsTracing',
  } as ResourceKind<Properties>,
  ...[['AWS::EC2::Instance', 'EC2 instance'], ['AWS::AutoScaling::AutoScalingGroup', 'Auto Scaling group']].map(([type, noun]) => ({
    // Hosts traced by DatadogEc2Tracing (an env tag alone does not make a host part of merged tracing): in EnvMismatch.
    // Without an API key the host runs no Agent: not traced, as the NoApiKey warning on its tracing says.
    type,
    noun,
    kind: noun,
    rules: [],
    skip: (r: SynthesizedResource) => tracedHost(r.cfn) === undefined,
    input: (r: SynthesizedResource) => ({ properties: r.properties, agentInstalled: tracedHost(r.cfn)?.agentInstalled === true }),
    nature: (h: HostInput) => (h.agentInstalled ? { kind: 'host' } : { kind: 'no-xray', rule: 'NoApiKey' }),
    env: (h: HostInput) => envTag(h.properties.Tags),
    envCarriedIn: 'the mergedTracing options of its DatadogEc2Tracing',
  } as ResourceKind<HostInput>)),
  ...EKS_KINDS,
];

export const KIND_BY_TYPE = new Map(KINDS.map((k) => [k.type, k]));
export const XRAY_RESOURCE_POLICY_TYPE = 'AWS::XRay::ResourcePolicy';
export const XRAY_RESOURCE_POLICY: ReadonlySet<string> = new Set([XRAY_RESOURCE_POLICY_TYPE]);
export const CHECKED_MAPPED_AND_POLICY_TYPES: ReadonlySet<string> = new Set([
  ...KIND_BY_TYPE.keys(), ...Object.keys(MAP_ONLY_KINDS), XRAY_RESOURCE_POLICY_TYPE,
]);
