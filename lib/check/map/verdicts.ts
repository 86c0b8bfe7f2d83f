/**
 * The verdict of every hop, from the hop table (hop-kinds.ts) and Datadog's (datadog-propagation.ts): what reaches the
 * hop's source (for a queue, topic, stream, bus or rule: what each producer put into it), what the hop does with the
 * X-Ray header and with Datadog's context, and what the target does with them. A pure function of the map's nodes and
 * edges.
 */
import { CONSUMER_READINGS, ConsumerReading, contextLanguageOf, EventShape, PRODUCER_INJECTS, SDK_SENDS_XRAY_HEADER } from './datadog-propagation';
import { CARRIER_TYPES, Carrier, HopKind, SQS_SHAPE_AFTER, Trace } from './hop-kinds';
import type { MapNode } from './map-model';
import { HOST_TRACERS } from '../../datadog/host-tracers';

/** A hop between two drawn resources, before its verdict. */
export interface RawEdge {
  readonly source: MapNode;
  readonly target: MapNode;
  readonly hop: HopKind;
}

/** A hop's verdict for the trace of one producer. */
export interface Verdict {
  readonly trace: Trace;
  /** For `continues`: what carries the trace across. */
  readonly carriedBy?: readonly Carrier[];
  /** Why the trace does not simply continue. */
  readonly reason?: string;
  /** A break that raises no TraceBreaks: the target's own wiring (its own findings say it), or HYBRID's two traces. */
  readonly quiet?: boolean;
}

/** A hop with its verdict, and the verdicts for each producer when they differ (a queue fed by two functions). */
export interface JudgedEdge {
  readonly edge: RawEdge;
  /** The verdict shown for the hop: the worst of its producers'. */
  readonly verdict: Verdict;
  /** By the producer's id, when producers' traces fare differently across this hop. */
  readonly byOrigin?: ReadonlyMap<string, Verdict>;
}

/** What a trace that reaches a resource carries. */
interface Arrival {
  /** The resource whose trace it is: the producer that sent the message, or the entry point. */
  readonly origin: string;
  /** Whether Datadog's context of that trace is in the message. */
  readonly datadog: boolean | 'unknown';
  /**
   * The X-Ray header: still the producer's trace (`same`), a linked one, none, not known, or `padded`: Datadog's ids in
   * X-Ray's header (dd-trace-java's xray style), which the Datadog Lambda library reads from SQS's AWSTraceHeader.
   */
  readonly xray: 'same' | 'linked' | 'none' | 'unknown' | 'padded';
  /** Why a carrier was lost on the way, for the messages. */
  readonly lost: readonly string[];
  /** The shape a function receives when the message was wrapped by SNS or EventBridge on the way into a queue. */
  readonly shape?: EventShape;
}

const FUNCTION = 'AWS::Lambda::Function';
// Kubernetes workloads (their manifests' resource type) are hosts too: dd-trace in their pods, the node's Agent.
const HOST_TYPES: ReadonlySet<string> = new Set(['AWS::ECS::TaskDefinition', 'AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup',
  'Custom::AWSCDK-EKS-KubernetesResource']);
const CONTINUES_BY_XRAY: Verdict = { trace: 'continues', carriedBy: ['X-Ray header'] };
const SEVERITY: Record<Trace, number> = { continues: 0, linked: 1, unknown: 2, breaks: 3 };
/** How many rounds of propagation through chains of queues, topics and rules before stopping (a cycle of them). */
const MAX_ROUNDS = 16;

/** Every edge with its verdict, following each producer's trace through the queues, topics, streams and rules between. */
export function judge(edges: readonly RawEdge[]): JudgedEdge[] {
  const isCarrier = (node: MapNode) => CARRIER_TYPES.has(node.type);
  const incoming = new Set(edges.map((e) => e.target.id));
  const arrivals = new Map<string, Map<string, Arrival>>();
  const arrivalsAt = (node: MapNode): Arrival[] => {
    if (!isCarrier(node)) return [departure(node)];
    if (!incoming.has(node.id)) return [{ origin: node.id, datadog: false, xray: 'same', lost: [] }];
    return [...arrivals.get(node.id)?.values() ?? []];
  };

  // Propagate arrivals into carriers until nothing changes (chains of carriers are short; a cycle stops at MAX_ROUNDS).
  for (let round = 0, changed = true; changed && round < MAX_ROUNDS; round++) {
    changed = false;
    for (const edge of edges) {
      if (!isCarrier(edge.target)) continue;
      for (const arrival of arrivalsAt(edge.source)) {
        const next = restartedWhenLost(across(edge, arrival), edge.target);
        const key = `${next.origin}\0${next.datadog}\0${next.xray}\0${next.shape ?? ''}`;
        const known = arrivals.get(edge.target.id) ?? new Map<string, Arrival>();
        if (!known.has(key)) {
          known.set(key, next);
          arrivals.set(edge.target.id, known);
          changed = true;
        }
      }
    }
  }

  return edges.map((edge) => {
    const byOrigin = new Map<string, Verdict>();
    for (const arrival of arrivalsAt(edge.source)) {
      const verdict = verdictAcross(edge, arrival);
      const before = byOrigin.get(arrival.origin);
      if (!before || SEVERITY[verdict.trace] > SEVERITY[before.trace]) byOrigin.set(arrival.origin, verdict);
    }
    const verdicts = [...byOrigin.values()];
    const worst = verdicts.reduce((a, b) => (SEVERITY[b.trace] > SEVERITY[a.trace] ? b : a), verdicts[0] ?? { trace: 'unknown' });
    const differ = verdicts.some((v) => v.trace !== worst.trace || v.reason !== worst.reason);
    return differ ? { edge, verdict: worst, byOrigin } : { edge, verdict: worst };
  });
}

/**
 * Where nothing of the upstream trace reaches an SNS topic with X-Ray active tracing (the hop into it breaks), the topic
 * starts a trace of its own (its segment) and passes that on: the hops after it are judged for that one. A queue, bus or
 * stream makes no segment, so after them the trace stays lost.
 */
function restartedWhenLost(arrival: Arrival, carrier: MapNode): Arrival {
  const startsTrace = carrier.type === 'AWS::SNS::Topic' && carrier.state?.status === 'xray-traced';
  return startsTrace && arrival.xray === 'none' && arrival.datadog === false ? { origin: carrier.id, datadog: false, xray: 'same', lost: [] } : arrival;
}

/** What a resource that is not a carrier sends on: its own trace, with Datadog's context where its tracer puts it. */
function departure(node: MapNode): Arrival {
  const origin = node.id;
  if (HOST_TYPES.has(node.type)) {
    if (node.state?.status !== 'datadog-traced') return { origin, datadog: false, xray: 'none', lost: [`${origin} is not traced by DatadogEcsTracing or DatadogEc2Tracing`] };
    // dd-trace on a host: whether its AWS SDK integration puts Datadog's context into a message is not run here.
    const context = `${origin} is traced by dd-trace, whose context in the messages of a host is not run here`;
    const row = node.state.tracer === undefined ? undefined : HOST_TRACERS[node.state.tracer];
    if (row?.injectsXRayHeader) return { origin, datadog: 'unknown', xray: 'padded', lost: [context] };
    const noHeader = row ? `dd-trace for ${node.state.tracer} has no X-Ray propagation style (${row.source})` : `${origin}'s tracer language is not given (tracer)`;
    return { origin, datadog: 'unknown', xray: 'none', lost: [context, noHeader] };
  }
  return { origin, datadog: false, xray: 'same', lost: [] };
}

/** What reaches the target of `edge` of a trace that reached its source as `arrival`. */
function across(edge: RawEdge, arrival: Arrival): Arrival {
  const { hop, source, target } = edge;
  const lost = [...arrival.lost];
  const xray = xrayAcross(edge, arrival, lost);
  let datadog: Arrival['datadog'];
  switch (hop.datadog.crosses) {
    case 'call': datadog = injects(source, hop.datadog.call, lost); break;
    case 'kept':
    case 'event': datadog = arrival.datadog; break;
    default:
      datadog = false;
      if (arrival.datadog !== false) lost.push(`Datadog's context does not cross the ${hop.via}: ${hop.datadog.reason}`);
  }
  const shape = target.type === 'AWS::SQS::Queue' ? SQS_SHAPE_AFTER[source.type] : arrival.shape;
  return { origin: arrival.origin, datadog, xray, lost, ...(shape ? { shape } : {}) };
}

function xrayAcross(edge: RawEdge, arrival: Arrival, lost: string[]): Arrival['xray'] {
  const { hop, source, target } = edge;
  const drop = (reason: string | undefined) => {
    if (arrival.xray !== 'none' && reason) lost.push(reason);
    return 'none' as const;
  };
  const sent = hop.sentBySdk && source.type === FUNCTION ? sdkSends(source) : true;
  if (sent === false) return drop(`the AWS SDK of ${source.state?.runtime} sends no X-Ray header`);
  if (sent === undefined) {
    if (arrival.xray !== 'none') lost.push(`whether the AWS SDK of ${source.state?.runtime ?? 'its runtime'} sends ${source.id}'s X-Ray header is not run here`);
    return arrival.xray === 'none' ? 'none' : 'unknown';
  }
  switch (hop.xray) {
    case 'continues': return arrival.xray;
    // SQS keeps the header as AWSTraceHeader: a plain one starts a linked trace, Datadog's padded ids stay for the library.
    case 'linked': return arrival.xray === 'same' ? 'linked' : arrival.xray;
    case 'none': return drop(hop.xrayReason);
    case 'when-source-traced':
    case 'when-target-traced': {
      const end = xrayEndVerdict(hop.xray === 'when-source-traced' ? source : target);
      if (end.trace === 'breaks') return drop(end.reason);
      if (end.trace === 'unknown') {
        lost.push(end.reason!);
        return arrival.xray === 'none' ? 'none' : 'unknown';
      }
      return arrival.xray;
    }
  }
}

/** Whether the function's AWS SDK sends its X-Ray header with each call (undefined: not run for its runtime). */
function sdkSends(fn: MapNode): boolean | undefined {
  const language = contextLanguageOf(fn.state?.runtime);
  return language === undefined ? undefined : SDK_SENDS_XRAY_HEADER[language];
}

/** Whether dd-trace in `source` puts Datadog's context into what `call` sends. */
function injects(source: MapNode, call: keyof typeof PRODUCER_INJECTS, lost: string[]): Arrival['datadog'] {
  if (HOST_TYPES.has(source.type)) return departure(source).datadog;
  if (source.type !== FUNCTION) return false;
  const status = source.state?.status;
  if (status === 'xray-traced') {
    lost.push(`${source.id} runs in HYBRID mode (DD_TRACE_ENABLED=false), so dd-trace puts no Datadog context into its messages`);
    return false;
  }
  if (status !== 'merged' && status !== 'traced-not-merged' && status !== 'needs-code') return false;
  const language = contextLanguageOf(source.state?.runtime);
  if (language === undefined) {
    lost.push(`whether dd-trace for ${source.state?.runtime ?? 'its runtime'} puts Datadog's context into ${call} is not proven here`);
    return 'unknown';
  }
  return PRODUCER_INJECTS[call][language];
}

/**
 * The verdict of `edge` for a trace that reached its source as `arrival`: the first break of the hop itself and of the
 * function it enters (one that does not merge, an untraced one), else the first unknown, else what crosses.
 */
function verdictAcross(edge: RawEdge, arrival: Arrival): Verdict {
  const { source, target } = edge;
  if (HOST_TYPES.has(source.type)) return hostVerdict(source, target);
  const own = crossing(edge, arrival);
  const gate = target.type === FUNCTION ? functionVerdict(target) : undefined;
  const candidates = gate ? [own, gate] : [own];
  return candidates.find((v) => v.trace === 'breaks') ?? candidates.find((v) => v.trace === 'unknown') ?? own;
}

/** What crosses the hop itself, and what the target makes of it. */
function crossing(edge: RawEdge, arrival: Arrival): Verdict {
  const { target, hop } = edge;
  const after = across(edge, arrival);
  // Datadog's context counts where it is read (a function's library) or held for the next hop (a queue, topic, stream);
  // a state machine's own trace is X-Ray's.
  const datadogTaken = target.type === FUNCTION ? datadogTakenBy(target, hop, after) : CARRIER_TYPES.has(target.type) ? after.datadog : false;
  const carriedBy: Carrier[] = [];
  if (datadogTaken === true) carriedBy.push('Datadog context');
  if (after.xray === 'same' || (after.xray === 'padded' && paddedHeaderTakenBy(target, hop, after))) carriedBy.push('X-Ray header');
  if (carriedBy.length > 0) return { trace: 'continues', carriedBy };
  if (after.xray === 'padded' && target.type === FUNCTION) {
    return { trace: 'unknown', reason: [PADDED_UNSHOWN, ...after.lost].join('; ') };
  }
  const why = after.lost.join('; ') || undefined;
  if (after.xray === 'unknown' || datadogTaken === 'unknown') return { trace: 'unknown', reason: why };
  if (after.xray === 'linked') return { trace: 'linked', reason: [hop.xrayReason ?? 'the X-Ray trace is linked, not continued', ...after.lost].join('; ') };
  // X-Ray off on the target itself (a state machine) is the target's own finding: no TraceBreaks on top of it.
  const quiet = hop.xray === 'when-target-traced' && xrayEndVerdict(target).trace === 'breaks';
  return { trace: 'breaks', reason: why ?? 'nothing carries the trace across this hop', ...(quiet ? { quiet } : {}) };
}

const PADDED_UNSHOWN = "the X-Ray header carries Datadog's ids after a zero epoch (dd-trace-java's xray style): the Datadog "
  + 'library is run reading it from an SQS message only; whether X-Ray continues such a trace elsewhere is not shown';

/**
 * How a SERVERLESS function's Datadog library reads the event this hop delivers it (CONSUMER_READINGS): undefined where
 * no library reads one (not a function, not merging, not an event hop), `not run` for a runtime the suite does not run.
 */
function readingAt(fn: MapNode, hop: HopKind, after: Arrival): ConsumerReading | 'not run' | undefined {
  if (fn.type !== FUNCTION || fn.state?.status !== 'merged' || hop.datadog.crosses !== 'event') return undefined;
  const language = contextLanguageOf(fn.state.runtime);
  if (language === undefined) return 'not run';
  // A queue's message may be SNS's or EventBridge's wrapped in its body: the library reads it there.
  const shape = hop.datadog.shape === 'sqs' ? after.shape ?? 'sqs' : hop.datadog.shape;
  return CONSUMER_READINGS[shape][language];
}

/** Whether the padded X-Ray header (Datadog's ids, from a Java host) that reached the function is taken by its library. */
function paddedHeaderTakenBy(fn: MapNode, hop: HopKind, after: Arrival): boolean {
  const reading = readingAt(fn, hop, after);
  return typeof reading === 'object' && reading.paddedXRayHeader === 'taken';
}

/** Whether the function's Datadog library continues Datadog's context that reached it (SERVERLESS only). */
function datadogTakenBy(fn: MapNode, hop: HopKind, after: Arrival): boolean | 'unknown' {
  if (after.datadog === false) return false;
  const reading = readingAt(fn, hop, after);
  if (reading === 'not run') return 'unknown';
  // Taken where it is in the message; a host's tracer may or may not have put it there.
  return reading?.datadogContext === 'taken' ? after.datadog : false;
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
  const tracer = host.state.tracer;
  const row = tracer === undefined ? undefined : HOST_TRACERS[tracer];
  if (row?.injectsXRayHeader && target.type === FUNCTION) {
    return { trace: 'unknown', reason: `${host.id} runs dd-trace for ${tracer}: ${PADDED_UNSHOWN} (${row.source})` };
  }
  if (target.type === FUNCTION && target.state?.status === 'xray-traced') {
    const why = row ? `; dd-trace for ${tracer} has no X-Ray propagation style that could join them (${row.source})` : '';
    return {
      trace: 'breaks',
      reason: `HYBRID mode: ${host.id} is traced by dd-trace and ${target.id} by X-Ray, two traces that Datadog shows side by side by their shared env, service and version tags${why}`,
      quiet: true,
    };
  }
  return {
    trace: 'unknown',
    reason: `${host.id} is traced by dd-trace and the Datadog Agent, not X-Ray: whether its trace continues into ${target.id} `
      + "depends on the tracer's AWS SDK integration in the host's code, which a template cannot show",
  };
}

/** A service end whose X-Ray switch decides the hop (REST stage, state machine, AppSync API): from the template. */
function xrayEndVerdict(end: MapNode): Verdict {
  const name = `the ${end.noun} ${end.id}`;
  const state = end.state;
  if (!state) return { trace: 'unknown', reason: `${name} is not checked (no TraceMerging check covers it), so whether it has X-Ray on is not known` };
  if (state.xrayOn === true) return CONTINUES_BY_XRAY;
  if (state.xrayOn === false) return { trace: 'breaks', reason: `X-Ray tracing is off on ${name}` };
  return { trace: 'unknown', reason: `whether X-Ray is on for ${name} is only known at deployment` };
}

/** A function the hop enters: does it carry a merged trace on at all? (Its own findings say why not: quiet breaks.) */
function functionVerdict(fn: MapNode): Verdict {
  const state = fn.state;
  if (!state) {
    return {
      trace: 'unknown',
      reason: `the function ${fn.id} is not in the report (outside the app, or outside every checker's scope), so its tracing cannot be seen`,
    };
  }
  const broken = (reason: string): Verdict => ({ trace: 'breaks', reason, quiet: true });
  const unknown = (reason: string): Verdict => ({ trace: 'unknown', reason });
  switch (state.status) {
    case 'merged':
    case 'xray-traced':
      return CONTINUES_BY_XRAY;
    case 'traced-not-merged': return broken(`Datadog does not merge X-Ray traces for ${state.runtime ?? 'its runtime'}: the hop shows as two traces`);
    case 'needs-code': return unknown(`${fn.id} merges only once its handler is wrapped in code (${state.runtime}), which a template cannot show`);
    case 'incomplete': return broken(`${fn.id} is missing ${state.missing.join(', ')}`);
    case 'not-traced': return broken(`${fn.id} is not traced`);
    case 'excluded': return broken(`${fn.id} is left out of merged tracing (${state.exclusion})`);
    case 'cdk-internal': return broken(`${fn.id} is CDK's own plumbing, which nothing traces`);
    case 'unknown': return unknown(`${fn.id} has ${state.unknown.join(', ') || 'a runtime'} only known at deployment`);
    case 'acknowledged': return unknown(`${fn.id} has acknowledged findings (${state.acknowledged.join(', ')})`);
    default: return unknown(`${fn.id} is ${state.status}`);
  }
}
