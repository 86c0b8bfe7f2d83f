import { IConstruct } from 'constructs';
import { MergedTracingCheckerOptions } from './check/checker-options';
import { MergedTracingChecker } from './check/merged-tracing-checker';
import { MergedTracing } from './instrument/merged-tracing';
import { MergedTracingOptions } from './options';

/**
 * Instruments and checks an existing app (or any scope) in one call, with one set of options: what a
 * MergedTracingStack does for its stack. The checker expects the options' env and mode, leaves a plaintext key the
 * options allow alone, and lists what the options exclude as `excluded` in the report instead of checking it.
 */
export class TraceMerging {
  /**
   * `MergedTracing.applyTo(scope, options)` and `MergedTracingChecker.applyTo(scope, ...)` with the same options.
   * Call it after the Stages are created (it reaches nested Stages, which aspects do not cross).
   * @param scope the app, a Stage or a stack
   * @param options how to trace
   * @param checker what else the checker should do (its env and mode come from `options`)
   */
  public static applyTo(scope: IConstruct, options: MergedTracingOptions, checker: MergedTracingCheckerOptions = {}): void {
    MergedTracing.applyTo(scope, options);
    MergedTracingChecker.applyTo(scope, {
      ...checker,
      env: options.env,
      mode: options.mode,
      disabledRules: [...(checker.disabledRules ?? []), ...(options.allowPlaintextApiKey ? ['PlaintextApiKey'] : [])],
    });
  }

  private constructor() {}
}
