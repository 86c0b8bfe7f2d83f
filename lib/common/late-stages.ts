import { Aspects, IAspect, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ERROR_PREFIX } from './errors';

/**
 * Fails synthesis for every Stage below `scope` that none of our aspects reaches. `applyTo` adds the
 * aspect to the Stages that exist when it is called; one created later would otherwise stay untraced
 * without a word, because aspects stop at Stage boundaries. A validation runs at synthesis, after
 * every Stage exists, so it sees the late ones.
 */
export function failOnStagesOutOfReach(scope: IConstruct, isOurs: (aspect: IAspect) => boolean, method: string): void {
  const call = `${method} on ${scope.node.path ? `'${scope.node.path}'` : 'the app'}`;
  scope.node.addValidation({
    validate: () => scope.node.findAll()
      .filter((c): c is Stage => c !== scope && Stage.isStage(c))
      .filter((stage) => !Aspects.of(stage).all.some(isOurs))
      .map((stage) => `${ERROR_PREFIX} ${stage.node.path}: was created after ${call}, so merged tracing does not reach it ` +
        `(aspects stop at Stage boundaries). Call ${method} after creating every Stage, or call it on this Stage as well.`),
  });
}
