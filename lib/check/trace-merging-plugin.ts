import * as path from 'path';
import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Token,
} from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { isAcknowledged } from './acknowledgements';
import { CheckedScopes, CheckSettings } from './checked-scopes';
import { instrumentingFindings } from './instrumenting-findings';
import { DrawnResource } from './map/map-mermaid';
import { MAP_ONLY_KINDS, mapNode } from './map/map-nodes';
import { templateHops, TemplateHops } from './map/template-hops';
import { compare, MapNode, MappedEdge, traceMap } from './map/trace-map';
import { tracePaths } from './map/trace-paths';
import { CheckFinding, REPORT_JSON, REPORT_MARKDOWN, ReportEntry, ReportStatus, writeReport } from './report';
import { ResourceNature, statusOf } from './report-status';
import { EnvEntry, envMismatches, envMismatchMessage, EnvMismatchRule } from './rules/EnvMismatch';
import { Expectations, functionFacts } from './rules/function-facts';
import { envTag } from './rules/FunctionDdEnv';
import {
  FUNCTION_RULES, GRAPHQL_API_RULES, HTTP_API_RULES, REST_STAGE_RULES, RULE_NAMES, SNS_TOPIC_RULES, STATE_MACHINE_RULES,
} from './rules/index';
import { FunctionFacts, literal, Properties, Rule } from './rules/rule';
import { templateNetwork } from './rules/template-network';
import { traceBreaksMessage, TraceBreaksRule } from './rules/TraceBreaks';
import {
  XRayPolicyPlacement, xrayPolicyQuotaBreaches, xrayPolicyQuotaMessage, XRayResourcePolicyQuotaRule,
} from './rules/XRayResourcePolicyQuota';
import { constructAt, SynthesizedResource, synthesizedTemplates } from './synthesized-resources';
import { isCdkInternalFunction, isCdkInternalStateMachine } from '../common/cdk-internal-functions';
import { ruleId } from '../common/errors';
import { IMMUTABLE_ROLE } from '../common/findings';
import { nearestInstrumentingScope } from '../common/instrumenting-scopes';
import { isLambdaAtEdge } from '../common/lambda-at-edge';
import { tracedHost } from '../common/traced-hosts';

/** One kind of checked resource: its type, how messages name it, its rules and what it is by nature. */
interface ResourceKind<T> {
  readonly type: string;
  readonly noun: string;
  readonly kind: string;
  readonly rules: ReadonlyArray<Rule<T>>;
  /** Not part of merged tracing at all (an ECS task definition nobody traces): not in the report. */
  readonly skip?: (resource: SynthesizedResource) => boolean;
  /** Left alone on purpose (CDK's own plumbing, Lambda@Edge): in the report with its status and why, never checked. */
  readonly leftAlone?: (resource: SynthesizedResource) => LeftAlone | undefined;
  readonly input: (resource: SynthesizedResource, expected: Expectations) => T;
  readonly nature: (input: T) => ResourceNature;
  readonly details?: (input: T) => Partial<Pick<ReportEntry, 'runtime' | 'architecture' | 'mode'>>;
  readonly env: (input: T) => unknown;
}

/** Why a resource is listed but not checked. */
interface LeftAlone {
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
};

const propertiesOf = (r: SynthesizedResource): Properties => r.properties;

/** A host of DatadogEc2Tracing as the checker sees it. */
interface HostInput {
  readonly properties: Properties;
  readonly agentInstalled: boolean;
}

const KINDS: ReadonlyArray<ResourceKind<any>> = [
  FUNCTION_KIND,
  {
    type: 'AWS::StepFunctions::StateMachine',
    noun: 'state machine',
    kind: 'State machine',
    rules: STATE_MACHINE_RULES,
    leftAlone: (r) => (r.cfn instanceof sfn.CfnStateMachine && isCdkInternalStateMachine(r.cfn) ? CDK_INTERNAL : undefined),
    input: propertiesOf,
    nature: () => ({ kind: 'xray-only', tracingRule: STATE_MACHINE_RULES[0].name }),
    env: (p: Properties) => envTag(p.Tags),
  } as ResourceKind<Properties>,
  {
    type: 'AWS::ApiGateway::Stage',
    noun: 'REST API stage',
    kind: 'REST API stage',
    rules: REST_STAGE_RULES,
    input: propertiesOf,
    nature: () => ({ kind: 'xray-only', tracingRule: REST_STAGE_RULES[0].name }),
    env: (p: Properties) => envTag(p.Tags),
  } as ResourceKind<Properties>,
  {
    type: 'AWS::AppSync::GraphQLApi',
    noun: 'GraphQL API',
    kind: 'GraphQL API',
    rules: GRAPHQL_API_RULES,
    input: propertiesOf,
    nature: () => ({ kind: 'xray-only', tracingRule: GRAPHQL_API_RULES[0].name }),
    env: (p: Properties) => envTag(p.Tags),
  } as ResourceKind<Properties>,
  {
    type: 'AWS::SNS::Topic',
    noun: 'SNS topic',
    kind: 'SNS topic',
    rules: SNS_TOPIC_RULES,
    input: propertiesOf,
    nature: () => ({ kind: 'xray-only', tracingRule: SNS_TOPIC_RULES[0].name }),
    env: (p: Properties) => envTag(p.Tags),
  } as ResourceKind<Properties>,
  {
    type: 'AWS::ApiGatewayV2::Api',
    noun: 'HTTP API',
    kind: 'HTTP API',
    rules: HTTP_API_RULES,
    input: propertiesOf,
    nature: () => ({ kind: 'no-xray', rule: HTTP_API_RULES[0].name }),
    env: () => undefined,
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
  } as ResourceKind<HostInput>)),
];

const KIND_BY_TYPE = new Map(KINDS.map((k) => [k.type, k]));
const XRAY_RESOURCE_POLICY_TYPE = 'AWS::XRay::ResourcePolicy';
const XRAY_RESOURCE_POLICY: ReadonlySet<string> = new Set([XRAY_RESOURCE_POLICY_TYPE]);
const CHECKED_MAPPED_AND_POLICY_TYPES: ReadonlySet<string> = new Set([
  ...KIND_BY_TYPE.keys(), ...Object.keys(MAP_ONLY_KINDS), XRAY_RESOURCE_POLICY_TYPE,
]);

/** A checked resource on its way to the report: findings found so far, and what decides its status. */
interface Checked {
  readonly resource: SynthesizedResource;
  readonly settings: CheckSettings;
  readonly unit: string;
  readonly stage?: Stage;
  readonly nature: ResourceNature;
  readonly env?: string;
  /** The env the resource must carry: the checker's option, else the options of the scope that instruments it. */
  readonly expectedEnv?: string;
  /** Set for a resource left alone: its status, whatever its findings. */
  readonly leftAlone?: LeftAlone;
  readonly templatePath: string;
  readonly entry: Omit<ReportEntry, 'status' | 'findings'> & { readonly findings: CheckFinding[] };
}

/**
 * The policy-validation plugin behind MergedTracingChecker: CDK calls it after synthesis with the
 * templates and the finished construct tree. It reads each template once, runs the rules on the
 * resources as synthesized, returns errors and warnings as violations (errors fail synthesis), and
 * writes the trace-merging report into the cloud assembly.
 */
export class TraceMergingPlugin implements IPolicyValidationPlugin {
  public readonly name = 'cdk-trace-merging';
  public readonly ruleIds = RULE_NAMES.map(ruleId);

  constructor(private readonly scopes: CheckedScopes) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const checked: Checked[] = [];
    const seenTemplates: string[] = [];
    const policiesOfThisCall = new Set<string>();
    const mapped: Array<{ readonly stackTemplate: string; readonly hops: TemplateHops[]; readonly nodes: Array<[string, SynthesizedResource]> }> = [];
    for (const stackTemplate of context.stackTemplates) {
      const stack = constructAt(context.appConstruct, stackTemplate.stackConstructPath);
      if (!stack || !Stack.isStack(stack)) continue;
      // One walk of the stack: the X-Ray resource policies of every stack (the quota counts them all), and the checked
      // and mapped resources of the stacks a checker covers.
      const touched = this.scopes.touches(stackTemplate.stackConstructPath);
      const wanted = touched ? CHECKED_MAPPED_AND_POLICY_TYPES : XRAY_RESOURCE_POLICY;
      const templates = synthesizedTemplates(stack, stackTemplate.templatePath, wanted, touched);
      const resources = templates.flatMap((t) => t.resources);
      const policies = resources.filter((r) => r.type === XRAY_RESOURCE_POLICY_TYPE).map((r) => xrayPolicyPlacement(r));
      this.scopes.xrayPolicies.set(stackTemplate.templatePath, policies);
      for (const p of policies) policiesOfThisCall.add(p.path);
      if (!touched) continue;
      seenTemplates.push(stackTemplate.templatePath);
      mapped.push({
        stackTemplate: stackTemplate.templatePath,
        hops: templates.map((t) => templateHops(t.file, t.json, t.nestedIn && { template: t.nestedIn.file, logicalId: t.nestedIn.logicalId }, {
          account: Token.isUnresolved(t.stack.account) ? undefined : t.stack.account,
          region: Token.isUnresolved(t.stack.region) ? undefined : t.stack.region,
        })),
        nodes: templates.flatMap((t) => t.resources.filter((r) => r.type !== XRAY_RESOURCE_POLICY_TYPE).map((r) => [`${t.file}#${r.logicalId}`, r] as [string, SynthesizedResource])),
      });
      for (const resource of resources) {
        if (resource.type === XRAY_RESOURCE_POLICY_TYPE || !KIND_BY_TYPE.has(resource.type)) continue;
        const result = this.check(resource, stackTemplate.templatePath);
        if (result) checked.push(result);
      }
    }
    addEnvMismatches(checked);
    const statuses = new Map(checked.map((c) => [c, statusOfChecked(c)]));
    const byResource = new Map(checked.map((c) => [c.resource, c]));
    for (const part of mapped) {
      this.scopes.mapParts.set(part.stackTemplate, {
        hops: part.hops,
        nodes: part.nodes.map(([key, resource]) => [key, mapNodeOf(resource, byResource.get(resource), statuses)]),
      });
    }
    const parts = [...this.scopes.mapParts.values()];
    const map = traceMap(parts.flatMap((p) => p.hops), new Map(parts.flatMap((p) => p.nodes)));
    addTraceBreaks(checked, map.edges);

    const violations: PolicyViolation[] = [];
    for (const c of checked) {
      for (const finding of c.entry.findings) {
        if (finding.acknowledged || finding.instrumenting || finding.reportOnly) continue;
        violations.push({
          ruleName: ruleId(finding.rule),
          description: `${finding.description} [${ruleId(finding.rule)}]`,
          fix: finding.fix,
          severity: finding.level,
          violatingResources: [{ constructPath: c.resource.owner.node.path, locations: ['Properties'] }],
        });
      }
    }
    violations.push(...this.xrayPolicyQuotaViolations(policiesOfThisCall));
    this.report(seenTemplates, checked, statuses, map.edges, [...map.nodes.values()], map.unread);
    return { success: violations.every((v) => v.severity !== 'error'), violations };
  }

  /**
   * XRayResourcePolicyQuota over every template the app has shown the plugin so far (all of them by the last call;
   * aws-cdk-lib 2.262 calls once per account and region). A breach is reported by the call that shows one of its
   * policies, so a breach found again by a later call is not reported twice.
   */
  private xrayPolicyQuotaViolations(policiesOfThisCall: ReadonlySet<string>): PolicyViolation[] {
    const rule = XRayResourcePolicyQuotaRule.name;
    if (this.scopes.anySettings((s) => s.disabled.has(rule))) return [];
    const severity = this.scopes.anySettings((s) => s.downgraded.has(rule)) ? 'warning' : XRayResourcePolicyQuotaRule.severity;
    const breaches = xrayPolicyQuotaBreaches([...this.scopes.xrayPolicies.values()].flat())
      .filter((breach) => breach.policies.some((p) => policiesOfThisCall.has(p.path)));
    return breaches.map((breach) => {
      const { problem, fix } = xrayPolicyQuotaMessage(breach);
      return {
        ruleName: ruleId(rule),
        description: `${problem} [${ruleId(rule)}]`,
        fix,
        severity,
        violatingResources: breach.policies.map((p) => ({ constructPath: p.path, locations: ['Properties'] })),
      };
    });
  }

  private check(resource: SynthesizedResource, templatePath: string): Checked | undefined {
    const kind = KIND_BY_TYPE.get(resource.type)!;
    const ownerPath = resource.owner.node.path;
    const nearest = this.scopes.nearest(ownerPath);
    if (!nearest || kind.skip?.(resource)) return undefined;
    const settings = nearest.settings;
    // The options that instrument this resource (one set serves both): what they exclude is listed as excluded, and
    // their env is the one expected unless the checker was given its own.
    const instrumentedBy = nearestInstrumentingScope(resource.owner, ownerPath);
    const exclusion = settings.exclusionOf(ownerPath, resource.owner) ?? instrumentedBy?.exclusionOf(ownerPath, resource.owner);
    const leftAlone: LeftAlone | undefined = exclusion !== undefined ? { status: 'excluded', reason: exclusion } : kind.leftAlone?.(resource);
    const expected = { mode: settings.options.mode, env: resolvedEnv(resource.stack, settings.options.env ?? instrumentedBy?.env) };
    const input = kind.input(resource, expected);
    // Findings the instrumenting already annotated on this resource are reported there, once.
    const instrumenting = instrumentingFindings(resource.owner, resource.cfn);
    if (leftAlone) return this.checked(resource, settings, kind, input, templatePath, { findings: instrumenting, leftAlone });
    const already = new Set(instrumenting.map((f) => f.rule));
    const wired: string[] = [];
    const missing: string[] = [];
    const unknownRules: string[] = [];
    const findings: CheckFinding[] = [...instrumenting];
    for (const rule of kind.rules) {
      if (settings.disabled.has(rule.name) || already.has(rule.name)) continue;
      const result = rule.check(input);
      if (result.outcome === 'compliant') {
        wired.push(result.wired);
      } else if (result.outcome === 'non-compliant') {
        const finding = this.finding(resource, settings, rule.name, rule.severity, `This ${kind.noun} ${result.problem}`, result.fix);
        findings.push(finding);
        if (!finding.acknowledged) missing.push(rule.name);
      } else if (result.outcome === 'unknown') {
        const finding = this.finding(resource, settings, rule.name, 'warning',
          `This ${kind.noun} cannot be checked for ${rule.name} at synth time: ${result.what} is only known at deployment.`,
          `Make it a literal value, or check it yourself and acknowledge this warning (Validations.of(scope).acknowledge({ id: '${ruleId(rule.name)}', reason })).`);
        findings.push(rule.unknownInReportOnly ? { ...finding, reportOnly: true } : finding);
        if (!finding.acknowledged) unknownRules.push(rule.name);
      }
    }
    return this.checked(resource, settings, kind, input, templatePath,
      { findings, wired, missing, unknown: unknownRules, expectedEnv: expected.env });
  }

  /** The resource on its way to the report, with what its rules found (nothing for one left alone). */
  private checked<T>(resource: SynthesizedResource, settings: CheckSettings, kind: ResourceKind<T>, input: T, templatePath: string, result: {
    readonly findings: CheckFinding[];
    readonly wired?: string[];
    readonly missing?: string[];
    readonly unknown?: string[];
    readonly expectedEnv?: string;
    readonly leftAlone?: LeftAlone;
  }): Checked {
    const stage = Stage.of(resource.stack);
    // A resource left alone carries no env for EnvMismatch to compare: it is not part of the merged traces.
    const env = result.leftAlone ? undefined : literal(kind.env(input));
    return {
      resource,
      settings,
      unit: unitName(stage),
      stage,
      nature: kind.nature(input),
      env,
      expectedEnv: result.expectedEnv,
      leftAlone: result.leftAlone,
      templatePath,
      entry: {
        unit: unitName(stage),
        stack: reportedStackName(resource.stack),
        path: resource.owner.node.path,
        kind: kind.kind,
        ...withoutModeWhenLeftAlone(kind.details?.(input), result.leftAlone),
        env: literal(kind.env(input)),
        ...(result.leftAlone ? { exclusion: result.leftAlone.reason } : {}),
        wired: result.wired ?? [],
        missing: result.missing ?? [],
        unknown: result.unknown ?? [],
        acknowledged: result.findings.filter((f) => f.acknowledged).map((f) => f.rule),
        findings: result.findings,
      },
    };
  }

  private finding(resource: SynthesizedResource, settings: CheckSettings, rule: string, severity: 'error' | 'warning',
    description: string, fix: string): CheckFinding {
    const level = severity === 'error' && !settings.downgraded.has(rule) ? 'error' : 'warning';
    return { rule, level, message: `${description} ${fix}`, description, fix, acknowledged: isAcknowledged(resource.cfn, ruleId(rule)), instrumenting: false };
  }

  /** Records this call's entries (a call may cover only some templates) and writes the whole report with the trace map. */
  private report(templates: string[], checked: Checked[], statuses: ReadonlyMap<Checked, ReportStatus>,
    edges: readonly MappedEdge[], mapNodes: MapNode[], unread: readonly string[]): void {
    for (const template of templates) this.scopes.reportEntries.set(template, []);
    for (const c of checked) {
      if (c.settings.options.writeReport === false) continue;
      const entry: ReportEntry = {
        ...c.entry,
        status: statuses.get(c)!,
        findings: c.entry.findings.map((f) => ({ rule: f.rule, level: f.level, message: f.message, acknowledged: f.acknowledged })),
      };
      this.scopes.reportEntries.get(c.templatePath)!.push(entry);
    }
    if (!this.scopes.writesReport) return;
    const entries = [...this.scopes.reportEntries.values()].flat();
    const listed = new Set(entries.map((e) => e.path));
    const others: DrawnResource[] = mapNodes.filter((n) => !listed.has(n.id)).map(({ id, kind, unit, stack }) => ({ id, kind, unit, stack }))
      .sort((a, b) => compare(a.id, b.id));
    writeReport(this.scopes.root.outdir, entries, { edges, paths: tracePaths(edges), others, unread });
    // Run by the CDK CLI (it sets CDK_OUTDIR for the app), say where the report is, once per synthesis.
    if (process.env.CDK_OUTDIR !== undefined && !this.scopes.reportAnnounced) {
      this.scopes.reportAnnounced = true;
      process.stderr.write(`Merged tracing report: ${path.join(this.scopes.root.outdir, REPORT_MARKDOWN)} (and ${REPORT_JSON})\n`);
    }
  }
}

/** A checked resource's report status (a resource left alone keeps the status it was left with). */
function statusOfChecked(c: Checked): ReportStatus {
  const missingGrants = c.entry.findings.filter((f) => f.rule === IMMUTABLE_ROLE && !f.acknowledged).map((f) => f.rule);
  return c.leftAlone?.status
    ?? statusOf({ nature: c.nature, missing: c.entry.missing, unknown: c.entry.unknown, acknowledged: c.entry.acknowledged, missingGrants });
}

/** A resource as the trace map draws it: with its report standing when the checker checked it. */
function mapNodeOf(resource: SynthesizedResource, checked: Checked | undefined, statuses: ReadonlyMap<Checked, ReportStatus>): MapNode {
  const place = { unit: unitName(Stage.of(resource.stack)), stack: reportedStackName(resource.stack) };
  return mapNode(resource, KIND_BY_TYPE.get(resource.type), place, checked && {
    status: statuses.get(checked)!,
    runtime: checked.entry.runtime,
    missing: checked.entry.missing,
    unknown: checked.entry.unknown,
    acknowledged: checked.entry.acknowledged,
    exclusion: checked.entry.exclusion,
  });
}

/** A resource left alone was given no mode: its report entry shows none. */
function withoutModeWhenLeftAlone<T extends { mode?: unknown }>(details: T | undefined, leftAlone: LeftAlone | undefined): Omit<T, 'mode'> | T | undefined {
  if (!details || !leftAlone) return details;
  const { mode: _mode, ...rest } = details;
  return rest;
}

/**
 * TraceBreaks on the target of every hop where the merged trace breaks, naming the upstream resource and why; not when
 * the break is the target's own wiring (its own findings say that) or HYBRID's two traces by design, and only on
 * resources this call checked.
 */
function addTraceBreaks(checked: Checked[], edges: readonly MappedEdge[]): void {
  const byPath = new Map(checked.map((c) => [c.entry.path, c]));
  for (const edge of edges) {
    if (!edge.raisesFinding) continue;
    const c = byPath.get(edge.to);
    if (!c || c.leftAlone || c.settings.disabled.has(TraceBreaksRule.name)) continue;
    const { problem, fix } = traceBreaksMessage(edge.from, edge.via, edge.reason ?? 'the hop does not carry the trace');
    const description = `This ${KIND_BY_TYPE.get(c.resource.type)!.noun} ${problem}`;
    const acknowledged = isAcknowledged(c.resource.cfn, ruleId(TraceBreaksRule.name));
    c.entry.findings.push({ rule: TraceBreaksRule.name, level: TraceBreaksRule.severity, message: `${description} ${fix}`, description, fix, acknowledged, instrumenting: false });
  }
}

/** EnvMismatch: compares the env of every resource of one deployment unit, once all are checked. */
function addEnvMismatches(checked: Checked[]): void {
  const byUnit = new Map<string, Checked[]>();
  for (const c of checked) {
    if (c.env === undefined || c.settings.disabled.has(EnvMismatchRule.name)) continue;
    const list = byUnit.get(c.unit);
    if (list) list.push(c); else byUnit.set(c.unit, [c]);
  }
  for (const [unit, members] of byUnit) {
    const byPath = new Map(members.map((c) => [c.entry.path, c]));
    const expected = members.find((c) => c.expectedEnv !== undefined)?.expectedEnv;
    const entries: EnvEntry[] = members.map((c) => ({ path: c.entry.path, env: c.env! }));
    for (const mismatch of envMismatches(entries, expected)) {
      const c = byPath.get(mismatch.entry.path)!;
      // A function whose DD_ENV differs from the expected env already has FunctionDdEnv: one finding per resource.
      if (c.entry.findings.some((f) => f.rule === 'FunctionDdEnv')) continue;
      const { problem, fix } = envMismatchMessage(mismatch, unit);
      const description = `This resource ${problem}`;
      const level = c.settings.downgraded.has(EnvMismatchRule.name) ? 'warning' : EnvMismatchRule.severity;
      const acknowledged = isAcknowledged(c.resource.cfn, ruleId(EnvMismatchRule.name));
      c.entry.findings.push({ rule: EnvMismatchRule.name, level, message: `${description} ${fix}`, description, fix, acknowledged, instrumenting: false });
      if (acknowledged) c.entry.acknowledged.push(EnvMismatchRule.name); else c.entry.missing.push(EnvMismatchRule.name);
    }
  }
}

/** An X-Ray resource policy (in a stack's template or a nested stack's), with where its stack deploys. */
function xrayPolicyPlacement(policy: SynthesizedResource): XRayPolicyPlacement {
  const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  return { path: policy.cfn.node.path, account: known(policy.stack.account), region: known(policy.stack.region) };
}

function unitName(stage: Stage | undefined): string {
  return stage?.node.path ? stage.node.path : 'the app';
}

/** The stack a resource is reported under: the top-level stack it deploys with (by name, else artifact id). */
function reportedStackName(stack: Stack): string {
  let top = stack;
  while (top.nestedStackParent) top = top.nestedStackParent;
  return Token.isUnresolved(top.stackName) ? top.artifactId : top.stackName;
}

/**
 * The env to compare with, as the template shows values: a token (a Lazy, a context lookup) resolved, so `prod` given
 * lazily matches DD_ENV=prod. One only known at deployment (a CfnParameter) compares with nothing.
 */
function resolvedEnv(stack: Stack, env: string | undefined): string | undefined {
  if (env === undefined || !Token.isUnresolved(env)) return env;
  const resolved = stack.resolve(env);
  return typeof resolved === 'string' ? resolved : undefined;
}
