import { Construct, IConstruct } from 'constructs';

const MARKER_ID = 'MergedTracingInstrumentation';

/**
 * Records on a function that it was instrumented, and with which options, so that a second
 * pass with the same options adds nothing and one with other options is caught.
 * A child construct rather than a module-level cache: it lives and dies with the app.
 */
export class InstrumentationMarker extends Construct {
  /** The marker of a construct, if it was instrumented. */
  public static of(scope: IConstruct): InstrumentationMarker | undefined {
    const child = scope.node.tryFindChild(MARKER_ID);
    return child instanceof InstrumentationMarker ? child : undefined;
  }

  /** Marks a construct as instrumented. */
  public static mark(scope: Construct, signature: string): InstrumentationMarker {
    return new InstrumentationMarker(scope, signature);
  }

  private constructor(scope: Construct, public readonly signature: string) {
    super(scope, MARKER_ID);
  }
}
