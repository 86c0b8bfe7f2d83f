import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { agentParameterName } from './agent-parameter-name';
import { AgentSettings, checkAgentSettings } from './agent-settings-checks';

export type { AgentSettings } from './agent-settings-checks';
import { failAt } from '../../common/errors';
import { stableIdSuffix } from '../../common/stable-id';
import { TracingConfig } from '../../config';
import { ResourceArn } from '../../datadog/api-key-arns';
import { checkApiKeyPlacement, warnPlaintextApiKey } from '../api-key-placement';
import { grantSecretKeyDecrypt, importedSecret } from '../lambda/api-key';

/** The image repository of the Datadog Agent (public ECR, so tasks in private subnets pull it through a NAT or endpoint). */
export const DATADOG_AGENT_IMAGE = 'public.ecr.aws/datadog/agent';
/** The port the Agent receives traces on (dd-trace's default DD_TRACE_AGENT_PORT). */
export const APM_PORT = 8126;
/** The port the Agent receives DogStatsD metrics on. */
export const DOGSTATSD_PORT = 8125;

/**
 * Adds the Datadog Agent sidecar with APM on to a task definition. Its API key comes from the same
 * source the Lambda functions use, read by the task's execution role at start (never in the template).
 */
export function addAgentContainer(scope: IConstruct, taskDefinition: ecs.TaskDefinition, config: TracingConfig,
  settings: AgentSettings): ecs.ContainerDefinition {
  checkAgentSettings(scope, settings);
  const environment: Record<string, string> = {
    DD_SITE: config.site,
    DD_ENV: config.env,
    DD_APM_ENABLED: 'true',
    // The app containers are other containers (or, in bridge mode, other network namespaces).
    DD_APM_NON_LOCAL_TRAFFIC: 'true',
    DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
  };
  if (config.service !== undefined) environment.DD_SERVICE = config.service;
  if (config.version !== undefined) environment.DD_VERSION = config.version;
  // The Agent splits DD_TAGS on spaces (the libraries also accept commas).
  if (config.ddTags !== undefined) environment.DD_TAGS = config.ddTags.split(',').join(' ');
  if (config.options.logLevel !== undefined) environment.DD_LOG_LEVEL = config.options.logLevel;
  // Fargate has no Docker socket: the Agent reads the task metadata endpoint instead.
  if (taskDefinition.isFargateCompatible) environment.ECS_FARGATE = 'true';

  const secrets: Record<string, ecs.Secret> = {};
  const key = agentApiKey(scope, taskDefinition, config);
  if (key?.secret) secrets.DD_API_KEY = key.secret;
  if (key?.plaintext !== undefined) environment.DD_API_KEY = key.plaintext;

  return taskDefinition.addContainer(settings.containerName, {
    containerName: settings.containerName,
    image: ecs.ContainerImage.fromRegistry(`${DATADOG_AGENT_IMAGE}:${settings.imageTag}`),
    // Tracing must never stop the app: the task keeps running if the Agent exits.
    essential: false,
    memoryReservationMiB: settings.memoryReservationMiB,
    cpu: settings.cpu,
    logging: settings.logging,
    environment,
    secrets,
    portMappings: [
      { containerPort: APM_PORT, protocol: ecs.Protocol.TCP },
      { containerPort: DOGSTATSD_PORT, protocol: ecs.Protocol.UDP },
    ],
    healthCheck: {
      command: ['CMD-SHELL', 'agent health'],
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(15),
    },
  });
}

/** The Agent's DD_API_KEY: an ECS secret (read at task start by the execution role), a plaintext value, or none. */
function agentApiKey(scope: IConstruct, taskDefinition: ecs.TaskDefinition, config: TracingConfig):
{ secret?: ecs.Secret; plaintext?: string } | undefined {
  const source = config.apiKey;
  checkApiKeyPlacement(scope, source);
  warnPlaintextApiKey(scope, source, 'in the ECS task definition (DescribeTaskDefinition, the ECS console) of the Agent container');
  switch (source.kind) {
    case 'secret':
      // ECS grants the execution role read access; a customer-managed key behind the secret needs the role's own allow too.
      grantSecretKeyDecrypt(taskDefinition.obtainExecutionRole(), taskDefinition, source.secret);
      return { secret: ecs.Secret.fromSecretsManager(source.secret) };
    case 'secretArn':
      return { secret: ecs.Secret.fromSecretsManager(importedSecret(taskDefinition, source.arn)) };
    case 'ssm':
      return { secret: ecs.Secret.fromSsmParameter(importedParameter(scope, source.arn, source.parsed)) };
    case 'kms':
      return failAt(scope, 'the Datadog Agent cannot decrypt a KMS-encrypted API key (apiKmsKey).',
        'Store the key in Secrets Manager and pass apiKeySecret (the Lambda functions accept it too).');
    case 'plaintext':
      return { plaintext: source.value };
    case 'none':
      return undefined;
  }
}

function importedParameter(scope: IConstruct, arn: string, parsed: ResourceArn | undefined): ssm.IParameter {
  const name = agentParameterName(scope, arn, parsed);
  const stack = Stack.of(scope);
  const id = `DatadogApiKeyParameter${stableIdSuffix(stack, arn)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as ssm.IParameter;
  return ssm.StringParameter.fromSecureStringParameterAttributes(stack, id, { parameterName: name });
}
