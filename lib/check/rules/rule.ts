/**
 * The shape every checker rule shares. A rule is a small pure function over the resolved
 * CloudFormation properties of one resource; turning results into annotations and the report
 * is the checker's job (lib/check/trace-merging-plugin.ts).
 */
import { TemplateNetwork } from './template-network';
import { shownValue } from '../../common/shown-value';
import { RuntimeRow } from '../../datadog/runtimes';
import { TracingMode } from '../../options';
import type { Properties } from '../properties';

export type RuleResult =
  /** The resource does what merged traces need; `wired` says what, for the report. */
  | { readonly outcome: 'compliant'; readonly wired: string }
  /** What is wrong and how to fix it, one sentence each. */
  | { readonly outcome: 'non-compliant'; readonly problem: string; readonly fix: string }
  | { readonly outcome: 'not-applicable' }
  /** A value the rule needs is only known at deployment (an unresolved token); never a silent pass. */
  | { readonly outcome: 'unknown'; readonly what: string };

export const compliant = (wired: string): RuleResult => ({ outcome: 'compliant', wired });
export const nonCompliant = (problem: string, fix: string): RuleResult => ({ outcome: 'non-compliant', problem, fix });
export const notApplicable: RuleResult = { outcome: 'not-applicable' };
export const unknown = (what: string): RuleResult => ({ outcome: 'unknown', what });

/** Errors fail `cdk synth` (unless downgraded); warnings are acknowledgeable. */
export type Severity = 'error' | 'warning';

/** A rule over one kind of resource. */
export interface Rule<T> {
  /** Stable name; the annotation id is `cdk-trace-merging:<name>`. */
  readonly name: string;
  /** Severity of a non-compliant result before any downgrade. */
  readonly severity: Severity;
  /** An `unknown` result shows in the report only, not as a warning (for what no user can make known). */
  readonly unknownInReportOnly?: boolean;
  /**
   * The instrumenting warning that already says this once for the whole stack (NoApiKey for FunctionApiKey): where
   * the resource's stack carries it, the finding is in the report only (not a warning per resource), and it is
   * acknowledged when that warning was.
   */
  readonly toldOnStackBy?: string;
  readonly check: (resource: T) => RuleResult;
}

/** (Kept here too: every rule takes its resource's properties.) */
export type { Properties };

/** A Lambda function as the function rules see it, derived once from its resolved properties. */
export interface FunctionFacts {
  readonly props: Properties;
  /** Environment variables (values may be intrinsics). */
  readonly env: Readonly<Record<string, unknown>>;
  /** Runtime name, or undefined when it is an unresolved token or the function is an image. */
  readonly runtime?: string;
  /** True when the Runtime property is present but not a literal. */
  readonly runtimeUnknown: boolean;
  /** The runtime's row, when the runtime is known and Datadog publishes layers for it. */
  readonly row?: RuntimeRow;
  readonly isImage: boolean;
  readonly arm64: boolean;
  /** The mode the function must follow; undefined when its DD_TRACE_ENABLED is a token and no mode is expected. */
  readonly mode?: TracingMode;
  /** The env the checker was told to expect. */
  readonly expectedEnv?: string;
  /** Where the env values were set, so a fix names the place the user wrote them. */
  readonly envOrigins?: EnvOrigins;
  /** Where the function's layers must come from. */
  readonly layerContext: LayerContext;
  /** The network its template defines (subnets, routes, endpoints); undefined when the rule input has none. */
  readonly network?: TemplateNetwork;
}

/** Where the env values of a finding were given, in the words of its fix. */
export interface EnvOrigins {
  /** Where the expected env was given: "the options given at the app", "the check options". */
  readonly expectedIn?: string;
  /** The options that instrument the resource: their env, and where they were given. */
  readonly instrumentedBy?: { readonly env: string; readonly where: string };
}

/** What a layer ARN is compared against: the stack's region and our account mapping. */
export interface LayerContext {
  /** The stack's concrete region, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** Names of the stack's mappings that hold Datadog's layer account per partition or layer versions per region. */
  readonly datadogMappings: ReadonlySet<string>;
}

/** A literal string value, or undefined for an absent or unresolved one. */
export function literal(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** True for a value CloudFormation only knows at deployment (Ref, Fn::*, ...). */
export function isIntrinsic(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as messages show it (the instrumenting side's messages use the same words). */
export const shown = shownValue;
