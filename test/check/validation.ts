import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { REPORT_JSON, ReportEntry } from '../../lib/check/report';

/** A violation as CDK writes it in validation-report.json (the fields the tests read). */
export interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ readonly constructPath: string }>;
}

/**
 * Synthesizes the app of `scope` as `cdk synth` would, and returns our plugin's violations from the
 * validation report CDK writes into the cloud assembly (written before CDK fails synthesis on errors).
 */
export function violations(scope: IConstruct): Violation[] {
  const app = scope.node.root as App;
  try {
    app.synth();
  } catch (e) {
    if (!String((e as Error).message).includes('validation-report.json')) throw e;
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8')) as {
    pluginReports: Array<{ pluginName: string; violations: Violation[] }>;
  };
  return report.pluginReports.find((p) => p.pluginName === 'cdk-trace-merging')?.violations ?? [];
}

/** Every finding of ours at `level` on `scope` or below, as '/<construct path> <Rule>' strings, sorted. */
export function findings(scope: IConstruct, level: 'error' | 'warning'): string[] {
  const base = scope.node.path;
  const within = (p: string) => base === '' || p === base || p.startsWith(base + '/');
  return violations(scope).filter((v) => v.severity === level)
    .flatMap((v) => v.violatingConstructs.filter((c) => within(c.constructPath))
      .map((c) => `/${c.constructPath} ${v.ruleName.replace('cdk-trace-merging:', '')}`)).sort();
}

/** The violation of `rule` at `constructPath` (no leading slash), or undefined. */
export function violationAt(scope: IConstruct, constructPath: string, rule: string): Violation | undefined {
  return violations(scope).find((v) => v.ruleName === `cdk-trace-merging:${rule}`
    && v.violatingConstructs.some((c) => c.constructPath === constructPath));
}

/** The trace-merging report's entries, after synthesizing the app of `scope` (validation errors tolerated). */
export function reportEntries(scope: IConstruct): ReportEntry[] {
  const app = scope.node.root as App;
  violations(scope);
  return (JSON.parse(fs.readFileSync(path.join(app.outdir, REPORT_JSON), 'utf-8')) as { resources: ReportEntry[] }).resources;
}

/** The trace map of the report (edges, paths, resources only the map draws), after synthesizing the app of `scope`. */
export interface ReportedMap {
  readonly edges: Array<{
    from: string;
    to: string;
    via: string;
    trace: string;
    carriedBy?: string[];
    reason?: string;
    byOrigin?: Array<{ origin: string; trace: string; carriedBy?: string[]; reason?: string }>;
  }>;
  readonly paths: Array<{ through: string[]; trace: string; at?: string; because?: string }>;
  readonly pathsOmitted: number;
  readonly otherResources: Array<{ path: string; kind: string; unit?: string; stack?: string }>;
  readonly unreadHops: string[];
}

export function reportedMap(scope: IConstruct): ReportedMap {
  const app = scope.node.root as App;
  violations(scope);
  return JSON.parse(fs.readFileSync(path.join(app.outdir, REPORT_JSON), 'utf-8')) as ReportedMap;
}
