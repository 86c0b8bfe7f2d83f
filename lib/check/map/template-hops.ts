import { EVENT_SOURCE_HOPS, GRANT_HOPS, HopKindName } from './hop-kinds';
import { Reference, referencesIn } from './references';
import { Properties } from '../rules/rule';
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
  /** Who runs with a role: functions, ECS task definitions, EC2 hosts (by the role's logical id here). */
  readonly principals: ReadonlyArray<{ readonly role: Located; readonly principal: string }>;
  readonly grants: readonly RawGrant[];
}

const FUNCTION = 'AWS::Lambda::Function';
const only = (fromType: string | undefined, hop: HopKindName, ...toTypes: string[]): HopChooser =>
  (from, to) => ((fromType === undefined || from === fromType) && toTypes.includes(to) ? hop : undefined);

/**
 * Reads the hops one template states: integrations, subscriptions, event sources, rules, data sources, tasks and grants.
 * `nestedIn` links a nested stack's template to the resource that includes it, so references through its parameters
 * and outputs can be followed.
 */
export function templateHops(template: string, json: TemplateJson, nestedIn?: TemplateHops['nestedIn']): TemplateHops {
  const resources = json.Resources ?? {};
  const types = new Map(Object.entries(resources).map(([id, r]) => [id, r.Type ?? '']));
  const local = (ref: Reference): Located => ({ template, ref });
  const refs = (value: unknown): Located[] => referencesIn(value).map(local);
  const self = (logicalId: string): Located => local({ kind: 'local', logicalId });
  const hops: RawHop[] = [];
  const principals: Array<{ role: Located; principal: string }> = [];
  const grants: RawGrant[] = [];
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

  for (const [id, { Type: type, Properties: p = {} }] of Object.entries(resources)) {
    switch (type) {
      case 'AWS::ApiGateway::Method': {
        const integration = (p.Integration ?? {}) as Properties;
        for (const api of localIds(p.RestApiId)) {
          // The hop starts at the API's stages (where X-Ray is switched on); an API without one here starts it itself.
          const from = (stagesOfApi.get(api) ?? [api]).map(self);
          add(from, refs(integration.Uri), only(undefined, 'restIntegration', FUNCTION));
        }
        break;
      }
      case 'AWS::ApiGatewayV2::Integration':
        add(refs(p.ApiId), refs(p.IntegrationUri), only(undefined, 'httpIntegration', FUNCTION));
        break;
      case 'AWS::SNS::Subscription':
        add(refs(p.TopicArn), refs(p.Endpoint), only(undefined, 'snsSubscription', FUNCTION, 'AWS::SQS::Queue'));
        break;
      case 'AWS::SNS::Topic':
        for (const s of (Array.isArray(p.Subscription) ? p.Subscription : []) as Properties[]) {
          add([self(id)], refs(s.Endpoint), only(undefined, 'snsSubscription', FUNCTION, 'AWS::SQS::Queue'));
        }
        break;
      case 'AWS::Lambda::EventSourceMapping':
        add(refs(p.EventSourceArn), refs(p.FunctionName), (from, to) => (to === FUNCTION ? EVENT_SOURCE_HOPS[from] : undefined));
        break;
      case 'AWS::Events::Rule':
        for (const target of (Array.isArray(p.Targets) ? p.Targets : []) as Properties[]) {
          add([self(id)], refs(target.Arn), only(undefined, 'eventBridgeTarget', FUNCTION, 'AWS::SQS::Queue', 'AWS::SNS::Topic'));
        }
        break;
      case 'AWS::AppSync::DataSource':
        add(refs(p.ApiId), refs((p.LambdaConfig as Properties | undefined)?.LambdaFunctionArn),
          only('AWS::AppSync::GraphQLApi', 'appSyncDataSource', FUNCTION));
        break;
      case 'AWS::StepFunctions::StateMachine':
        // A function named anywhere in the definition is one its tasks invoke (lambda:invoke, or the function as Resource).
        add([self(id)], refs([p.DefinitionString, p.Definition, p.DefinitionSubstitutions]), only(undefined, 'stateMachineTask', FUNCTION));
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

  const exports = new Map<string, Reference>();
  for (const output of Object.values(json.Outputs ?? {})) {
    const name = output.Export?.Name;
    const [value] = referencesIn(output.Value);
    if (typeof name === 'string' && value) exports.set(name, value);
  }
  const outputs = firstReferences(Object.fromEntries(Object.entries(json.Outputs ?? {}).map(([name, o]) => [name, o.Value])));
  const parameters = new Set(Object.keys(json.Parameters ?? {}));
  return { template, types, exports, aliases, outputs, parameters, nestedParameters, nestedIn, hops, principals, grants };
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
