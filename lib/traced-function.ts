import { AspectPriority, Aspects } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { TraceMergingCheckOptions } from './check/check-options';
import { MergedTracingChecker } from './check/merged-tracing-checker';
import { failAt, reportingRefusals } from './common/errors';
import { registerInstrumentingScope } from './common/instrumenting-scopes';
import { resolveTracingConfig } from './config';
import { instrumentFunction } from './instrument/lambda/instrument-function';
import { markSelfInstrumenting } from './instrument/lambda/self-instrumenting';
import { MergedTracingStack } from './merged-tracing-stack';
import { MergedTracingOptions } from './options';

/** Props of a DatadogTracedFunction: a lambda.Function's, plus how to trace it. */
export interface DatadogTracedFunctionProps extends lambda.FunctionProps {
  /**
   * How this function is traced. These options win over any applied to an enclosing scope.
   * (Named `mergedTracing` because `tracing` is lambda.FunctionProps' X-Ray mode, which this sets to ACTIVE.)
   * @default - the options of the enclosing MergedTracingStack; an error when there is none
   */
  readonly mergedTracing?: MergedTracingOptions;

  /**
   * How the function is checked after synthesis where nothing else checks it (a MergedTracingStack or
   * `TraceMerging.applyTo` around it checks it with their options instead); `{ enabled: false }` turns that check off.
   * @default - every rule, with the env and mode of its merged-tracing options
   */
  readonly checks?: TraceMergingCheckOptions;
}

/**
 * A Lambda function that produces merged X-Ray + Datadog traces: active tracing, the Datadog library
 * and extension layers for its runtime and architecture, the handler redirect and the Datadog variables.
 * Instrumenting happens at synthesis, so variables added after construction are seen.
 */
export class DatadogTracedFunction extends lambda.Function {
  /** The options this function is traced with. */
  public readonly mergedTracing: MergedTracingOptions;

  constructor(scope: Construct, id: string, props: DatadogTracedFunctionProps) {
    super(scope, id, props);
    const options = props.mergedTracing ?? MergedTracingStack.enclosing(this)?.tracing;
    if (!options) {
      failAt(this, 'has no merged-tracing options.',
        'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
    }
    this.mergedTracing = options;
    const config = resolveTracingConfig(options, this.node.path);
    markSelfInstrumenting(this);
    // Its own options are the nearest: the checker expects their env here, not the enclosing stack's.
    registerInstrumentingScope(this, { env: config.env, where: `the mergedTracing options of DatadogTracedFunction '${this.node.path}'`, exclusionOf: () => undefined });
    // Checked even in a plain Stack: by its own check, unless a stack's or an app's covers it.
    const checks = props.checks ?? {};
    MergedTracingChecker.asFallback(this, {
      ...checks,
      disabledRules: [...(checks.disabledRules ?? []), ...(options.allowPlaintextApiKey ? ['PlaintextApiKey'] : [])],
    });
    Aspects.of(this).add({
      visit: (node: IConstruct) => {
        if (node === this) reportingRefusals(this, () => instrumentFunction(this, config));
      },
    }, { priority: AspectPriority.MUTATING });
  }
}
