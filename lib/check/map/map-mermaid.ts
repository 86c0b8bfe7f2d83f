import { Carrier, Trace } from '../map/hop-kinds';
import type { ReportEntry, ReportStatus } from '../report-entry';
import { flowDirection } from './map-direction';

/** A resource the picture draws: a report entry, or a resource only the map knows (a queue, a rule, an ARN). */
export interface DrawnResource {
  readonly id: string;
  readonly kind: string;
  readonly unit?: string;
  readonly stack?: string;
  /** Its report entry, for checked resources. */
  readonly entry?: ReportEntry;
}

export interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly via: string;
  readonly trace: Trace;
  readonly carriedBy?: readonly Carrier[];
}

/** Above this many resources or hops, the picture draws one box per stack instead of one per resource. */
export const MAX_DETAILED_RESOURCES = 60;
export const MAX_DETAILED_EDGES = 120;

const OUTSIDE = 'outside the app';

/** Mermaid class (colour) per status: green when whole, amber when partial or acknowledged, red when broken. */
const STATUS_CLASS: Record<ReportStatus, string> = {
  'merged': 'merged',
  'xray-traced': 'traced',
  'datadog-traced': 'traced',
  'traced-not-merged': 'partial',
  'needs-code': 'partial',
  'acknowledged': 'acknowledged',
  'unknown': 'unknown',
  'incomplete': 'broken',
  'not-traced': 'broken',
  'excluded': 'left',
  'cdk-internal': 'left',
};

/**
 * How each verdict's arrow is drawn, told apart without colour by its line and its end: solid arrow when the trace
 * continues, dotted line ending in a circle when the target's trace is linked to it, in a cross when it breaks, dotted
 * arrow when unknown (and blue, red, amber for those who see colour: mid tones, seen on a light and a dark page alike;
 * the label keeps the theme's text colour, which a coloured label text would not be on both).
 */
const ARROW: Record<Trace, { readonly arrow: string; readonly style?: string }> = {
  continues: { arrow: '-->' },
  linked: { arrow: '-.-o', style: 'stroke:#2563eb,stroke-width:2px' },
  breaks: { arrow: '-.-x', style: 'stroke:#dc2626,stroke-width:3px' },
  unknown: { arrow: '-.->', style: 'stroke:#ca8a04,stroke-width:2px' },
};

/**
 * Each box class's look, and the same in words for the legend. Light fills with their own dark text: a dark theme's
 * light text on them would be unreadable. Broken and left-alone boxes also differ by their border (thick, dashed), and
 * every box names its status, so no colour has to be told apart.
 */
const BOX_CLASSES: Record<string, { readonly style: string; readonly looks: string }> = {
  merged: { style: 'fill:#d8f5d8,stroke:#2e7d32,color:#1b1b1b', looks: 'green' },
  traced: { style: 'fill:#dbeafe,stroke:#1d4ed8,color:#1b1b1b', looks: 'blue' },
  partial: { style: 'fill:#ffe8cc,stroke:#c2410c,color:#1b1b1b', looks: 'orange' },
  acknowledged: { style: 'fill:#eeeeee,stroke:#616161,color:#1b1b1b', looks: 'grey' },
  unknown: { style: 'fill:#fff4cc,stroke:#b08800,color:#1b1b1b', looks: 'yellow' },
  broken: { style: 'fill:#fddede,stroke:#c62828,stroke-width:3px,color:#1b1b1b', looks: 'red with a thick border' },
  left: { style: 'fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:4 3,color:#1b1b1b', looks: 'white with a dashed border' },
  plain: { style: 'fill:#ffffff,stroke:#616161,color:#1b1b1b', looks: 'white' },
};

/** The legend, written under the picture: each box colour with the statuses it stands for, and each arrow. */
export function mapLegend(): string[] {
  const statusesOf = (boxClass: string) => Object.entries(STATUS_CLASS).filter(([, c]) => c === boxClass).map(([status]) => status);
  const boxes = Object.entries(BOX_CLASSES).map(([boxClass, { looks }]) =>
    `${looks}: ${boxClass === 'plain' ? 'not checked (a queue, a rule, a resource outside the app)' : statusesOf(boxClass).join(', ')}`);
  return [
    `Boxes are resources, each naming its status; their colour says the same: ${boxes.join('; ')}.`,
    'Arrows are hops: solid where the trace continues (its label names what carries it), dotted ending in a circle where '
    + 'the target starts a new trace linked to the one before, dotted ending in a cross where the trace breaks, dotted '
    + 'with an arrowhead where it cannot be told before deployment.',
  ];
}

/**
 * The map as a Mermaid flowchart: units and stacks as subgraphs, one node per resource (coloured by
 * status, which each box also names) and one arrow per hop (drawn by verdict). An app too large to read that way
 * gets one node per stack, with its resources counted by status and the hops between stacks counted. The legend is the
 * report's text under the picture (mapLegend): drawn inside, it took a third of the picture's height.
 */
export function mapMermaid(resources: readonly DrawnResource[], edges: readonly DrawnEdge[]): string[] {
  const detailed = resources.length <= MAX_DETAILED_RESOURCES && edges.length <= MAX_DETAILED_EDGES;
  const lines: string[] = [];
  const links: Array<Trace | undefined> = [];
  const arrows: Array<[string, string]> = [];
  const nodeIds = new Map<string, string>();
  const groups = groupBy(resources, (r) => r.unit ?? OUTSIDE);

  let unitIndex = 0;
  for (const [unit, unitResources] of groups) {
    const outside = unit === OUTSIDE;
    if (!outside) lines.push(`  subgraph unit${unitIndex}["${label(unit)}"]`);
    let stackIndex = 0;
    for (const [stack, stackResources] of groupBy(unitResources, (r) => r.stack ?? OUTSIDE)) {
      const groupId = outside ? 'outside' : `unit${unitIndex}_stack${stackIndex}`;
      if (detailed) {
        if (!outside) lines.push(`    subgraph ${groupId}["${label(stack)}"]`);
        for (const r of stackResources) {
          const id = `r${nodeIds.size}`;
          nodeIds.set(r.id, id);
          lines.push(`${outside ? '  ' : '      '}${id}["${label(boxName(r))}<br/>${label(details(r))}"]:::${r.entry ? STATUS_CLASS[r.entry.status] : 'plain'}`);
        }
        if (!outside) lines.push('    end');
      } else {
        for (const r of stackResources) nodeIds.set(r.id, groupId);
        lines.push(`    ${groupId}["${label(outside ? 'Resources outside the app' : stack)}<br/>${label(stackSummary(stackResources, edges, nodeIds, groupId))}"]:::plain`);
      }
      stackIndex++;
    }
    if (!outside) lines.push('  end');
    unitIndex++;
  }

  if (detailed) {
    for (const e of edges) {
      const verdict = e.trace === 'continues' ? (e.carriedBy ?? []).join(' + ') : e.trace;
      lines.push(`  ${nodeIds.get(e.from)} ${ARROW[e.trace].arrow}|"${label(verdict ? `${e.via}: ${verdict}` : e.via)}"| ${nodeIds.get(e.to)}`);
      links.push(e.trace);
      arrows.push([nodeIds.get(e.from)!, nodeIds.get(e.to)!]);
    }
  } else {
    for (const [key, group] of groupBy(edges.filter((e) => nodeIds.get(e.from) !== nodeIds.get(e.to)), (e) => `${nodeIds.get(e.from)} ${nodeIds.get(e.to)}`)) {
      const [from, to] = key.split(' ');
      const broken = group.filter((e) => e.trace === 'breaks').length;
      const unknown = group.filter((e) => e.trace === 'unknown').length;
      const linked = group.some((e) => e.trace === 'linked');
      const trace: Trace = broken > 0 ? 'breaks' : unknown > 0 ? 'unknown' : linked ? 'linked' : 'continues';
      lines.push(`  ${from} ${ARROW[trace].arrow}|"${label(hopCount(group.length, broken, unknown))}"| ${to}`);
      links.push(trace);
      arrows.push([from, to]);
    }
  }

  links.forEach((trace, index) => {
    const style = trace && ARROW[trace].style;
    if (style) lines.push(`  linkStyle ${index} ${style}`);
  });
  lines.push(...Object.entries(BOX_CLASSES).map(([boxClass, { style }]) => `  classDef ${boxClass} ${style}`));
  // Mermaid lays out a box without hops to the outside in a direction of its own, left to right unless told.
  const direction = flowDirection([...new Set(nodeIds.values())], arrows);
  const inDirection = (line: string) => (/^ *subgraph /.test(line) ? [line, `${line.match(/^ */)![0]}  direction ${direction}`] : [line]);
  return [`flowchart ${direction}`, ...lines.flatMap(inDirection)];
}

/**
 * A box's name: its path below its stage and top-level stack (the boxes around it say those), so the picture stays
 * narrow; a resource outside the app keeps its ARN.
 */
function boxName(r: DrawnResource): string {
  if (r.stack === undefined) return r.id;
  const inUnit = r.unit !== undefined && r.id.startsWith(`${r.unit}/`) ? r.id.slice(r.unit.length + 1) : r.id;
  const slash = inUnit.indexOf('/');
  return slash < 0 ? r.id : inUnit.slice(slash + 1);
}

function details(r: DrawnResource): string {
  const e = r.entry;
  if (!e) return r.kind;
  return [e.kind, e.runtime, e.env ? `env ${e.env}` : undefined, e.status, e.missing.length > 0 ? `missing: ${e.missing.join(', ')}` : undefined]
    .filter((x) => x !== undefined).join('<br/>');
}

/** "12 resources: 10 merged, 2 incomplete<br/>14 hops inside, 1 breaks". */
function stackSummary(resources: readonly DrawnResource[], edges: readonly DrawnEdge[], nodeIds: ReadonlyMap<string, string>,
  groupId: string): string {
  const byStatus = new Map<string, number>();
  for (const r of resources) {
    const status = r.entry?.status ?? 'not checked';
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }
  const ids = new Set(resources.map((r) => r.id));
  const inside = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && nodeIds.get(e.from) === groupId);
  const counts = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  const hops = inside.length === 0 ? '' : `<br/>${hopCount(inside.length, inside.filter((e) => e.trace === 'breaks').length,
    inside.filter((e) => e.trace === 'unknown').length)} inside`;
  return `${resources.length} ${resources.length === 1 ? 'resource' : 'resources'}: ${counts}${hops}`;
}

/** "3 hops", "3 hops, 1 breaks, 1 unknown". */
function hopCount(total: number, broken: number, unknown: number): string {
  return [`${total} ${total === 1 ? 'hop' : 'hops'}`, broken > 0 ? `${broken} ${broken === 1 ? 'breaks' : 'break'}` : undefined,
    unknown > 0 ? `${unknown} unknown` : undefined].filter((x) => x !== undefined).join(', ');
}

/** Mermaid labels are quoted: escape quotes and keep the generated <br/> intact. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item); else groups.set(k, [item]);
  }
  return groups;
}
