import { EVENT_SOURCE_HOPS, EVENTBRIDGE_TARGET_HOPS, GRANT_HOPS, HopKindName } from './hop-kinds';
import { Reference, referencesIn } from './references';
import { manifestContents } from '../kubernetes-manifests';
import { Properties } from '../properties';
import { TemplateJson } from '../synthesized-resources';

/** A reference, with the template it was written in (local references mean that template's resources). */
export interface Located {
  readonly template: string;
  readonly ref: Reference;
}

/** Which hop kind joins a source of `fromType` to a target of `toType`, if any. */
export type HopChooser = (fromType: string, toType: string) => HopKindName | undefined;

/** A hop as one template states it: its ends still references (another stack's export, an ARN). */
export interface RawHop {
  readonly from: Located;
  readonly to: Located;
  readonly hop: HopChooser;
}

/** A grant in an IAM policy: whoever assumes one of `roles` may call `resources` (the hop kind by resource type). */
export interface RawGrant {
  readonly roles: readonly Located[];
  readonly resources: readonly Located[];
  readonly hop: HopChooser;
}

/** What one synthesized template says about hops, before references between templates are resolved. */
export interface TemplateHops {
  readonly template: string;
  /** Each resource's type by logical id. */
  readonly types: ReadonlyMap<string, string>;
  /** The stack's exports (`Export.Name` of its outputs), by name. */
  readonly exports: ReadonlyMap<string, Reference>;
  /** Lambda aliases and versions: the function each stands for. */
  readonly aliases: ReadonlyMap<string, Reference>;
  /** Outputs by name (a parent stack reads a nested stack's with `Fn::GetAtt [Stack, Outputs.Name]`). */
  readonly outputs: ReadonlyMap<string, Reference>;
  /** The template's parameters. */
  readonly parameters: ReadonlySet<string>;
  /** The values this template passes to its nested stacks' parameters, by the nested stack's logical id. */
  readonly nestedParameters: ReadonlyMap<string, ReadonlyMap<string, Reference>>;
  /** For a nested stack's template: where it is included. */
  readonly nestedIn?: { readonly template: string; readonly logicalId: string };
  readonly hops: readonly RawHop[];
  /**
   * Who runs with a role: functions, ECS task definitions, EC2 hosts (by the role's logical id here), and Kubernetes
   * workloads (`<manifest's logical id>#<kind> <namespace>/<name>`, by the role of their service account).
   */
  readonly principals: ReadonlyArray<{ readonly role: Located; readonly principal: string }>;
  readonly grants: readonly RawGrant[];
  /**
   * Where Lambda's service itself delivers (event source mapping failure destinations): a grant to one is the
   * function's role letting Lambda write, not a request the handler makes, so it draws no hop.
   */
  readonly serviceDestinations: ReadonlyArray<{ readonly fn: Located; readonly destination: Located }>;
  /** Kinds of hop this template has that the map does not read (UNREAD_HOPS). */
  readonly unread: readonly string[];
}

const FUNCTION = 'AWS::Lambda::Function';
const KUBERNETES_RESOURCE = 'Custom::AWSCDK-EKS-KubernetesResource';
const QUEUE = 'AWS::SQS::Queue';
const TOPIC = 'AWS::SNS::Topic';
const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const BUS = 'AWS::Events::EventBus';
const STREAM = 'AWS::Kinesis::Stream';
const only = (fromType: string | undefined, hop: HopKindName, ...toTypes: string[]): HopChooser =>
  (from, to) => ((fromType === undefined || from === fromType) && toTypes.includes(to) ? hop : undefined);
/** A hop whose kind depends on the target's type. */
const byTarget = (hops: Readonly<Record<string, HopKindName>>): HopChooser => (_from, to) => hops[to];
/** What an API Gateway integration reaches: a function (Lambda integration) or a service (AWS service integration). */
const API_TARGETS = byTarget({
  [FUNCTION]: 'restIntegration',
  [QUEUE]: 'restServiceIntegration',
  [TOPIC]: 'restServiceIntegration',
  [STATE_MACHINE]: 'restServiceIntegration',
  [BUS]: 'restServiceIntegration',
  [STREAM]: 'restServiceIntegration',
});
const SNS_TARGETS = byTarget({ [FUNCTION]: 'snsToFunction', [QUEUE]: 'snsToQueue' });
const S3_TARGETS = byTarget({ [FUNCTION]: 's3Notification', [QUEUE]: 's3Notification', [TOPIC]: 's3Notification' });
/** What a state machine's tasks call: functions, and the services of the optimized integrations. */
const TASK_TARGETS = byTarget({
  [FUNCTION]: 'stateMachineTask',
  [QUEUE]: 'stateMachineTask',
  [TOPIC]: 'stateMachineTask',
  [STATE_MACHINE]: 'stateMachineTask',
  [BUS]: 'stateMachineTask',
});
const SCHEDULE_TARGETS = byTarget(Object.fromEntries(Object.keys(EVENTBRIDGE_TARGET_HOPS).map((type) => [type, 'schedulerTarget' as const])));
/**
 * The account's default event bus, where a rule without EventBusName listens: the ARN CDK writes for it in a grant,
 * with the stack's account and region where the stack names them (as CDK does), else their pseudo parameters.
 */
const defaultBus = (where: TemplateEnv) =>
  `arn:\${AWS::Partition}:events:${where.region ?? '${AWS::Region}'}:${where.account ?? '${AWS::AccountId}'}:event-bus/default`;

/** The account and region a template's stack deploys to, when the app names them. */
export interface TemplateEnv {
  readonly account?: string;
  readonly region?: string;
}

/**
 * Hops the map does not read yet, by what reveals one in a template: the report names them when a template has one,
 * instead of letting "no hops" suggest there are none.
 */
const UNREAD_HOPS: ReadonlyArray<{ readonly type: string; readonly when: (p: Properties) => boolean; readonly what: string }> = [
  { type: 'AWS::Pipes::Pipe', when: () => true, what: 'EventBridge Pipes (source → pipe → target)' },
  { type: 'AWS::ApiGatewayV2::Integration', when: (p) => p.IntegrationSubtype !== undefined, what: 'HTTP API integrations with AWS services (IntegrationSubtype)' },
  {
    type: 'AWS::AppSync::DataSource',
    when: (p) => p.Type === 'HTTP' || p.Type === 'AMAZON_EVENTBRIDGE',
    what: 'AppSync HTTP and EventBridge data sources (to an AWS service API or a bus)',
  },
];

/**
 * Reads the hops one template states: integrations, subscriptions, event sources, rules, data sources, tasks and grants.
 * `nestedIn` links a nested stack's template to the resource that includes it, so references through its parameters
 * and outputs can be followed.
 */
export function templateHops(template: string, json: TemplateJson, nestedIn?: TemplateHops['nestedIn'], where: TemplateEnv = {}): TemplateHops {
  const resources = json.Resources ?? {};
  const types = new Map(Object.entries(resources).map(([id, r]) => [id, r.Type ?? '']));
  const local = (ref: Reference): Located => ({ template, ref });
  const refs = (value: unknown): Located[] => referencesIn(value).map(local);
  const self = (logicalId: string): Located => local({ kind: 'local', logicalId });
  const hops: RawHop[] = [];
  const principals: Array<{ role: Located; principal: string }> = [];
  const grants: RawGrant[] = [];
  const serviceDestinations: Array<{ fn: Located; destination: Located }> = [];
  // Kubernetes workloads (principal: `<manifest id>#<kind> <namespace>/<name>`) and the roles of service accounts, by
  // `<cluster>|<namespace>/<service account>` (EKS Pod Identity associations and IRSA annotations).
  const workloads: Array<{ principal: string; account: string }> = [];
  const rolesOfAccount: Array<{ account: string; roles: Located[] }> = [];
  const aliases = new Map<string, Reference>();
  const nestedParameters = new Map<string, Map<string, Reference>>();
  const stagesOfApi = new Map<string, string[]>();
  const add = (from: Located[], to: Located[], hop: HopChooser) => {
    for (const f of from) for (const t of to) hops.push({ from: f, to: t, hop });
  };

  for (const [id, { Type: type, Properties: p = {} }] of Object.entries(resources)) {
    if (type === 'AWS::ApiGateway::Stage') for (const api of localIds(p.RestApiId)) stagesOfApi.set(api, [...stagesOfApi.get(api) ?? [], id]);
    const named = type === 'AWS::Lambda::Alias' || type === 'AWS::Lambda::Version' ? referencesIn(p.FunctionName) : [];
    if (named.length === 1) aliases.set(id, named[0]);
    if (type === 'AWS::CloudFormation::Stack') nestedParameters.set(id, firstReferences(p.Parameters));
  }

  const unread = new Set<string>();
  for (const [id, { Type: type, Properties: p = {} }] of Object.entries(resources)) {
    for (const row of UNREAD_HOPS) if (row.type === type && row.when(p)) unread.add(row.what);
    // A custom resource passing S3's notification configuration (BucketName, NotificationConfiguration): CDK's own
    // Custom::S3BucketNotifications, and the ones apps write to manage a shared bucket's notifications alike.
    if (isCustomResource(type) && p.BucketName !== undefined && p.NotificationConfiguration !== undefined) {
      add(refs(p.BucketName), refs(p.NotificationConfiguration), S3_TARGETS);
    }
    switch (type) {
      case 'AWS::ApiGateway::Method': {
        const integration = (p.Integration ?? {}) as Properties;
        // A service integration names its target in the URI (an SQS queue's path), or in the request it builds.
        const named = integration.Type === 'AWS' ? [integration.Uri, integration.RequestParameters, integration.RequestTemplates] : integration.Uri;
        // The hop starts at the API's stages (where X-Ray is switched on); an API without one here starts it itself.
        for (const api of localIds(p.RestApiId)) add((stagesOfApi.get(api) ?? [api]).map(self), refs(named), API_TARGETS);
        break;
      }
      case 'AWS::ApiGateway::RestApi':
        // A SpecRestApi: the integrations are in the OpenAPI body's x-amazon-apigateway-integration objects.
        if (p.Body !== undefined) add((stagesOfApi.get(id) ?? [id]).map(self), refs(p.Body), API_TARGETS);
        break;
      case 'AWS::ApiGatewayV2::Integration':
        add(refs(p.ApiId), refs(p.IntegrationUri), only(undefined, 'httpIntegration', FUNCTION));
        break;
      case 'AWS::SNS::Subscription':
        add(refs(p.TopicArn), refs(p.Endpoint), SNS_TARGETS);
        break;
      case 'AWS::SNS::Topic':
        for (const s of (Array.isArray(p.Subscription) ? p.Subscription : []) as Properties[]) add([self(id)], refs(s.Endpoint), SNS_TARGETS);
        break;
      case 'AWS::Lambda::EventSourceMapping': {
        const fns = refs(p.FunctionName);
        add(refs(p.EventSourceArn), fns, (from, to) => (to === FUNCTION ? EVENT_SOURCE_HOPS[from] : undefined));
        const failures = refs(((p.DestinationConfig as Properties | undefined)?.OnFailure as Properties | undefined)?.Destination);
        for (const fn of fns) for (const destination of failures) serviceDestinations.push({ fn, destination });
        break;
      }
      case 'AWS::Lambda::EventInvokeConfig': {
        // Asynchronous invocation destinations: Lambda's service writes the invocation record there.
        const config = (p.DestinationConfig ?? {}) as Record<string, Properties | undefined>;
        const destinations = refs([config.OnSuccess?.Destination, config.OnFailure?.Destination]);
        for (const fn of refs(p.FunctionName)) for (const destination of destinations) serviceDestinations.push({ fn, destination });
        break;
      }
      case 'AWS::Events::Rule':
        for (const target of (Array.isArray(p.Targets) ? p.Targets : []) as Properties[]) {
          add([self(id)], refs(target.Arn), byTarget(EVENTBRIDGE_TARGET_HOPS));
        }
        // A rule with a pattern listens on its bus (the default one when it names none); a schedule on none.
        if (p.EventPattern !== undefined) {
          const bus = p.EventBusName === undefined ? [local({ kind: 'arn', arn: defaultBus(where) })] : refs(p.EventBusName);
          add(bus, [self(id)], only(BUS, 'busRule', 'AWS::Events::Rule'));
        }
        break;
      case 'AWS::Scheduler::Schedule':
        add([self(id)], refs((p.Target as Properties | undefined)?.Arn), SCHEDULE_TARGETS);
        break;
      case 'AWS::S3::Bucket':
        if (p.NotificationConfiguration !== undefined) add([self(id)], refs(p.NotificationConfiguration), S3_TARGETS);
        break;
      case 'AWS::AppSync::DataSource':
        add(refs(p.ApiId), refs((p.LambdaConfig as Properties | undefined)?.LambdaFunctionArn),
          only('AWS::AppSync::GraphQLApi', 'appSyncDataSource', FUNCTION));
        break;
      case 'AWS::StepFunctions::StateMachine':
        // A function named anywhere in the definition is one its tasks invoke (lambda:invoke, or the function as Resource);
        // a queue, topic, bus or state machine one its optimized integrations send to, publish to, put events on, start.
        add([self(id)], refs([p.DefinitionString, p.Definition, p.DefinitionSubstitutions]), TASK_TARGETS);
        break;
      case FUNCTION:
        for (const role of refs(p.Role)) principals.push({ role, principal: id });
        break;
      case 'AWS::ECS::TaskDefinition':
        for (const role of refs(p.TaskRoleArn)) principals.push({ role, principal: id });
        break;
      case 'AWS::EC2::Instance':
      case 'AWS::AutoScaling::AutoScalingGroup':
        for (const role of hostRoles(p, resources)) principals.push({ role: self(role), principal: id });
        break;
      case KUBERNETES_RESOURCE: {
        // The workloads of a cluster's manifest run with the role of their service account (found below), and the
        // manifest's service accounts may name a role for their pods (IRSA).
        const cluster = JSON.stringify(p.ClusterName);
        const contents = manifestContents(p.Manifest);
        for (const w of contents?.workloads ?? []) workloads.push({ principal: `${id}#${w.kind} ${w.name}`, account: `${cluster}|${w.namespace}/${w.serviceAccount}` });
        for (const sa of contents?.serviceAccountRoles ?? []) rolesOfAccount.push({ account: `${cluster}|${sa.namespace}/${sa.name}`, roles: refs(sa.role) });
        break;
      }
      case 'AWS::EKS::PodIdentityAssociation':
        rolesOfAccount.push({ account: `${JSON.stringify(p.ClusterName)}|${p.Namespace}/${p.ServiceAccount}`, roles: refs(p.RoleArn) });
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        grants.push(...grantsOf(p.PolicyDocument, refs(p.Roles), refs));
        break;
      case 'AWS::IAM::Role':
        for (const policy of (Array.isArray(p.Policies) ? p.Policies : []) as Properties[]) {
          grants.push(...grantsOf(policy.PolicyDocument, [self(id)], refs));
        }
        break;
    }
  }

  for (const { principal, account } of workloads) {
    for (const { roles } of rolesOfAccount.filter((r) => r.account === account)) for (const role of roles) principals.push({ role, principal });
  }

  const exports = new Map<string, Reference>();
  for (const output of Object.values(json.Outputs ?? {})) {
    const name = output.Export?.Name;
    const [value] = referencesIn(output.Value);
    if (typeof name === 'string' && value) exports.set(name, value);
  }
  const outputs = firstReferences(Object.fromEntries(Object.entries(json.Outputs ?? {}).map(([name, o]) => [name, o.Value])));
  const parameters = new Set(Object.keys(json.Parameters ?? {}));
  return {
    template,
    types,
    exports,
    aliases,
    outputs,
    parameters,
    nestedParameters,
    nestedIn,
    hops,
    principals,
    grants,
    serviceDestinations,
    unread: [...unread].sort(),
  };
}

function isCustomResource(type: string | undefined): boolean {
  return type === 'AWS::CloudFormation::CustomResource' || type?.startsWith('Custom::') === true;
}

/** The first reference in each value of a name-to-value object (nested stack parameters, outputs). */
function firstReferences(values: unknown): Map<string, Reference> {
  const found = new Map<string, Reference>();
  for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
    const [first] = referencesIn(value);
    if (first) found.set(name, first);
  }
  return found;
}

/** The grants of one policy document: an Allow statement whose actions include one of GRANT_HOPS's. */
function grantsOf(document: unknown, roles: Located[], refs: (value: unknown) => Located[]): RawGrant[] {
  if (roles.length === 0) return [];
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  const result: RawGrant[] = [];
  for (const statement of (Array.isArray(statements) ? statements : [statements]) as Array<Properties | undefined>) {
    if (!statement || statement.Effect !== 'Allow') continue;
    const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a): a is string => typeof a === 'string');
    const granted = GRANT_HOPS.filter((row) => row.actions.some((needed) => actions.some((a) => actionMatches(a, needed))));
    if (granted.length === 0) continue;
    const byType = new Map(granted.map((row) => [row.targetType, row.hop]));
    result.push({ roles, resources: refs(statement.Resource), hop: (_from, to) => byType.get(to) });
  }
  return result;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return regex.test(action);
}

/** The roles of an EC2 instance or Auto Scaling group: its instance profile's, through a launch template or configuration. */
function hostRoles(host: Properties, resources: NonNullable<TemplateJson['Resources']>): string[] {
  const profileOf = (value: unknown) => localIds(value).filter((id) => resources[id]?.Type === 'AWS::IAM::InstanceProfile');
  const launchData = (id: string) => resources[id]?.Properties ?? {};
  const profiles = [
    ...profileOf(host.IamInstanceProfile),
    ...localIds((host.LaunchTemplate as Properties | undefined)?.LaunchTemplateId).flatMap((lt) => {
      const profile = ((launchData(lt).LaunchTemplateData as Properties | undefined)?.IamInstanceProfile ?? {}) as Properties;
      return profileOf([profile.Arn, profile.Name]);
    }),
    ...localIds(host.LaunchConfigurationName).flatMap((lc) => profileOf(launchData(lc).IamInstanceProfile)),
  ];
  return profiles.flatMap((profile) => localIds(launchData(profile).Roles));
}

/** The logical ids `value` refers to in its own template. */
function localIds(value: unknown): string[] {
  return referencesIn(value).flatMap((r) => (r.kind === 'local' ? [r.logicalId] : []));
}
