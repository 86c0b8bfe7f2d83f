import { compliant, FunctionFacts, isIntrinsic, nonCompliant, Rule, shown, unknown } from './rule';

/** X-Ray active tracing: without it the function starts no X-Ray segment and the merged trace breaks here. */
export const FunctionActiveTracing: Rule<FunctionFacts> = {
  name: 'FunctionActiveTracing',
  severity: 'error',
  check: (fn) => {
    const mode = (fn.props.TracingConfig as { Mode?: unknown } | undefined)?.Mode;
    if (mode === 'Active') return compliant('X-Ray active tracing');
    if (isIntrinsic(mode)) return unknown('its X-Ray tracing mode (TracingConfig.Mode)');
    return nonCompliant(
      `has X-Ray tracing ${mode === undefined ? 'off' : `set to ${shown(mode)}`}, so the merged trace breaks at this function.`,
      'Set tracing: lambda.Tracing.ACTIVE (the L2 also grants xray:PutTraceSegments), or apply TraceMerging to it.');
  },
};
