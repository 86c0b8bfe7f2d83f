import { DrawnResource, mapLegend, mapMermaid } from './map-mermaid';
import { TraceEdge } from './map-model';
import { MAX_PATHS, TracePath, TracePaths } from './trace-paths';
import { markdownCell } from '../markdown-cell';
import type { ReportEntry } from '../report-entry';

/** The trace map as the report writes it. */
export interface TraceMapReport {
  readonly edges: readonly TraceEdge[];
  readonly paths: TracePaths;
  /** Resources on the map the report does not list: queues, rules, streams, resources outside the app. */
  readonly others: readonly DrawnResource[];
  /** Kinds of hop the templates have that the map does not read. */
  readonly unread: readonly string[];
}

/** The map's part of the Markdown report: the paths with their first break, every hop, and the picture. */
export function mapMarkdown(entries: readonly ReportEntry[], map: TraceMapReport): string[] {
  const resources: DrawnResource[] = [
    ...entries.map((e) => ({ id: e.path, kind: e.kind, unit: e.unit, stack: e.stack, entry: e })),
    ...map.others,
  ];
  const omitted = map.paths.omitted > 0
    ? [`${map.paths.countStopped ? 'More than ' : ''}${map.paths.omitted} more paths are not listed (the first ${MAX_PATHS} are).`, '']
    : [];
  return [
    '## Trace paths',
    '',
    map.paths.paths.length === 0
      ? `No hops between resources ${map.unread.length > 0 ? 'that the map reads ' : ''}were found in the templates.`
      : 'Each way a request can take through the app, from where it enters, and whether it stays one merged trace.',
    '',
    ...(map.unread.length === 0 ? [] : [`The templates also have hops the map does not read, so they are not drawn: ${map.unread.join('; ')}.`, '']),
    ...(map.paths.paths.length === 0 ? [] : [
      '| Path | Trace |',
      '| --- | --- |',
      ...map.paths.paths.map((p) => `| ${markdownCell(p.through.join(' → '))} | ${markdownCell(pathVerdict(p))} |`),
      '',
      ...omitted,
      '## Hops',
      '',
      '| From | To | Via | Trace | Carried by | Why |',
      '| --- | --- | --- | --- | --- | --- |',
      ...map.edges.map((e) => '| ' + [e.from, e.to, e.via, e.trace, e.carriedBy?.join(', ') ?? '-', edgeWhy(e)].map(markdownCell).join(' | ') + ' |'),
      '',
    ]),
    '## Map',
    '',
    '```mermaid',
    ...mapMermaid(resources, map.edges),
    '```',
    '',
    ...mapLegend().flatMap((line) => [line, '']),
  ];
}

/** Why a hop's trace does not simply continue; for a hop producers fare differently across, each one's verdict. */
function edgeWhy(e: TraceEdge): string {
  if (!e.byOrigin) return e.reason ?? '-';
  return e.byOrigin.map((o) => `from ${o.origin}: ${o.trace}${o.carriedBy ? ` (${o.carriedBy.join(', ')})` : ''}${o.reason ? ` (${o.reason})` : ''}`).join('; ');
}

/** "one trace", "linked at X: Y", "breaks at X because Y", "unknown at X: Y". */
function pathVerdict(path: TracePath): string {
  switch (path.trace) {
    case 'continues': return 'one trace';
    case 'linked': return `a new trace at ${path.at}, linked to the one before: ${path.because}`;
    case 'breaks': return `breaks at ${path.at} because ${path.because}`;
    case 'unknown': return `not known at ${path.at}: ${path.because}`;
  }
}
