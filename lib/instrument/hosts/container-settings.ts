import { Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** Environment variables and Docker labels of a container definition, by name, as set so far. */
export interface ContainerSettings {
  readonly environment: Record<string, string | undefined>;
  readonly dockerLabels: Record<string, string | undefined>;
}

/**
 * What a container definition has set so far, read through its public rendering (ContainerDefinition keeps
 * its environment and labels private, with an add-only API), so values the user set win over the task-wide
 * defaults. Values come back as the user gave them: a token stays a token string, never resolved here.
 * Not through the task definition's L1 `containerDefinitions`: that is a cached Lazy, and resolving it
 * before synthesis would freeze the containers without what is added after.
 */
export function containerSettings(container: ecs.ContainerDefinition): ContainerSettings {
  const rendered = container.renderContainerDefinition();
  const environment: Record<string, string | undefined> = {};
  const pairs = rendered.environment;
  if (Array.isArray(pairs)) {
    for (const pair of pairs) {
      if (!Tokenization.isResolvable(pair) && pair.name !== undefined) environment[pair.name] = pair.value;
    }
  }
  const labels = rendered.dockerLabels;
  const dockerLabels: Record<string, string | undefined> =
    labels !== undefined && !Tokenization.isResolvable(labels) ? { ...labels } : {};
  return { environment, dockerLabels };
}
