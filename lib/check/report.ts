import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { ISynthesisSession, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

export const REPORT_JSON = 'trace-merging-report.json';
export const REPORT_MARKDOWN = 'trace-merging-report.md';

/** One finding on a resource, as annotated. */
export interface ReportFinding {
  readonly rule: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
}

/** One traced resource in the report. */
export interface ReportEntry {
  /** The deployment unit: 'the app' for the app's own stacks, else the Stage's path. */
  readonly unit: string;
  readonly stack: string;
  readonly path: string;
  readonly kind: string;
  readonly runtime?: string;
  readonly architecture?: string;
  readonly mode?: string;
  readonly env?: string;
  /** What is in place for merged traces (compliant rules). */
  readonly wired: string[];
  /** What is missing or wrong (non-compliant rules), by rule name. */
  readonly missing: string[];
  /** What could not be checked at synth time, by rule name. */
  readonly unknown: string[];
  readonly findings: ReportFinding[];
}

const COLLECTOR_ID = 'TraceMergingReport';

/**
 * Collects report entries from every checker in an app and writes the report when the app
 * synthesizes (after all nested Stages, whose resources are checked during their own synthesis).
 * A construct at the root of the app, so its state lives and dies with the app.
 */
export class TraceMergingReport extends Construct {
  /** The app's report, created on first use; undefined when the root is not an App or Stage. */
  public static of(scope: IConstruct): TraceMergingReport | undefined {
    const root = scope.node.root;
    if (!Stage.isStage(root)) return undefined;
    const existing = root.node.tryFindChild(COLLECTOR_ID);
    return existing instanceof TraceMergingReport ? existing : new TraceMergingReport(root, COLLECTOR_ID);
  }

  private readonly entries = new Map<string, ReportEntry>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // aws-cdk-lib's hook for constructs that add files to the cloud assembly (what TreeMetadata does);
    // absent from some older 2.x releases, where the report is simply not written.
    const attach = (cdk as { attachCustomSynthesis?: typeof cdk.attachCustomSynthesis }).attachCustomSynthesis;
    attach?.(this, { onSynthesize: (session: ISynthesisSession) => this.write(session.outdir) });
  }

  /** Records (or replaces, when two checkers cover it) the entry of one resource. */
  public record(entry: ReportEntry): void {
    const previous = this.entries.get(entry.path);
    this.entries.set(entry.path, previous ? merged(previous, entry) : entry);
  }

  /** Adds a finding found after the resource was recorded (cross-resource rules). */
  public addFinding(resourcePath: string, finding: ReportFinding): void {
    const entry = this.entries.get(resourcePath);
    if (!entry) return;
    if (!entry.missing.includes(finding.rule)) entry.missing.push(finding.rule);
    if (!entry.findings.some((f) => f.rule === finding.rule && f.message === finding.message)) entry.findings.push(finding);
  }

  /** Entries sorted by unit and path, for stable output. */
  public sortedEntries(): ReportEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.unit + '\0' + a.path).localeCompare(b.unit + '\0' + b.path));
  }

  private write(outdir: string): void {
    const entries = this.sortedEntries();
    fs.writeFileSync(path.join(outdir, REPORT_JSON), JSON.stringify(reportJson(entries), undefined, 2) + '\n');
    fs.writeFileSync(path.join(outdir, REPORT_MARKDOWN), reportMarkdown(entries));
  }
}

function merged(a: ReportEntry, b: ReportEntry): ReportEntry {
  const union = (x: string[], y: string[]) => [...new Set([...x, ...y])];
  return {
    ...a,
    wired: union(a.wired, b.wired),
    missing: union(a.missing, b.missing),
    unknown: union(a.unknown, b.unknown),
    findings: [...a.findings, ...b.findings.filter((f) => !a.findings.some((g) => g.rule === f.rule && g.message === f.message))],
  };
}

/** The machine-readable report. */
export function reportJson(entries: ReportEntry[]): object {
  return {
    generatedBy: 'cdk-trace-merging',
    formatVersion: 1,
    summary: {
      resources: entries.length,
      complete: entries.filter((e) => e.missing.length === 0 && e.unknown.length === 0).length,
      withMissing: entries.filter((e) => e.missing.length > 0).length,
      withUnknown: entries.filter((e) => e.unknown.length > 0).length,
    },
    resources: entries,
  };
}

/** A Markdown table of every traced resource and a Mermaid diagram of units, stacks and resources. */
export function reportMarkdown(entries: ReportEntry[]): string {
  const lines = [
    '# Merged tracing report',
    '',
    `${entries.length} traced resources; ${entries.filter((e) => e.missing.length > 0).length} with something missing, ` +
    `${entries.filter((e) => e.unknown.length > 0).length} with something only known at deployment.`,
    '',
    '| Unit | Stack | Path | Kind | Runtime | Mode | Env | Wired | Missing |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...entries.map((e) => '| ' + [
      e.unit, e.stack, e.path, e.kind, runtimeText(e), e.mode ?? '-', e.env ?? '-',
      e.wired.join('<br>') || '-', [...e.missing, ...e.unknown.map((u) => `${u} (unknown)`)].join('<br>') || '-',
    ].map(cell).join(' | ') + ' |'),
    '',
    '```mermaid',
    ...mermaid(entries),
    '```',
    '',
  ];
  return lines.join('\n');
}

function runtimeText(e: ReportEntry): string {
  if (!e.runtime) return '-';
  return e.architecture ? `${e.runtime} (${e.architecture})` : e.runtime;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Units and stacks as subgraphs, resources as nodes, green when complete, red when something is missing. */
function mermaid(entries: ReportEntry[]): string[] {
  const lines = ['flowchart LR'];
  const units = groupBy(entries, (e) => e.unit);
  let unitIndex = 0;
  let resourceIndex = 0;
  for (const [unit, unitEntries] of units) {
    lines.push(`  subgraph unit${unitIndex}["${label(unit)}"]`);
    let stackIndex = 0;
    for (const [stack, stackEntries] of groupBy(unitEntries, (e) => e.stack)) {
      lines.push(`    subgraph unit${unitIndex}_stack${stackIndex}["${label(stack)}"]`);
      for (const e of stackEntries) {
        const status = e.missing.length > 0 ? 'missing' : e.unknown.length > 0 ? 'unknown' : 'ok';
        const details = [e.kind, e.runtime, e.env ? `env ${e.env}` : undefined, e.missing.length > 0 ? `missing: ${e.missing.join(', ')}` : undefined]
          .filter((x) => x !== undefined).join('<br/>');
        lines.push(`      r${resourceIndex}["${label(e.path)}<br/>${label(details)}"]:::${status}`);
        resourceIndex++;
      }
      lines.push('    end');
      stackIndex++;
    }
    lines.push('  end');
    unitIndex++;
  }
  lines.push(
    '  classDef ok fill:#d8f5d8,stroke:#2e7d32',
    '  classDef unknown fill:#fff4cc,stroke:#b08800',
    '  classDef missing fill:#fddede,stroke:#c62828');
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
