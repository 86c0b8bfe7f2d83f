import { IConstruct } from 'constructs';

/** Shared by every copy of this library an app may load, so they recognize each other's marks. */
const SIGNATURE = Symbol.for('cdk-trace-merging.instrumentation-signature');

/**
 * Records on a function that it was instrumented, and with which options, so that a second
 * pass with the same options adds nothing and one with other options is caught.
 * A hidden property of the construct object: it lives and dies with the app, and unlike a child
 * construct it adds nothing to the construct tree that synthesis walks and writes (issue 5).
 */
export const InstrumentationMarker = {
  /** The options signature a construct was instrumented with, or undefined. */
  signatureOf(scope: IConstruct): string | undefined {
    return (scope as unknown as Record<symbol, string | undefined>)[SIGNATURE];
  },

  /** Marks a construct as instrumented with these options. */
  mark(scope: IConstruct, signature: string): void {
    Object.defineProperty(scope, SIGNATURE, { value: signature, enumerable: false, configurable: true });
  },
};
