import { IConstruct } from 'constructs';
import { HiddenProperty } from '../../common/hidden-property';

const SIGNATURE = new HiddenProperty<string>('instrumentation-signature');
const WHERE = new HiddenProperty<string>('instrumentation-where');

/**
 * Records on a function that it was instrumented, and with which options, so that a second
 * pass with the same options adds nothing and one with other options is caught.
 * A hidden property rather than a child construct: 1,000 functions would otherwise add 1,000
 * constructs for synthesis to walk and write (issue 5).
 */
export const InstrumentationMarker = {
  /** The options signature a construct was instrumented with, or undefined. */
  signatureOf(scope: IConstruct): string | undefined {
    return SIGNATURE.get(scope);
  },

  /** Where the options it was instrumented with were given, or undefined. */
  whereOf(scope: IConstruct): string | undefined {
    return WHERE.get(scope);
  },

  /** Marks a construct as instrumented with these options, given at `where`. */
  mark(scope: IConstruct, signature: string, where: string): void {
    SIGNATURE.set(scope, signature);
    WHERE.set(scope, where);
  },
};
