import { Carrier, HOP_KINDS, HopKind, Trace } from './hop-kinds';
import { compare, MapNode, MappedEdge, TraceMap } from './map-model';
import { Located, TemplateHops } from './template-hops';
import { judge, RawEdge, Verdict } from './verdicts';

export type { MapNode, MappedEdge, NodeState, OriginVerdict, TraceEdge, TraceMap } from './map-model';
export { compare } from './map-model';

/** What one checked stack's templates give the map: their hops, and their resources by `template#logicalId`. */
export interface TemplateMapPart {
  readonly hops: readonly TemplateHops[];
  readonly nodes: ReadonlyArray<readonly [string, MapNode]>;
}

/** One field of an ARN: text without a colon, or a pseudo parameter kept readable (`${AWS::Region}`, which has colons). */
const FIELD = '(?:\\$\\{AWS::\\w+\\}|[^:])*';
const arnOf = (service: string, resource = '') => new RegExp(`^arn:${FIELD}:${service}:${FIELD}:${FIELD}:${resource}`);

/** Resources outside the app by their ARN: pattern, resource type, kind, noun. */
const TYPE_OF_ARN: ReadonlyArray<[RegExp, string, string, string]> = [
  [arnOf('lambda', 'function:'), 'AWS::Lambda::Function', 'Lambda function', 'function'],
  [arnOf('states', 'stateMachine:'), 'AWS::StepFunctions::StateMachine', 'State machine', 'state machine'],
  [arnOf('sns'), 'AWS::SNS::Topic', 'SNS topic', 'SNS topic'],
  [arnOf('sqs'), 'AWS::SQS::Queue', 'SQS queue', 'SQS queue'],
  [arnOf('kinesis'), 'AWS::Kinesis::Stream', 'Kinesis stream', 'Kinesis stream'],
  [arnOf('dynamodb', '.*\\/stream\\/'), 'AWS::DynamoDB::Table', 'DynamoDB table', 'DynamoDB table'],
  [arnOf('events', 'event-bus\\/'), 'AWS::Events::EventBus', 'EventBridge event bus', 'event bus'],
];

/** A function's ARN up to its name (grants name it with and without a version or alias). */
const UNQUALIFIED_FUNCTION = new RegExp(`${arnOf('lambda', 'function:').source}${FIELD}`);

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

  const edges = new Map<string, RawEdge>();
  const addEdge = (source: MapNode, target: MapNode, hop: HopKind) => {
    if (source.id === target.id) return;
    const key = `${source.id}\0${target.id}\0${hop.via}`;
    if (edges.has(key)) return;
    drawn.set(source.id, source);
    drawn.set(target.id, target);
    edges.set(key, { source, target, hop });
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
  // What Lambda's service writes (an event source mapping's failure destination) is no request of the handler.
  const serviceWrites = new Set<string>();
  for (const t of templates) {
    for (const { fn, destination } of t.serviceDestinations) {
      const [source, target] = [nodeOf(fn), nodeOf(destination)];
      if (source && target) serviceWrites.add(`${source.id}\0${target.id}`);
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
          if (serviceWrites.has(`${source.id}\0${target.id}`)) continue;
          const hop = grant.hop(source.type, target.type);
          if (hop) addEdge(source, target, HOP_KINDS[hop]);
        }
      }
    }
  }
  const judged = judge([...edges.values()]).map(({ edge, verdict, byOrigin }) => mappedEdge(edge, verdict, byOrigin));
  const sorted = judged.sort((a, b) => compare(`${a.from}\0${a.to}\0${a.via}`, `${b.from}\0${b.to}\0${b.via}`));
  return { edges: sorted, nodes: drawn, unread: [...new Set(templates.flatMap((t) => t.unread))].sort(compare) };
}

function mappedEdge(edge: RawEdge, verdict: Verdict, byOrigin: ReadonlyMap<string, Verdict> | undefined): MappedEdge {
  const origins = byOrigin && [...byOrigin].sort(([a], [b]) => compare(a, b)).map(([origin, v]) => ({ origin, ...shown(v) }));
  const raises = verdict.trace === 'breaks' && !verdict.quiet || [...byOrigin?.values() ?? []].some((v) => v.trace === 'breaks' && !v.quiet);
  return {
    from: edge.source.id,
    to: edge.target.id,
    via: edge.hop.via,
    ...shown(verdict),
    ...(origins ? { byOrigin: origins } : {}),
    raisesFinding: raises,
  };
}

/** A verdict as the report shows it. */
function shown(v: Verdict): { trace: Trace; carriedBy?: readonly Carrier[]; reason?: string } {
  return { trace: v.trace, ...(v.carriedBy ? { carriedBy: v.carriedBy } : {}), ...(v.reason !== undefined ? { reason: v.reason } : {}) };
}

/** A resource outside the app, named by its ARN (a function's without its version or alias: grants name both). */
function outsideNode(arn: string): MapNode | undefined {
  const row = TYPE_OF_ARN.find(([pattern]) => pattern.test(arn));
  const unqualified = UNQUALIFIED_FUNCTION.exec(arn)?.[0] ?? arn;
  return row ? { id: unqualified, type: row[1], kind: `${row[2]} outside the app`, noun: row[3] } : undefined;
}
