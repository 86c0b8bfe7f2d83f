import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * On Fargate the containers' memory (each container's reservation, else its hard limit) must fit in the
 * task's memory, or the deployment fails. The Agent sidecar adds its reservation, so a task sized exactly
 * for its app containers no longer fits: say so at synthesis instead. Undefined when it fits or is unknown.
 */
export function fargateMemoryProblem(taskDefinition: ecs.TaskDefinition, agentName: string): string | undefined {
  if (!(taskDefinition instanceof ecs.FargateTaskDefinition) || Token.isUnresolved(taskDefinition.memoryMiB)) return undefined;
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  // L1 property names (camelCase): CloudFormation casing is applied later, when the template is rendered.
  const containers: { memory?: unknown; memoryReservation?: unknown }[] =
    Stack.of(taskDefinition).resolve(cfn.containerDefinitions) ?? [];
  let total = 0;
  for (const c of containers) {
    const memory = c.memoryReservation ?? c.memory ?? 0;
    if (typeof memory !== 'number') return undefined; // a token: only known at deployment
    total += memory;
  }
  if (total <= taskDefinition.memoryMiB) return undefined;
  return `the containers of ${taskDefinition.node.path} reserve ${total} MiB with the Datadog Agent (${agentName}), ` +
    `more than the task's ${taskDefinition.memoryMiB} MiB, so the deployment would fail. ` +
    "Raise the task's memoryLimitMiB, lower agentMemoryReservationMiB, or give the app containers a memoryReservationMiB below their limit.";
}
