/**
 * What the trace map is made of: the resources it draws (with what the verdicts read of them) and its hops. The shapes
 * only: trace-map.ts builds them, verdicts.ts judges the hops, trace-paths.ts walks them, the renderers draw them.
 */
import { Carrier, Trace } from './hop-kinds';
import type { ReportStatus } from '../report-entry';

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
  /**
   * For a REST API stage, state machine or GraphQL API: whether its template turns X-Ray on (undefined: only known at
   * deployment). The hops through it follow the template, whatever the resource's status (an excluded stage with X-Ray on
   * still passes the trace header on).
   */
  readonly xrayOn?: boolean;
  /** For a host: the language of its dd-trace, when its tracing construct was told it (`tracer`). */
  readonly tracer?: string;
}

/** One hop's verdict for the trace of one producer (the resource that sent what crosses it). */
export interface OriginVerdict {
  readonly origin: string;
  readonly trace: Trace;
  readonly carriedBy?: readonly Carrier[];
  readonly reason?: string;
}

/** One hop: `from` calls or feeds `to`. */
export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly via: string;
  /** The worst verdict of the producers whose traces cross the hop. */
  readonly trace: Trace;
  /** For `continues`: what carries the trace across (Datadog's context, X-Ray's header). */
  readonly carriedBy?: readonly Carrier[];
  /** Why the trace does not simply continue (absent when it does). */
  readonly reason?: string;
  /** When producers upstream of a queue, topic or rule fare differently across this hop: each one's verdict. */
  readonly byOrigin?: readonly OriginVerdict[];
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
  /** Kinds of hop the templates have that the map does not read. */
  readonly unread: readonly string[];
}

/** The order every list of the map is sorted in: plain string order, the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
