import { IConstruct } from 'constructs';
import { TraceMergingCheckOptions } from './check/check-options';
import { MergedTracingChecker } from './check/merged-tracing-checker';
import { RULE_NAMES } from './check/rules/index';
import { MergedTracing } from './instrument/merged-tracing';
import { MergedTracingOptions } from './options';

/**
 * The one way into an existing app (or any scope): `TraceMerging.applyTo` instruments every Lambda function, REST API
 * stage, state machine, AppSync GraphQL API and SNS topic for merged X-Ray + Datadog traces and checks the result after
 * synthesis, writing the report (cdk.out/trace-merging-report.md) with its trace map. `TraceMerging.check` checks an
 * app instrumented by other means. For new stacks, MergedTracingStack and DatadogTracedFunction do the same.
 */
export class TraceMerging {
  /**
   * Instruments and checks `scope` and everything below it, nested Stages included, with one set of options: the
   * check expects the options' env and mode, leaves a plaintext key the options allow alone, and lists what they
   * exclude as `excluded`. Call it after the Stages are created (at the end of the app).
   * @param scope the app, a Stage or a stack
   * @param options how to trace
   * @param checks how to check (its env and mode come from `options`); `{ enabled: false }` turns the check off
   */
  public static applyTo(scope: IConstruct, options: MergedTracingOptions, checks: TraceMergingCheckOptions = {}): void {
    MergedTracing.applyTo(scope, options);
    MergedTracingChecker.applyTo(scope, {
      ...checks,
      env: options.env,
      mode: options.mode,
      disabledRules: [...(checks.disabledRules ?? []), ...(options.allowPlaintextApiKey ? ['PlaintextApiKey'] : [])],
    }, `the options given at ${scope.node.path || 'the app'}`);
  }

  /**
   * Checks `scope` without changing anything: for an app instrumented by other means (datadog-cdk-constructs, hand
   * wiring). Errors fail synthesis; the report is written as for `applyTo`.
   * @param scope the app, a Stage or a stack; it must be in an App (CDK runs validation plugins when an App synthesizes)
   * @param checks what to expect and how to report
   */
  public static check(scope: IConstruct, checks: TraceMergingCheckOptions = {}): void {
    MergedTracingChecker.applyTo(scope, checks);
  }

  /** The names of every check rule, as used in finding ids and in `downgradeToWarning` / `disabledRules`. */
  public static ruleNames(): string[] {
    return [...RULE_NAMES];
  }

  private constructor() {}
}
