import { App, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as lib from '../../lib';
import { BENCH_TRACING, VariantHooks } from '../app';

/** The checker's class, once issue 7 exports it from lib/index.ts. */
interface CheckerClass {
  new (...args: never[]): IAspect;
  applyTo(scope: IConstruct): unknown;
}
const checker = (lib as unknown as Record<string, CheckerClass | undefined>).MergedTracingChecker;

/** How the checker took part in this run: not available, added by MergedTracingStack itself, or by applyTo. */
export let checkerMode: 'none' | 'stack' | 'applyTo' = 'none';

/**
 * (b) This library: every stack is a MergedTracingStack (the MergedTracing aspect), and the
 * MergedTracingChecker covers the app when the library exports it (once: not again where
 * MergedTracingStack already adds it).
 */
export const hooks: VariantHooks = {
  xrayByHand: false,
  createStack: (app, id, props) => new lib.MergedTracingStack(app, id, { ...props, tracing: { ...BENCH_TRACING } }),
  afterApp: (app: App) => {
    if (!checker) return;
    const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
    // A MergedTracingStack registers its own checker with the validation plugin.
    if (stacks.every((s) => s instanceof lib.MergedTracingStack)) {
      checkerMode = 'stack';
    } else {
      checker.applyTo(app);
      checkerMode = 'applyTo';
    }
  },
};
