import { HOP_KINDS, HopKind, Trace } from './hop-kinds';
import { Located, TemplateHops } from './template-hops';
import type { ReportStatus } from '../report';

/** What one checked stack's templates give the map: their hops, and their resources by `template#logicalId`. */
export interface TemplateMapPart {
  readonly hops: readonly TemplateHops[];
  readonly nodes: ReadonlyArray<readonly [string, MapNode]>;
}

/** A resource the map can draw, as the plugin found it in the construct tree. */
export interface MapNode {
  /** Its construct path (the report's `path`), or its ARN when it is outside the app. */
  readonly id: string;
  readonly type: string;
  /** What the report calls it: 'Lambda function', 'SQS queue', ... */
  readonly kind: string;
  /** What messages call it in a sentence: 'function', 'REST API stage', 'state machine', ... */
  readonly noun: string;
  readonly unit?: string;
  readonly stack?: string;
  /** Where it stands in the report; undefined when the checker does not list it (a queue, a rule, an imported resource). */
  readonly state?: NodeState;
}

/** What the verdicts read of a checked resource. */
export interface NodeState {
  readonly status: ReportStatus;
  readonly runtime?: string;
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
  readonly acknowledged: readonly string[];
  readonly exclusion?: string;
}

/** One hop: `from` calls or feeds `to`. */
export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly via: string;
  readonly trace: Trace;
  /** Why the trace breaks or cannot be judged here (absent when it continues). */
  readonly reason?: string;
}

/** A hop with what the checker needs to report a break on its target. */
export interface MappedEdge extends TraceEdge {
  /**
   * Whether a break here deserves TraceBreaks: not when it is the target's own wiring (its own findings report
   * that), nor when HYBRID mode makes it two traces by design.
   */
  readonly raisesFinding: boolean;
}

/** The map: every hop found in the templates, with its verdict, and the resources it draws that the report does not list. */
export interface TraceMap {
  readonly edges: readonly MappedEdge[];
  readonly nodes: ReadonlyMap<string, MapNode>;
}

/** Resources outside the app by their ARN: pattern, resource type, kind, noun. */
const TYPE_OF_ARN: ReadonlyArray<[RegExp, string, string, string]> = [
  [/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, 'AWS::Lambda::Function', 'Lambda function', 'function'],
  [/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:/, 'AWS::StepFunctions::StateMachine', 'State machine', 'state machine'],
  [/^arn:[^:]+:sns:/, 'AWS::SNS::Topic', 'SNS topic', 'SNS topic'],
  [/^arn:[^:]+:sqs:/, 'AWS::SQS::Queue', 'SQS queue', 'SQS queue'],
  [/^arn:[^:]+:kinesis:/, 'AWS::Kinesis::Stream', 'Kinesis stream', 'Kinesis stream'],
  [/^arn:[^:]+:dynamodb:.*\/stream\//, 'AWS::DynamoDB::Table', 'DynamoDB table', 'DynamoDB table'],
];

const HOST_TYPES: ReadonlySet<string> = new Set(['AWS::ECS::TaskDefinition', 'AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup']);
const FUNCTION = 'AWS::Lambda::Function';
/** How many references to follow through exports and aliases before giving up (a loop in a broken template). */
const MAX_INDIRECTIONS = 8;

/**
 * Joins the hops of every template into one map: references across stacks are followed through their
 * exports, aliases and versions to their function, grants to the functions, tasks and hosts whose role has them.
 * `nodes` holds every drawable resource by `template#logicalId`.
 */
export function traceMap(templates: readonly TemplateHops[], nodes: ReadonlyMap<string, MapNode>): TraceMap {
  const byTemplate = new Map(templates.map((t) => [t.template, t]));
  const nestedAt = new Map(templates.flatMap((t) => (t.nestedIn ? [[`${t.nestedIn.template}#${t.nestedIn.logicalId}`, t] as const] : [])));
  const exportIndex = new Map<string, Located>();
  for (const t of templates) for (const [name, ref] of t.exports) exportIndex.set(name, { template: t.template, ref });

  /** The template resource or ARN a reference finally means. */
  const canonical = (located: Located, depth = 0): { key: string; type: string } | { arn: string } | undefined => {
    const { ref } = located;
    if (depth > MAX_INDIRECTIONS) return undefined;
    if (ref.kind === 'arn') return { arn: ref.arn };
    if (ref.kind === 'import') {
      const exported = exportIndex.get(ref.exportName);
      return exported ? canonical(exported, depth + 1) : undefined;
    }
    const template = byTemplate.get(located.template);
    const alias = template?.aliases.get(ref.logicalId);
    if (alias) return canonical({ template: located.template, ref: alias }, depth + 1);
    // Into a nested stack through its output, or out of one through the parameter its parent passes.
    const nested = nestedAt.get(`${located.template}#${ref.logicalId}`);
    const output = ref.attribute?.startsWith('Outputs.') ? nested?.outputs.get(ref.attribute.slice('Outputs.'.length)) : undefined;
    if (nested && output) return canonical({ template: nested.template, ref: output }, depth + 1);
    if (template?.nestedIn && template.parameters.has(ref.logicalId)) {
      const passed = byTemplate.get(template.nestedIn.template)?.nestedParameters.get(template.nestedIn.logicalId)?.get(ref.logicalId);
      return passed ? canonical({ template: template.nestedIn.template, ref: passed }, depth + 1) : undefined;
    }
    const type = template?.types.get(ref.logicalId);
    return type === undefined ? undefined : { key: `${located.template}#${ref.logicalId}`, type };
  };
  const drawn = new Map<string, MapNode>();
  const nodeOf = (located: Located): MapNode | undefined => {
    const found = canonical(located);
    if (!found) return undefined;
    if ('arn' in found) return outsideNode(found.arn);
    return nodes.get(found.key);
  };

  const edges = new Map<string, MappedEdge>();
  const addEdge = (source: MapNode, target: MapNode, hop: HopKind) => {
    if (source.id === target.id) return;
    const key = `${source.id}\0${target.id}\0${hop.via}`;
    if (edges.has(key)) return;
    drawn.set(source.id, source);
    drawn.set(target.id, target);
    const verdict = verdictOf(hop, source, target);
    edges.set(key, {
      from: source.id,
      to: target.id,
      via: hop.via,
      trace: verdict.trace,
      ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
      raisesFinding: verdict.trace === 'breaks' && !verdict.quiet,
    });
  };

  for (const t of templates) {
    for (const raw of t.hops) {
      const source = nodeOf(raw.from);
      const target = nodeOf(raw.to);
      const hop = source && target ? raw.hop(source.type, target.type) : undefined;
      if (hop) addEdge(source!, target!, HOP_KINDS[hop]);
    }
  }

  // Grants: the principals of each role (a role may be granted in another stack than the one that uses it).
  const principalsOfRole = new Map<string, MapNode[]>();
  for (const t of templates) {
    for (const { role, principal } of t.principals) {
      const roleKey = canonical(role);
      const node = nodes.get(`${t.template}#${principal}`);
      if (!roleKey || 'arn' in roleKey || !node) continue;
      principalsOfRole.set(roleKey.key, [...principalsOfRole.get(roleKey.key) ?? [], node]);
    }
  }
  for (const t of templates) {
    for (const grant of t.grants) {
      const sources = grant.roles.flatMap((role) => {
        const roleKey = canonical(role);
        return roleKey && 'key' in roleKey ? principalsOfRole.get(roleKey.key) ?? [] : [];
      });
      if (sources.length === 0) continue;
      for (const resource of grant.resources) {
        const target = nodeOf(resource);
        if (!target) continue;
        for (const source of sources) {
          const hop = grant.hop(source.type, target.type);
          if (hop) addEdge(source, target, HOP_KINDS[hop]);
        }
      }
    }
  }
  const sorted = [...edges.values()].sort((a, b) => compare(`${a.from}\0${a.to}\0${a.via}`, `${b.from}\0${b.to}\0${b.via}`));
  return { edges: sorted, nodes: drawn };
}

/** A resource outside the app, named by its ARN (a function's without its version or alias: grants name both). */
function outsideNode(arn: string): MapNode | undefined {
  const row = TYPE_OF_ARN.find(([pattern]) => pattern.test(arn));
  const unqualified = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+/.exec(arn)?.[0] ?? arn;
  return row ? { id: unqualified, type: row[1], kind: `${row[2]} outside the app`, noun: row[3] } : undefined;
}

interface Verdict {
  readonly trace: Trace;
  readonly reason?: string;
  /** A break that raises no TraceBreaks (see MappedEdge.raisesFinding). */
  readonly quiet?: boolean;
}

const CONTINUES: Verdict = { trace: 'continues' };

/** The hop's verdict: the first break among the hop itself, the X-Ray end it needs and the function it enters; else the first unknown. */
function verdictOf(hop: HopKind, source: MapNode, target: MapNode): Verdict {
  const verdicts: Verdict[] = [];
  if (HOST_TYPES.has(source.type)) verdicts.push(hostVerdict(source, target));
  if (hop.carries === 'never') verdicts.push({ trace: 'breaks', reason: hop.reason });
  if (hop.carries === 'when-source-traced') verdicts.push(xrayEndVerdict(source, false));
  if (hop.carries === 'when-target-traced') verdicts.push(xrayEndVerdict(target, true));
  if (target.type === FUNCTION) verdicts.push(functionVerdict(target));
  return verdicts.find((v) => v.trace === 'breaks') ?? verdicts.find((v) => v.trace === 'unknown') ?? CONTINUES;
}

/**
 * A hop out of a host. From one this app does not trace (DatadogEcsTracing, DatadogEc2Tracing) nothing it set up carries
 * a trace. From one traced by dd-trace and the Agent into a HYBRID function (traced by X-Ray only), it is two traces by
 * design, shown side by side by their shared env, service and version tags; anywhere else it depends on the tracer's
 * AWS SDK integration in the host's code.
 */
function hostVerdict(host: MapNode, target: MapNode): Verdict {
  if (host.state?.status !== 'datadog-traced') {
    return {
      trace: 'unknown',
      reason: `${host.id} is not traced by DatadogEcsTracing or DatadogEc2Tracing, so nothing this app sets up carries its trace into ${target.id}`,
    };
  }
  if (target.type === FUNCTION && target.state?.status === 'xray-traced') {
    return {
      trace: 'breaks',
      reason: `HYBRID mode: ${host.id} is traced by dd-trace and ${target.id} by X-Ray, two traces that Datadog shows side by side by their shared env, service and version tags`,
      quiet: true,
    };
  }
  return {
    trace: 'unknown',
    reason: `${host.id} is traced by dd-trace and the Datadog Agent, not X-Ray: whether its trace continues into ${target.id} `
      + "depends on the tracer's AWS SDK integration in the host's code, which a template cannot show",
  };
}

/** A service end whose X-Ray switch decides the hop (REST stage, state machine, AppSync API). */
function xrayEndVerdict(end: MapNode, isTarget: boolean): Verdict {
  const name = `the ${end.noun} ${end.id}`;
  const state = end.state;
  // A break at the target is the target's own finding (StateMachineTracing and the like): no TraceBreaks on top of it.
  const quiet = isTarget;
  if (!state) return { trace: 'unknown', reason: `${name} is not checked by a MergedTracingChecker, so whether it has X-Ray on is not known` };
  switch (state.status) {
    case 'not-traced': return { trace: 'breaks', reason: `X-Ray tracing is off on ${name}`, quiet };
    case 'incomplete': return { trace: 'breaks', reason: `${name} is missing ${state.missing.join(', ')}`, quiet };
    case 'excluded': return { trace: 'breaks', reason: `${name} is left out of merged tracing (${state.exclusion})`, quiet };
    case 'unknown': return { trace: 'unknown', reason: `whether X-Ray is on for ${name} is only known at deployment` };
    case 'acknowledged': return { trace: 'unknown', reason: `${name} has acknowledged findings (${state.acknowledged.join(', ')})` };
    default: return CONTINUES;
  }
}

/** A function the hop enters: does Datadog merge the X-Ray trace there? */
function functionVerdict(fn: MapNode): Verdict {
  const state = fn.state;
  if (!state) {
    return {
      trace: 'unknown',
      reason: `the function ${fn.id} is not in the report (outside the app, or outside every checker's scope), so its tracing cannot be seen`,
    };
  }
  const broken = (reason: string, quiet: boolean): Verdict => ({ trace: 'breaks', reason, quiet });
  const unknown = (reason: string): Verdict => ({ trace: 'unknown', reason });
  switch (state.status) {
    case 'merged':
    case 'xray-traced':
      return CONTINUES;
    case 'traced-not-merged': return broken(`Datadog does not merge X-Ray traces for ${state.runtime ?? 'its runtime'}: the hop shows as two traces`, true);
    case 'needs-code': return unknown(`${fn.id} merges only once its handler is wrapped in code (${state.runtime}), which a template cannot show`);
    case 'incomplete': return broken(`${fn.id} is missing ${state.missing.join(', ')}`, true);
    case 'not-traced': return broken(`${fn.id} is not traced`, true);
    case 'excluded': return broken(`${fn.id} is left out of merged tracing (${state.exclusion})`, true);
    case 'cdk-internal': return broken(`${fn.id} is CDK's own plumbing, which nothing traces`, true);
    case 'unknown': return unknown(`${fn.id} has ${state.unknown.join(', ') || 'a runtime'} only known at deployment`);
    case 'acknowledged': return unknown(`${fn.id} has acknowledged findings (${state.acknowledged.join(', ')})`);
    default: return unknown(`${fn.id} is ${state.status}`);
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
