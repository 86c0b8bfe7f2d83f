import { IConstruct } from 'constructs';
import { HiddenProperty } from '../../common/hidden-property';

const SELF_INSTRUMENTING = new HiddenProperty<boolean>('SelfInstrumenting');

/**
 * Marks a function that instruments itself with its own options (DatadogTracedFunction), so
 * scope-wide aspects leave it alone and its per-function options win.
 */
export function markSelfInstrumenting(fn: IConstruct): void {
  SELF_INSTRUMENTING.set(fn, true);
}

export function isSelfInstrumenting(fn: IConstruct): boolean {
  return SELF_INSTRUMENTING.get(fn) === true;
}
