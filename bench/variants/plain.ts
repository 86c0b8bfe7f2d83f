import { Stack } from 'aws-cdk-lib';
import { VariantHooks } from '../app';

/** (a) Plain CDK: the workload and nothing else. */
export const hooks: VariantHooks = {
  xrayByHand: false,
  createStack: (app, id, props) => new Stack(app, id, props),
};
