import { App, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as lib from '../../lib';
import { BENCH_TRACING, VariantHooks } from '../app';

/** The checker's static entry point, once issue 7 exports it from lib/index.ts. */
interface CheckerClass {
  applyTo(scope: IConstruct): IAspect | void;
}

/**
 * (b) This library: every stack is a MergedTracingStack (the MergedTracing aspect), and the
 * MergedTracingChecker covers the app when the library exports it.
 */
export const hooks: VariantHooks = {
  xrayByHand: false,
  createStack: (app, id, props) => new lib.MergedTracingStack(app, id, { ...props, tracing: { ...BENCH_TRACING } }),
  afterApp: (app: App) => {
    const checker = (lib as unknown as Record<string, CheckerClass | undefined>).MergedTracingChecker;
    checker?.applyTo(app);
  },
};

/** Whether this build of the library has the checker (reported beside the numbers). */
export const hasChecker = (lib as unknown as Record<string, unknown>).MergedTracingChecker !== undefined;
