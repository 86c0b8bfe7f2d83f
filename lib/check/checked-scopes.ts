import { IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TraceMergingCheckOptions } from './check-options';
import { TemplateMapPart } from './map/trace-map';
import { ReportEntry, removeReport } from './report';
import { XRayPolicyPlacement } from './rules/XRayResourcePolicyQuota';
import { HiddenProperty } from '../common/hidden-property';

/** A checker's options, resolved once: what it expects, which rules run, what it skips. */
export interface CheckSettings {
  readonly options: TraceMergingCheckOptions;
  /** Where `options.env` was given, as a fix names it: "the options given at the app", "the check options". */
  readonly envGivenIn: string;
  /** Rules whose errors are reported as warnings. */
  readonly downgraded: ReadonlySet<string>;
  readonly disabled: ReadonlySet<string>;
  /** The checker's own exclusion that leaves the construct out, in its options' words; undefined when checked. */
  readonly exclusionOf: (path: string, construct: IConstruct) => string | undefined;
}

/** One scope a checker covers. */
export interface CheckedScope {
  readonly path: string;
  readonly settings: CheckSettings;
  /** Checks its resources only where no other (non-fallback) scope covers them. */
  readonly fallback: boolean;
}

/**
 * The scopes checked in one app, and the report being built for it. Kept on the app's root
 * construct, so it lives and dies with the app and is shared by every checker in it. One
 * policy-validation plugin per app reads them (see TraceMergingPlugin); a resource covered by
 * several checkers is checked once, by the nearest one (the deepest scope), the precedence the
 * library follows for tracing options as well.
 */
export class CheckedScopes {
  /**
   * The app's checked scopes, created on first use together with the plugin that reads them.
   * Undefined when `scope` is not in an App or Stage: CDK runs validation plugins for apps only.
   */
  public static of(scope: IConstruct, createPlugin: (scopes: CheckedScopes) => IPolicyValidationPlugin): CheckedScopes | undefined {
    const root = scope.node.root;
    if (!Stage.isStage(root)) return undefined;
    let existing = CHECKED_SCOPES.get(root);
    if (!existing) {
      existing = new CheckedScopes(root);
      CHECKED_SCOPES.set(root, existing);
      Validations.of(root).addPlugins(createPlugin(existing));
      // Validation plugins must not change files that exist when they run (aws-cdk-lib 2.262 refuses
      // it), so the report of an earlier synthesis into the same directory goes before synthesis starts.
      root.node.addValidation({ validate: () => { removeReport(root.outdir); return []; } });
    }
    return existing;
  }

  /** Report entries by stack template path, replaced each time the plugin sees that template. */
  public readonly reportEntries = new Map<string, ReportEntry[]>();
  /** Whether the console was told where the report is (once per app, however often CDK calls the plugin). */
  public reportAnnounced = false;
  /** Every X-Ray resource policy of the app by stack template path, checked or not (XRayResourcePolicyQuota). */
  public readonly xrayPolicies = new Map<string, XRayPolicyPlacement[]>();
  /** What each checked stack's templates say for the trace map (hops, and the resources they join), by stack template path. */
  public readonly mapParts = new Map<string, TemplateMapPart>();
  private readonly scopes: CheckedScope[] = [];

  private constructor(public readonly root: Stage) {}

  public add(scope: IConstruct, settings: CheckSettings, fallback = false): void {
    this.scopes.push({ path: scope.node.path, settings, fallback });
  }

  /** The nearest checker covering the construct at `path`, if any; a fallback one only when no other covers it. */
  public nearest(path: string): CheckedScope | undefined {
    let best: CheckedScope | undefined;
    for (const scope of this.scopes) {
      if (!isWithin(path, scope.path)) continue;
      const better = !best || (best.fallback && !scope.fallback) || (best.fallback === scope.fallback && scope.path.length > best.path.length);
      if (better) best = scope;
    }
    return best;
  }

  /** Whether any checked scope has resources in the stack at `stackPath`. */
  public touches(stackPath: string): boolean {
    return this.scopes.some((s) => isWithin(stackPath, s.path) || isWithin(s.path, stackPath));
  }

  /**
   * Whether any checker's settings say so (an app-wide rule follows what any checker of the app asks); a fallback
   * check (one function's or host's own) speaks for the app only where no other check covers any of it.
   */
  public anySettings(predicate: (settings: CheckSettings) => boolean): boolean {
    const deciding = this.scopes.some((s) => !s.fallback) ? this.scopes.filter((s) => !s.fallback) : this.scopes;
    return deciding.some((s) => predicate(s.settings));
  }

  /** Whether any checker writes the report. */
  public get writesReport(): boolean {
    return this.scopes.some((s) => s.settings.options.writeReport !== false);
  }
}

const CHECKED_SCOPES = new HiddenProperty<CheckedScopes>('CheckedScopes');

/** True when `path` is `scopePath` or below it ('' is the app root). */
function isWithin(path: string, scopePath: string): boolean {
  return scopePath === '' || path === scopePath || path.startsWith(scopePath + '/');
}
