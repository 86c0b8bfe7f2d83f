import * as fs from 'fs';
import * as path from 'path';
import { mapMarkdown, TraceMapReport } from './map/map-markdown';
import { markdownCell } from './markdown-cell';

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
export function writeReport(outdir: string, entries: ReportEntry[], map: TraceMapReport): void {
  const sorted = sortedEntries(entries);
  fs.writeFileSync(path.join(outdir, REPORT_JSON), JSON.stringify(reportJson(sorted, map), undefined, 2) + '\n');
  fs.writeFileSync(path.join(outdir, REPORT_MARKDOWN), reportMarkdown(sorted, map));
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

/** The machine-readable report: the resources, and the map's hops, paths and the resources only the map draws. */
export function reportJson(entries: ReportEntry[], map: TraceMapReport): object {
  const byStatus: Record<string, number> = {};
  for (const status of REPORT_STATUSES) {
    const count = entries.filter((e) => e.status === status).length;
    if (count > 0) byStatus[status] = count;
  }
  return {
    generatedBy: 'cdk-trace-merging',
    formatVersion: 3,
    summary: {
      resources: entries.length,
      byStatus,
      withMissing: entries.filter((e) => e.missing.length > 0).length,
      withUnknown: entries.filter((e) => e.unknown.length > 0).length,
      withAcknowledged: entries.filter((e) => e.acknowledged.length > 0).length,
    },
    resources: entries,
    edges: map.edges.map(({ from, to, via, trace, carriedBy, reason, byOrigin }) => ({
      from, to, via, trace, ...(carriedBy ? { carriedBy } : {}), ...(reason !== undefined ? { reason } : {}), ...(byOrigin ? { byOrigin } : {}),
    })),
    unreadHops: map.unread,
    paths: map.paths.paths,
    pathsOmitted: map.paths.omitted,
    otherResources: map.others.map(({ id, kind, unit, stack }) => ({ path: id, kind, ...(unit ? { unit } : {}), ...(stack ? { stack } : {}) })),
  };
}

/** A Markdown table of every checked resource, then the trace map: its paths, its hops and a Mermaid picture. */
export function reportMarkdown(entries: ReportEntry[], map: TraceMapReport): string {
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
    ].map(markdownCell).join(' | ') + ' |'),
    '',
    ...mapMarkdown(entries, map),
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

