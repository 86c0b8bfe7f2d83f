import { AspectPriority, Aspects } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
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
    registerInstrumentingScope(this, { env: config.env, exclusionOf: () => undefined });
    Aspects.of(this).add({
      visit: (node: IConstruct) => {
        if (node === this) reportingRefusals(this, () => instrumentFunction(this, config));
      },
    }, { priority: AspectPriority.MUTATING });
  }
}
