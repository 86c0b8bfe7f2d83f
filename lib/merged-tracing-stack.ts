import { AspectPriority, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { TraceMergingCheckOptions } from './check/check-options';
import { MergedTracingChecker } from './check/merged-tracing-checker';
import { MergedTracing } from './instrument/merged-tracing';
import { MergedTracingOptions } from './options';

/** Props of a MergedTracingStack. */
export interface MergedTracingStackProps extends StackProps {
  /** How every function, REST API stage, state machine, GraphQL API and SNS topic in this stack is traced. */
  readonly tracing: MergedTracingOptions;

  /**
   * How the stack checks itself after synthesis (its env and mode come from `tracing`); `{ enabled: false }` turns the
   * check off, and the report then lists the stack's resources as not checked.
   * @default - every rule, with the env and mode of `tracing`
   */
  readonly checks?: TraceMergingCheckOptions;
}

/**
 * A Stack whose every Lambda function, REST API stage, state machine, AppSync GraphQL API and SNS topic
 * produces merged X-Ray + Datadog traces, including those added by constructs you did not write.
 */
export class MergedTracingStack extends Stack {
  /** The nearest MergedTracingStack enclosing `scope` (through nested stacks), if any. */
  public static enclosing(scope: IConstruct): MergedTracingStack | undefined {
    for (let current: IConstruct | undefined = scope; current; current = current.node.scope) {
      if (current instanceof MergedTracingStack) return current;
    }
    return undefined;
  }

  /** The options this stack traces with; DatadogTracedFunctions inside inherit them. */
  public readonly tracing: MergedTracingOptions;

  constructor(scope: Construct, id: string, props: MergedTracingStackProps) {
    super(scope, id, props);
    this.tracing = props.tracing;
    Aspects.of(this).add(new MergedTracing(props.tracing, this.node.path), { priority: AspectPriority.MUTATING });
    // Then check what the stack deploys (after synthesis, as a validation plugin); what the options exclude is
    // reported as excluded, and the options' env is the one expected (the checker reads both from the aspect's
    // scope, see lib/common/instrumenting-scopes.ts). A plaintext key the user opted in to is no finding.
    const checks = props.checks ?? {};
    new MergedTracingChecker({
      ...checks,
      disabledRules: [...(checks.disabledRules ?? []), ...(props.tracing.allowPlaintextApiKey ? ['PlaintextApiKey'] : [])],
    })._cover(this);
  }
}
