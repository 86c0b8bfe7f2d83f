import { TracingMode } from '../options';

/**
 * How TraceMerging checks a scope after synthesis. All optional: by default every rule runs and infers what it can,
 * and the report is written.
 */
export interface TraceMergingCheckOptions {
  /**
   * Whether to check at all. `false` instruments without checking: nothing fails synthesis for merged tracing, and
   * the report lists the scope's resources as `excluded`, "not checked" (so it never shows them as merged).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The Datadog env every traced resource must carry (DD_ENV on functions, the `env` tag elsewhere).
   * @default - not compared with a fixed value; the resources of one deployment unit must still agree
   */
  readonly env?: string;

  /**
   * The tracing mode every function must follow.
   * @default - inferred per function: DD_TRACE_ENABLED=false means HYBRID, anything else SERVERLESS
   */
  readonly mode?: TracingMode;

  /**
   * Rules whose errors become warnings: listed in CDK's validation report without failing synthesis, and
   * acknowledgeable (`Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:<RuleName>', reason })`).
   * Names as in the finding id, with or without the `cdk-trace-merging:` prefix.
   * @default - none: a non-compliant resource fails synthesis for every rule except HttpApiNoXRay
   */
  readonly downgradeToWarning?: string[];

  /**
   * Rules that do not run at all.
   * @default - none
   */
  readonly disabledRules?: string[];

  /**
   * Construct paths not checked, with everything below them.
   * @default - none
   */
  readonly excludeConstructPaths?: string[];

  /**
   * Whether synthesis writes trace-merging-report.json and trace-merging-report.md into the app's output directory.
   * @default true
   */
  readonly writeReport?: boolean;
}
