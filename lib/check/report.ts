import * as fs from 'fs';
import * as path from 'path';
import { mapMarkdown, TraceMapReport } from './map/map-markdown';
import { markdownCell } from './markdown-cell';
import { REPORT_STATUSES, ReportEntry } from './report-entry';

export type { CheckFinding, ReportEntry, ReportFinding, ReportStatus } from './report-entry';

export const REPORT_JSON = 'trace-merging-report.json';
export const REPORT_MARKDOWN = 'trace-merging-report.md';

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
  const lines = [
    '# Merged tracing report',
    '',
    reportSummary(entries),
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

/** The report's summary line: "1 resource: 1 merged." / "3 resources: 2 merged, 1 excluded." */
export function reportSummary(entries: readonly ReportEntry[]): string {
  const counts = REPORT_STATUSES.map((s) => [s, entries.filter((e) => e.status === s).length] as const).filter(([, n]) => n > 0);
  const total = entries.length;
  return `${total} ${total === 1 ? 'resource' : 'resources'}` + (counts.length > 0 ? `: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.` : '.');
}

function runtimeText(e: ReportEntry): string {
  if (!e.runtime) return '-';
  return e.architecture ? `${e.runtime} (${e.architecture})` : e.runtime;
}

