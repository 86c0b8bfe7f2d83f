import { App, Stack } from 'aws-cdk-lib';
import * as lib from '../../lib';
import { BENCH_TRACING, VariantHooks } from '../app';

/** How the checker took part in this run: not available, added by MergedTracingStack itself, or by applyTo. */
export let checkerMode: 'none' | 'stack' | 'applyTo' = 'none';

/**
 * (b) This library: every stack is a MergedTracingStack, which instruments and checks itself; an app with other stacks
 * is checked with TraceMerging.check (once: not again where MergedTracingStack already checks).
 */
export const hooks: VariantHooks = {
  xrayByHand: false,
  createStack: (app, id, props) => new lib.MergedTracingStack(app, id, { ...props, tracing: { ...BENCH_TRACING } }),
  afterApp: (app: App) => {
    const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
    // A MergedTracingStack registers its own checker with the validation plugin.
    if (stacks.every((s) => s instanceof lib.MergedTracingStack)) {
      checkerMode = 'stack';
    } else {
      lib.TraceMerging.check(app);
      checkerMode = 'applyTo';
    }
  },
};
