/** What the report says of one checked resource: its findings and its status (the shapes; report.ts writes them). */

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
