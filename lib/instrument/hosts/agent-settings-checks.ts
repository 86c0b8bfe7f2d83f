import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { failAt } from '../../common/errors';

/** What the agent sidecar looks like; every field is resolved (defaults applied). */
export interface AgentSettings {
  readonly containerName: string;
  readonly imageTag: string;
  readonly memoryReservationMiB: number;
  readonly cpu?: number;
  readonly logging: ecs.LogDriver;
}

// Docker's reference grammar: a tag is a word character, then up to 127 word characters, '.' or '-'.
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// ECS container names: up to 255 letters, digits, '-' and '_'.
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
// ECS: a container needs at least 6 MiB; CPU units go up to 16 vCPU (16,384 units), the largest task there is.
const MIN_CONTAINER_MEMORY_MIB = 6;
const MAX_CPU_UNITS = 16 * 1024;

/** Refuses Agent settings ECS or Docker would reject at deployment, in the prop's own words. */
export function checkAgentSettings(scope: IConstruct, settings: AgentSettings): void {
  const literal = <T>(value: T) => !Token.isUnresolved(value);
  if (literal(settings.imageTag) && !DOCKER_TAG.test(settings.imageTag)) {
    failAt(scope, `agentImageTag ${JSON.stringify(settings.imageTag)} is not a Docker image tag (a letter, digit or '_' first, then up to 127 ` +
      "letters, digits, '_', '.' or '-').", "Pass a tag of public.ecr.aws/datadog/agent such as '7' or '7.60.1'.");
  }
  if (literal(settings.containerName) && !CONTAINER_NAME.test(settings.containerName)) {
    failAt(scope, `agentContainerName ${JSON.stringify(settings.containerName)} is not an ECS container name (up to 255 letters, digits, '-' and '_').`,
      "Pass a name such as 'datadog-agent'.");
  }
  const memory = settings.memoryReservationMiB;
  if (literal(memory) && (!Number.isInteger(memory) || memory < MIN_CONTAINER_MEMORY_MIB)) {
    failAt(scope, `agentMemoryReservationMiB ${memory} is not a memory reservation ECS accepts (a whole number of MiB, at least ${MIN_CONTAINER_MEMORY_MIB}).`,
      'Pass a whole number of MiB (Datadog suggests 256 for the Agent), or leave it out for 256.');
  }
  const cpu = settings.cpu;
  if (cpu !== undefined && literal(cpu) && (!Number.isInteger(cpu) || cpu < 0 || cpu > MAX_CPU_UNITS)) {
    failAt(scope, `agentCpu ${cpu} is not a number of CPU units ECS accepts (a whole number from 0 to ${MAX_CPU_UNITS}; 1,024 units are one vCPU).`,
      'Pass a whole number of CPU units, or leave it out to let the Agent share the task\'s CPU.');
  }
}
