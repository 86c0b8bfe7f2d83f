import { Stage } from 'aws-cdk-lib';
import { CheckSettings } from './checked-scopes';
import { mapNode } from './map/map-nodes';
import { MapNode } from './map/trace-map';
import { unitName, reportedStackName } from './placement';
import { CheckFinding, ReportEntry, ReportStatus } from './report';
import { ResourceNature, statusOf } from './report-status';
import { KIND_BY_TYPE, LeftAlone, ResourceKind } from './resource-kinds';
import { literal } from './rules/rule';
import { reportedPath, SynthesizedResource } from './synthesized-resources';
import { IMMUTABLE_ROLE } from '../common/findings';

/** A checked resource on its way to the report: findings found so far, and what decides its status. */
export interface Checked {
  readonly resource: SynthesizedResource;
  readonly settings: CheckSettings;
  readonly unit: string;
  readonly stage?: Stage;
  readonly nature: ResourceNature;
  readonly env?: string;
  /** Where its env was set, as a fix names it: the options that instrument it, else the resource itself. */
  readonly envSetIn?: string;
  /** The env the resource must carry: the checker's option, else the options of the scope that instruments it. */
  readonly expectedEnv?: string;
  /** Set for a resource left alone: its status, whatever its findings. */
  readonly leftAlone?: LeftAlone;
  readonly templatePath: string;
  readonly entry: Omit<ReportEntry, 'status' | 'findings'> & { readonly findings: CheckFinding[] };
}

/** What the rules made of one resource (nothing for one left alone). */
export interface RuleResults {
  readonly findings: CheckFinding[];
  readonly wired?: string[];
  readonly missing?: string[];
  readonly unknown?: string[];
  readonly expectedEnv?: string;
  readonly leftAlone?: LeftAlone;
  /** The options that instrument the resource, if any: their env and where they were given. */
  readonly instrumentedBy?: { readonly env: string; readonly where: string };
}

/** The resource on its way to the report, with what its rules found. */
export function checkedResource<T>(resource: SynthesizedResource, settings: CheckSettings, kind: ResourceKind<T>, input: T,
  templatePath: string, result: RuleResults): Checked {
  const stage = Stage.of(resource.stack);
  // A resource left alone carries no env for EnvMismatch to compare: it is not part of the merged traces.
  const env = result.leftAlone ? undefined : literal(kind.env(input));
  return {
    resource,
    settings,
    unit: unitName(stage),
    stage,
    nature: kind.nature(input),
    env,
    envSetIn: env === undefined ? undefined : result.instrumentedBy?.env === env ? result.instrumentedBy.where : kind.envCarriedIn,
    expectedEnv: result.expectedEnv,
    leftAlone: result.leftAlone,
    templatePath,
    entry: {
      unit: unitName(stage),
      stack: reportedStackName(resource.stack),
      path: reportedPath(resource),
      kind: kind.kind,
      ...withoutModeWhenLeftAlone(kind.details?.(input), result.leftAlone),
      env: literal(kind.env(input)),
      ...(result.leftAlone ? { exclusion: result.leftAlone.reason } : {}),
      wired: result.wired ?? [],
      missing: result.missing ?? [],
      unknown: result.unknown ?? [],
      acknowledged: result.findings.filter((f) => f.acknowledged).map((f) => f.rule),
      findings: result.findings,
    },
  };
}

/** A checked resource's report status (a resource left alone keeps the status it was left with). */
export function statusOfChecked(c: Checked): ReportStatus {
  const missingGrants = c.entry.findings.filter((f) => f.rule === IMMUTABLE_ROLE && !f.acknowledged).map((f) => f.rule);
  return c.leftAlone?.status
    ?? statusOf({ nature: c.nature, missing: c.entry.missing, unknown: c.entry.unknown, acknowledged: c.entry.acknowledged, missingGrants });
}

/** A resource as the trace map draws it: with its report standing when the checker checked it. */
export function mapNodeOf(resource: SynthesizedResource, checked: Checked | undefined, statuses: ReadonlyMap<Checked, ReportStatus>): MapNode {
  const place = { unit: unitName(Stage.of(resource.stack)), stack: reportedStackName(resource.stack) };
  return mapNode(resource, KIND_BY_TYPE.get(resource.type), place, checked && {
    status: statuses.get(checked)!,
    runtime: checked.entry.runtime,
    missing: checked.entry.missing,
    unknown: checked.entry.unknown,
    acknowledged: checked.entry.acknowledged,
    exclusion: checked.entry.exclusion,
  });
}

/** A resource left alone was given no mode: its report entry shows none. */
function withoutModeWhenLeftAlone<T extends { mode?: unknown }>(details: T | undefined, leftAlone: LeftAlone | undefined): Omit<T, 'mode'> | T | undefined {
  if (!details || !leftAlone) return details;
  const { mode: _mode, ...rest } = details;
  return rest;
}
