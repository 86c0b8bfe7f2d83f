import { Trace } from './hop-kinds';
import { compare, TraceEdge } from './map-model';

/** One request's way through the app: from an entry point, hop by hop, and where its merged trace first breaks. */
export interface TracePath {
  /** The resources it passes, entry point first. */
  readonly through: readonly string[];
  /**
   * `continues`: one trace end to end; `linked`: a new trace starts at `at`, linked to the one before; `breaks`: at `at`
   * because `because`; `unknown`: cannot be told at `at`.
   */
  readonly trace: Trace;
  readonly at?: string;
  readonly because?: string;
}

export interface TracePaths {
  readonly paths: readonly TracePath[];
  /** Paths not listed because there are more than MAX_PATHS (a large app: the map's summary shows them by stack). */
  readonly omitted: number;
  /** True when counting stopped at MAX_STEPS: `omitted` is then a lower bound. */
  readonly countStopped: boolean;
}

/** The paths the report lists at most; beyond, it counts them. */
export const MAX_PATHS = 200;
/** The longest chain followed (a cycle is cut where it comes back anyway). */
const MAX_HOPS = 25;
/** Chains fan out multiplicatively in a large app: the walk stops counting after this many steps. */
const MAX_STEPS = 100_000;

/**
 * Every chain of hops from an entry point (a resource with hops out and none in: an API, a topic,
 * a queue, a rule or schedule, a function nothing in the app calls) to where it ends, each with its
 * first break. Cycles are cut where they return to a resource already on the chain.
 */
export function tracePaths(edges: readonly TraceEdge[]): TracePaths {
  const out = new Map<string, TraceEdge[]>();
  const hasIncoming = new Set<string>();
  for (const e of edges) {
    out.set(e.from, [...out.get(e.from) ?? [], e]);
    hasIncoming.add(e.to);
  }
  const entries = [...out.keys()].filter((id) => !hasIncoming.has(id)).sort(compare);
  const paths: TracePath[] = [];
  let omitted = 0;
  let steps = 0;
  const walk = (node: string, hops: TraceEdge[], onPath: Set<string>) => {
    if (++steps > MAX_STEPS) return;
    const next = (out.get(node) ?? []).filter((e) => !onPath.has(e.to));
    if (next.length === 0 || hops.length >= MAX_HOPS) {
      if (hops.length === 0) return;
      if (paths.length < MAX_PATHS) paths.push(pathOf(hops)); else omitted++;
      return;
    }
    for (const e of next) {
      onPath.add(e.to);
      walk(e.to, [...hops, e], onPath);
      onPath.delete(e.to);
    }
  };
  for (const entry of entries) walk(entry, [], new Set([entry]));
  return { paths, omitted, countStopped: steps > MAX_STEPS };
}

/**
 * The path's verdict: its first break, else its first unknown, else its first linked hop. A hop producers fare differently
 * across (after a queue, topic or rule) is judged for the producer on this path: the nearest resource before it that
 * the hop names as an origin.
 */
function pathOf(hops: readonly TraceEdge[]): TracePath {
  const through = [hops[0].from, ...hops.map((h) => h.to)];
  const judged = hops.map((h, i) => {
    const origins = new Map((h.byOrigin ?? []).map((o) => [o.origin, o]));
    const origin = through.slice(0, i + 1).reverse().find((id) => origins.has(id));
    const own = origin === undefined ? undefined : origins.get(origin);
    return { to: h.to, trace: own?.trace ?? h.trace, reason: own ? own.reason : h.reason };
  });
  const first = (['breaks', 'unknown', 'linked'] as const).map((t) => judged.find((h) => h.trace === t)).find((h) => h !== undefined);
  return first ? { through, trace: first.trace, at: first.to, because: first.reason } : { through, trace: 'continues' };
}
