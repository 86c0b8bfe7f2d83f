import { IConstruct } from 'constructs';

const SELF_INSTRUMENTING = Symbol.for('cdk-trace-merging.SelfInstrumenting');

/**
 * Marks a function that instruments itself with its own options (DatadogTracedFunction), so
 * scope-wide aspects leave it alone and its per-function options win.
 */
export function markSelfInstrumenting(fn: IConstruct): void {
  Object.defineProperty(fn, SELF_INSTRUMENTING, { value: true, enumerable: false });
}

export function isSelfInstrumenting(fn: IConstruct): boolean {
  return (fn as unknown as Record<symbol, unknown>)[SELF_INSTRUMENTING] === true;
}
