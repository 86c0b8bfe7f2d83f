import { Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every Stage below `scope` (not `scope` itself). Aspects stop at Stage boundaries, so an aspect
 * meant for a whole app must be added to each of these as well.
 */
export function nestedStages(scope: IConstruct): Stage[] {
  return scope.node.findAll().filter((c): c is Stage => c !== scope && Stage.isStage(c));
}
