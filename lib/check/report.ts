import * as fs from 'fs';
import * as path from 'path';

export const REPORT_JSON = 'trace-merging-report.json';
export const REPORT_MARKDOWN = 'trace-merging-report.md';

/** One finding on a resource. */
export interface ReportFinding {
  readonly rule: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** True when acknowledged (Validations.of(x).acknowledge, or Annotations.of(x).acknowledgeWarning for instrumenting findings). */
  readonly acknowledged: boolean;
}

/** A finding with its parts kept apart for the violation (description, fix) and its origin. */
export interface CheckFinding extends ReportFinding {
  readonly description: string;
  readonly fix?: string;
  /** Annotated while instrumenting: already shown to the user as an annotation, not a violation. */
  readonly instrumenting: boolean;
  /** Shown in the report only, never as a violation (an `unknown` no user can make known). */
  readonly reportOnly?: boolean;
}

/**
 * Where a resource stands, most urgent first:
 * - `incomplete`: something merged traces need is missing or wrong (a non-compliant rule, or an
 *   unacknowledged `ImmutableRole`: a grant the library could not add);
 * - `not-traced`: an X-Ray-only resource with X-Ray off, or an HTTP/WebSocket API (no X-Ray at all);
 * - `unknown`: something is only known at deployment (a parameter, a reference, a container image);
 * - `acknowledged`: only acknowledged findings remain;
 * - `merged`: every part wired, and Datadog merges the X-Ray trace for this runtime (Node.js, Python);
 * - `traced-not-merged`: X-Ray and Datadog both on, but Datadog cannot merge this runtime (Java, .NET):
 *   two traces for this hop;
 * - `needs-code`: wired, and merges once the handler is wrapped in code (Ruby, `provided.*`);
 * - `xray-traced`: traced by X-Ray only, as intended: a REST API stage or state machine with X-Ray on,
 *   or a HYBRID function (DD_TRACE_ENABLED=false; Datadog shows it through its X-Ray integration);
 * - `datadog-traced`: the host side (an ECS task definition, EC2 instance or Auto Scaling group traced by the Datadog Agent);
 * - `excluded`: left out of merged tracing on purpose (the options' exclusions, Lambda@Edge): not checked, and
 *   `exclusion` says which exclusion applied;
 * - `cdk-internal`: CDK's own plumbing (a custom resource provider, a log retention helper), left alone.
 */
export type ReportStatus = 'merged' | 'traced-not-merged' | 'needs-code' | 'incomplete' | 'unknown' | 'acknowledged'
| 'xray-traced' | 'not-traced' | 'datadog-traced' | 'excluded' | 'cdk-internal';

/** Every status, in the order the Markdown summary lists them. */
export const REPORT_STATUSES: readonly ReportStatus[] = [
  'incomplete', 'not-traced', 'unknown', 'acknowledged', 'merged', 'traced-not-merged', 'needs-code', 'xray-traced', 'datadog-traced',
  'excluded', 'cdk-internal',
];

/** One checked resource in the report. */
export interface ReportEntry {
  /** The deployment unit: 'the app' for the app's own stacks, else the Stage's path. */
  readonly unit: string;
  readonly stack: string;
  readonly path: string;
  readonly kind: string;
  readonly status: ReportStatus;
  readonly runtime?: string;
  readonly architecture?: string;
  readonly mode?: string;
  readonly env?: string;
  /** For `excluded` and `cdk-internal`: why the resource is left alone (the exclusion that applied, in the options' words). */
  readonly exclusion?: string;
  /** What is in place for merged traces (compliant rules). */
  readonly wired: string[];
  /** What is missing or wrong (non-compliant rules, unacknowledged), by rule name. */
  readonly missing: string[];
  /** What could not be checked at synth time (unacknowledged), by rule name. */
  readonly unknown: string[];
  /** Findings acknowledged by the user, by rule name. */
  readonly acknowledged: string[];
  readonly findings: ReportFinding[];
}

/** Writes trace-merging-report.json and trace-merging-report.md into `outdir`. */
export function writeReport(outdir: string, entries: ReportEntry[]): void {
  const sorted = sortedEntries(entries);
  fs.writeFileSync(path.join(outdir, REPORT_JSON), JSON.stringify(reportJson(sorted), undefined, 2) + '\n');
  fs.writeFileSync(path.join(outdir, REPORT_MARKDOWN), reportMarkdown(sorted));
}

/** Removes a report left in `outdir` by an earlier synthesis (see TraceMergingPlugin for why). */
export function removeReport(outdir: string): void {
  for (const file of [REPORT_JSON, REPORT_MARKDOWN]) fs.rmSync(path.join(outdir, file), { force: true });
}

/** Entries sorted by unit and path, for stable output. */
export function sortedEntries(entries: ReportEntry[]): ReportEntry[] {
  // Ordinal comparison: stable across machines, and far cheaper than localeCompare for thousands of entries.
  const key = (e: ReportEntry) => e.unit + '\0' + e.path;
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The machine-readable report. */
export function reportJson(entries: ReportEntry[]): object {
  const byStatus: Record<string, number> = {};
  for (const status of REPORT_STATUSES) {
    const count = entries.filter((e) => e.status === status).length;
    if (count > 0) byStatus[status] = count;
  }
  return {
    generatedBy: 'cdk-trace-merging',
    formatVersion: 2,
    summary: {
      resources: entries.length,
      byStatus,
      withMissing: entries.filter((e) => e.missing.length > 0).length,
      withUnknown: entries.filter((e) => e.unknown.length > 0).length,
      withAcknowledged: entries.filter((e) => e.acknowledged.length > 0).length,
    },
    resources: entries,
  };
}

/** A Markdown table of every checked resource and a Mermaid diagram of units, stacks and resources. */
export function reportMarkdown(entries: ReportEntry[]): string {
  const counts = REPORT_STATUSES.map((s) => [s, entries.filter((e) => e.status === s).length] as const).filter(([, n]) => n > 0);
  const lines = [
    '# Merged tracing report',
    '',
    summaryLine(entries.length, counts),
    '',
    '| Unit | Stack | Path | Kind | Status | Runtime | Mode | Env | Wired | Missing | Acknowledged |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...entries.map((e) => '| ' + [
      e.unit, e.stack, e.path, e.kind, e.exclusion ? `${e.status}: ${e.exclusion}` : e.status, runtimeText(e), e.mode ?? '-', e.env ?? '-',
      e.wired.join('<br>') || '-', [...e.missing, ...e.unknown.map((u) => `${u} (unknown)`)].join('<br>') || '-',
      e.acknowledged.join('<br>') || '-',
    ].map(cell).join(' | ') + ' |'),
    '',
    '```mermaid',
    ...mermaid(entries),
    '```',
    '',
  ];
  return lines.join('\n');
}

/** "1 resource: 1 merged." / "3 resources: 2 merged, 1 excluded." */
function summaryLine(total: number, counts: ReadonlyArray<readonly [ReportStatus, number]>): string {
  return `${total} ${total === 1 ? 'resource' : 'resources'}` + (counts.length > 0 ? `: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.` : '.');
}

function runtimeText(e: ReportEntry): string {
  if (!e.runtime) return '-';
  return e.architecture ? `${e.runtime} (${e.architecture})` : e.runtime;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

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

/** Units and stacks as subgraphs, resources as nodes coloured by status. */
function mermaid(entries: ReportEntry[]): string[] {
  const lines = ['flowchart LR'];
  let unitIndex = 0;
  let resourceIndex = 0;
  for (const [unit, unitEntries] of groupBy(entries, (e) => e.unit)) {
    lines.push(`  subgraph unit${unitIndex}["${label(unit)}"]`);
    let stackIndex = 0;
    for (const [stack, stackEntries] of groupBy(unitEntries, (e) => e.stack)) {
      lines.push(`    subgraph unit${unitIndex}_stack${stackIndex}["${label(stack)}"]`);
      for (const e of stackEntries) {
        const details = [e.kind, e.runtime, e.env ? `env ${e.env}` : undefined, e.status,
          e.missing.length > 0 ? `missing: ${e.missing.join(', ')}` : undefined]
          .filter((x) => x !== undefined).join('<br/>');
        lines.push(`      r${resourceIndex}["${label(e.path)}<br/>${label(details)}"]:::${STATUS_CLASS[e.status]}`);
        resourceIndex++;
      }
      lines.push('    end');
      stackIndex++;
    }
    lines.push('  end');
    unitIndex++;
  }
  lines.push(
    '  classDef merged fill:#d8f5d8,stroke:#2e7d32',
    '  classDef traced fill:#dbeafe,stroke:#1d4ed8',
    '  classDef partial fill:#ffe8cc,stroke:#c2410c',
    '  classDef acknowledged fill:#eeeeee,stroke:#616161',
    '  classDef unknown fill:#fff4cc,stroke:#b08800',
    '  classDef broken fill:#fddede,stroke:#c62828',
    '  classDef left fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:4 3');
  return lines;
}

/** Mermaid labels are quoted: escape quotes and keep the generated <br/> intact. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item); else groups.set(k, [item]);
  }
  return groups;
}
