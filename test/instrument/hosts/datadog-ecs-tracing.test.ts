import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatadogEcsTracing, MergedTracingOptions, MergedTracingStack, TracingMode } from '../../../lib';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';
const OPTIONS: MergedTracingOptions = {
  env: 'prod', service: 'checkout', version: '1.2.3', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN,
};

function newStack(): Stack {
  return new Stack(new App(), 'Hosts', { env: { account: '123456789012', region: 'us-east-1' } });
}

function fargateTask(stack: Stack): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  task.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1') });
  return task;
}

type Container = { Name: string; Environment?: { Name: string; Value: unknown }[]; DockerLabels?: Record<string, unknown>; [k: string]: unknown };

function containers(stack: Stack): Record<string, Container> {
  const tasks = Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition');
  const defs = Object.values(tasks).flatMap((t) => t.Properties.ContainerDefinitions as Container[]);
  return Object.fromEntries(defs.map((c) => [c.Name, c]));
}

function envOf(container: Container): Record<string, unknown> {
  return Object.fromEntries((container.Environment ?? []).map((e) => [e.Name, e.Value]));
}

describe('DatadogEcsTracing on Fargate', () => {
  test('adds the Agent sidecar with APM on and its API key from the secret', () => {
    // GIVEN a Fargate task with one app container
    const stack = newStack();
    const task = fargateTask(stack);

    // WHEN it is traced
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN the Agent runs beside the app, APM on, in Fargate mode, with the same env/service/version
    const agent = containers(stack)['datadog-agent'];
    expect(agent.Image).toBe('public.ecr.aws/datadog/agent:7');
    expect(agent.Essential).toBe(false);
    expect(agent.MemoryReservation).toBe(256);
    expect(envOf(agent)).toEqual({
      DD_SITE: 'datadoghq.com',
      DD_ENV: 'prod',
      DD_SERVICE: 'checkout',
      DD_VERSION: '1.2.3',
      DD_APM_ENABLED: 'true',
      DD_APM_NON_LOCAL_TRAFFIC: 'true',
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
      ECS_FARGATE: 'true',
    });
    expect(agent.PortMappings).toEqual([
      { ContainerPort: 8126, Protocol: 'tcp' },
      { ContainerPort: 8125, Protocol: 'udp' },
    ]);
    expect(agent.Secrets).toEqual([{ Name: 'DD_API_KEY', ValueFrom: SECRET_ARN }]);
    expect(agent.HealthCheck).toEqual({ Command: ['CMD-SHELL', 'agent health'], Interval: 30, Retries: 3, StartPeriod: 15, Timeout: 5 });
    // AND only the execution role reads the secret, only that secret
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskExecutionRole') }],
      PolicyDocument: {
        // The secret, and writing the Agent's own logs to its log group
        Statement: [{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TracingAgentLogs'), 'Arn'] },
        }, {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: SECRET_ARN,
        }],
      },
    });
  });

  test('gives the app containers DD_ENV / DD_SERVICE / DD_VERSION, the agent address and unified service tagging labels', () => {
    // GIVEN a Fargate task (awsvpc: one network namespace)
    const stack = newStack();
    const task = fargateTask(stack);

    // WHEN it is traced
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: { ...OPTIONS, tags: { team: 'payments' } } });

    // THEN the app container talks to the sidecar on localhost and carries the tags
    const app = containers(stack).app;
    expect(envOf(app)).toEqual({
      DD_ENV: 'prod',
      DD_SERVICE: 'checkout',
      DD_VERSION: '1.2.3',
      DD_AGENT_HOST: 'localhost',
      DD_TRACE_AGENT_PORT: '8126',
      DD_TAGS: 'team:payments',
    });
    expect(app.DockerLabels).toEqual({
      'com.datadoghq.tags.env': 'prod',
      'com.datadoghq.tags.service': 'checkout',
      'com.datadoghq.tags.version': '1.2.3',
    });
    expect(app.Links).toBeUndefined();
    // AND the Agent gets the extra tags space-separated, as it splits DD_TAGS
    expect(envOf(containers(stack)['datadog-agent']).DD_TAGS).toBe('team:payments');
  });

  test('tags the task definition with env, service and version so env-tag rules see the host side', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack), mergedTracing: OPTIONS });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.2.3' }],
    });
  });

  test('traces containers added after it, and keeps values a container sets itself', () => {
    // GIVEN a traced task
    const stack = newStack();
    const task = fargateTask(stack);
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // WHEN a worker container with its own service name is added afterwards
    task.addContainer('worker', {
      containerName: 'worker',
      image: ecs.ContainerImage.fromRegistry('example/worker:1'),
      environment: { DD_SERVICE: 'checkout-worker' },
    });

    // THEN it is traced under its own service, and its label follows it
    const worker = containers(stack).worker;
    expect(envOf(worker)).toMatchObject({ DD_ENV: 'prod', DD_SERVICE: 'checkout-worker', DD_AGENT_HOST: 'localhost' });
    expect(worker.DockerLabels).toMatchObject({ 'com.datadoghq.tags.service': 'checkout-worker' });
  });

  test('traces only the listed containers when containers is given', () => {
    // GIVEN a task with an app and a log router container
    const stack = newStack();
    const task = fargateTask(stack);
    task.addContainer('router', { containerName: 'router', image: ecs.ContainerImage.fromRegistry('example/router:1') });

    // WHEN only the app is listed
    new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: task, mergedTracing: OPTIONS, containers: [task.findContainer('app')!],
    });

    // THEN the router is left alone
    expect(containers(stack).router.Environment).toBeUndefined();
    expect(envOf(containers(stack).app).DD_ENV).toBe('prod');
  });

  test('warns when a container sets another DD_ENV', () => {
    // GIVEN a container that says staging
    const stack = newStack();
    const task = fargateTask(stack);
    task.addContainer('legacy', {
      containerName: 'legacy',
      image: ecs.ContainerImage.fromRegistry('example/legacy:1'),
      environment: { DD_ENV: 'staging' },
    });

    // WHEN the task is traced with env prod
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN the mismatch is reported on that container, and its value is not overwritten
    Annotations.fromStack(stack).hasWarning('/Hosts/Task/legacy', Match.stringLikeRegexp(
      "^This container sets DD_ENV 'staging' but the merged-tracing env is 'prod'.*\\[ack: cdk-trace-merging:EcsEnvMismatch\\]$"));
    expect(envOf(containers(stack).legacy).DD_ENV).toBe('staging');
  });
});

describe('the Agent container\'s own logs', () => {
  test('go to awslogs in a log group of their own, kept one month, by default', () => {
    // GIVEN / WHEN a traced Fargate task
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack), mergedTracing: OPTIONS });
    // THEN the Agent logs to that group, which keeps them 30 days
    const template = Template.fromStack(stack);
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.values(groups).map((g: any) => g.Properties)).toEqual([{ RetentionInDays: 30 }]);
    expect(containers(stack)['datadog-agent'].LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': { Ref: Object.keys(groups)[0] }, 'awslogs-stream-prefix': 'datadog-agent', 'awslogs-region': 'us-east-1' },
    });
  });

  test('go where agentLogging says', () => {
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: fargateTask(stack),
      mergedTracing: OPTIONS,
      agentLogging: ecs.LogDrivers.splunk({
        url: 'https://splunk.example.com:8088',
        secretToken: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(stack, 'SplunkToken', SECRET_ARN)),
      }),
    });
    expect(containers(stack)['datadog-agent'].LogConfiguration).toMatchObject({ LogDriver: 'splunk', Options: { 'splunk-url': 'https://splunk.example.com:8088' } });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 0);
  });
});

describe('DatadogEcsTracing never clobbers what the user set on a container', () => {
  test('keeps the agent address, port and tags a container sets itself', () => {
    // GIVEN an app container that reaches its own Agent and carries its own tags
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', {
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry('example/app:1'),
      environment: { DD_AGENT_HOST: 'agent.internal', DD_TRACE_AGENT_PORT: '9126', DD_TAGS: 'team:search' },
    });

    // WHEN the task is traced with options that have tags of their own
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: { ...OPTIONS, tags: { team: 'payments' } } });

    // THEN the container's values stay, and only the missing ones are added
    expect(envOf(containers(stack).app)).toEqual({
      DD_AGENT_HOST: 'agent.internal',
      DD_TRACE_AGENT_PORT: '9126',
      DD_TAGS: 'team:search',
      DD_ENV: 'prod',
      DD_SERVICE: 'checkout',
      DD_VERSION: '1.2.3',
    });
  });

  test('keeps unified service tagging labels a container sets itself, and adds the missing ones', () => {
    // GIVEN an app container labelled with its own service and version
    const stack = newStack();
    const task = fargateTask(stack);
    const app = task.findContainer('app')!;
    app.addDockerLabel('com.datadoghq.tags.service', 'checkout-web');
    app.addDockerLabel('com.datadoghq.tags.version', '1.2.3-web');
    app.addDockerLabel('team', 'payments');

    // WHEN the task is traced
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN its labels stay and the env label is added
    expect(containers(stack).app.DockerLabels).toEqual({
      'com.datadoghq.tags.service': 'checkout-web',
      'com.datadoghq.tags.version': '1.2.3-web',
      'team': 'payments',
      'com.datadoghq.tags.env': 'prod',
    });
  });

  test('keeps a value set after the tracing construct, before synthesis', () => {
    // GIVEN a traced task
    const stack = newStack();
    const task = fargateTask(stack);
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // WHEN the app container gets its own version afterwards
    task.findContainer('app')!.addEnvironment('DD_VERSION', '2.0.0-canary');

    // THEN that version wins, in the variable and in its label
    const app = containers(stack).app;
    expect(envOf(app).DD_VERSION).toBe('2.0.0-canary');
    expect(app.DockerLabels?.['com.datadoghq.tags.version']).toBe('2.0.0-canary');
  });

  test('keeps a token value unresolved, and its label follows the same token', () => {
    // GIVEN an app container whose service name is only known at deployment
    const stack = newStack();
    const task = fargateTask(stack);
    task.findContainer('app')!.addEnvironment('DD_SERVICE', Aws.STACK_NAME);

    // WHEN the task is traced
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN variable and label both render the stack name
    const app = containers(stack).app;
    expect(envOf(app).DD_SERVICE).toEqual({ Ref: 'AWS::StackName' });
    expect(app.DockerLabels?.['com.datadoghq.tags.service']).toEqual({ Ref: 'AWS::StackName' });
  });
});

describe('DatadogEcsTracing on EC2', () => {
  function ec2Task(stack: Stack, networkMode: ecs.NetworkMode): ecs.Ec2TaskDefinition {
    const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode });
    task.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1'), memoryLimitMiB: 512 });
    return task;
  }

  test('bridge mode: the app reaches the sidecar through a link, not a host port, and no Fargate mode', () => {
    // GIVEN an EC2 task in bridge mode
    const stack = newStack();
    const task = ec2Task(stack, ecs.NetworkMode.BRIDGE);

    // WHEN it is traced
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN
    const { app, 'datadog-agent': agent } = containers(stack);
    expect(envOf(app).DD_AGENT_HOST).toBe('datadog-agent');
    expect(app.Links).toEqual(['datadog-agent:datadog-agent']);
    expect(app.DependsOn).toEqual([{ ContainerName: 'datadog-agent', Condition: 'START' }]);
    expect(envOf(agent).ECS_FARGATE).toBeUndefined();
    expect(agent.PortMappings).toEqual([
      { ContainerPort: 8126, HostPort: 0, Protocol: 'tcp' },
      { ContainerPort: 8125, HostPort: 0, Protocol: 'udp' },
    ]);
  });

  test.each([ecs.NetworkMode.AWS_VPC, ecs.NetworkMode.HOST])('%s mode: the agent is on localhost', (mode) => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: ec2Task(stack, mode), mergedTracing: OPTIONS });

    // THEN
    const { app, 'datadog-agent': agent } = containers(stack);
    expect(envOf(app).DD_AGENT_HOST).toBe('localhost');
    expect(app.Links).toBeUndefined();
    expect(envOf(agent).ECS_FARGATE).toBeUndefined();
  });

  test('refuses network mode none', () => {
    // GIVEN a task without networking
    const stack = newStack();
    const task = ec2Task(stack, ecs.NetworkMode.NONE);

    // WHEN / THEN
    expect(() => new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS })).toThrow(
      "[cdk-trace-merging] Hosts/Tracing: network mode 'none' gives the app containers no route to a Datadog Agent sidecar. " +
      'Use NetworkMode.AWS_VPC (Fargate, EC2), BRIDGE or HOST.');
  });
});

describe('DatadogEcsTracing options and API key sources', () => {
  test('inherits the options of the enclosing MergedTracingStack', () => {
    // GIVEN a MergedTracingStack in HYBRID mode
    const stack = new MergedTracingStack(new App(), 'Hybrid', { tracing: { ...OPTIONS, env: 'staging' } });

    // WHEN a task in it is traced without options
    const tracing = new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack) });

    // THEN the stack's env is used
    expect(tracing.mergedTracing.env).toBe('staging');
    expect(envOf(containers(stack).app).DD_ENV).toBe('staging');
  });

  test('fails without options outside a MergedTracingStack', () => {
    const stack = newStack();
    expect(() => new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack) })).toThrow(
      '[cdk-trace-merging] Hosts/Tracing: has no merged-tracing options. ' +
      'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
  });

  test('validates the options like the Lambda side does', () => {
    const stack = newStack();
    expect(() => new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack), mergedTracing: { env: 'Prod' } }))
      .toThrow("[cdk-trace-merging] Hosts/Tracing: env 'Prod' breaks Datadog's tag rules");
  });

  test('fails when a task definition is traced twice', () => {
    const stack = newStack();
    const task = fargateTask(stack);
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });
    expect(() => new DatadogEcsTracing(stack, 'Again', { taskDefinition: task, mergedTracing: OPTIONS })).toThrow(
      '[cdk-trace-merging] Hosts/Again: task definition Hosts/Task is already traced by Hosts/Tracing. Keep one DatadogEcsTracing per task definition.');
  });

  test('apiKeySecret: the Agent reads that secret', () => {
    // GIVEN a secret in the app
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'DdKey');

    // WHEN
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack), mergedTracing: { env: 'prod', apiKeySecret: secret } });

    // THEN
    expect(containers(stack)['datadog-agent'].Secrets).toEqual([{ Name: 'DD_API_KEY', ValueFrom: stack.resolve(secret.secretArn) }]);
  });

  test('apiKeySsmArn: the Agent reads that SecureString parameter', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: fargateTask(stack),
      mergedTracing: { env: 'prod', apiKeySsmArn: 'arn:aws:ssm:us-east-1:123456789012:parameter/datadog/api-key' },
    });

    // THEN
    const parameterArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:parameter/datadog/api-key']] };
    expect(containers(stack)['datadog-agent'].Secrets).toEqual([{ Name: 'DD_API_KEY', ValueFrom: parameterArn }]);
    // AND the execution role may read that parameter only
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'], Effect: 'Allow', Resource: parameterArn }]),
      },
    });
  });

  test('apiKeySsmArn only known at deployment: refused, the Agent\'s secret must name the parameter', () => {
    const stack = newStack();
    expect(() => new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: fargateTask(stack),
      mergedTracing: { env: 'prod', apiKeySsmArn: Fn.importValue('DatadogApiKeyParameterArn') },
    })).toThrow(/^\[cdk-trace-merging\] Hosts\/Tracing: apiKeySsmArn '\$\{Token\[TOKEN\.\d+\]\}' is not a resolved SSM parameter ARN, so the Datadog Agent cannot name the parameter\. Pass the full ARN as a literal/);
  });

  test('apiKmsKey: refused, the Agent cannot decrypt it', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: fargateTask(stack),
      mergedTracing: { env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==', apiKmsKeyEncryptionKey: key },
    })).toThrow('[cdk-trace-merging] Hosts/Tracing: the Datadog Agent cannot decrypt a KMS-encrypted API key (apiKmsKey). ' +
      'Store the key in Secrets Manager and pass apiKeySecret (the Lambda functions accept it too).');
  });

  test('no API key source: a NoApiKey warning', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: fargateTask(stack), mergedTracing: { env: 'prod' } });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Hosts/Tracing', Match.stringLikeRegexp('^No Datadog API key source is set.*cdk-trace-merging:NoApiKey'));
    expect(containers(stack)['datadog-agent'].Secrets).toBeUndefined();
  });

  test('agent image tag, memory, cpu and name can be set', () => {
    // GIVEN / WHEN
    const stack = newStack();
    const tracing = new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: fargateTask(stack),
      mergedTracing: OPTIONS,
      agentImageTag: '7.60.0',
      agentMemoryReservationMiB: 128,
      agentCpu: 64,
      agentContainerName: 'dd',
    });

    // THEN
    const agent = containers(stack).dd;
    expect(tracing.agentContainer.containerName).toBe('dd');
    expect([agent.Image, agent.MemoryReservation, agent.Cpu]).toEqual(['public.ecr.aws/datadog/agent:7.60.0', 128, 64]);
  });

  test('a Fargate service of a traced task synthesizes (the service accepts the sidecar)', () => {
    // GIVEN a cluster and a traced task
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const task = fargateTask(stack);
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // WHEN a service runs it
    new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: task });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::ECS::Service', 1);
    expect(Object.keys(containers(stack)).sort()).toEqual(['app', 'datadog-agent']);
  });
});

describe('DatadogEcsTracing checks that the Agent fits in a Fargate task', () => {
  test('fails synthesis when the app containers already take all of the task memory', () => {
    // GIVEN a 1024 MiB Fargate task whose app container is limited to 1024 MiB
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1'), memoryLimitMiB: 1024 });

    // WHEN the Agent (256 MiB reserved) is added
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });

    // THEN synthesis names the sum and the fixes
    expect(() => Template.fromStack(stack)).toThrow(
      "the containers of Hosts/Task reserve 1280 MiB with the Datadog Agent (datadog-agent), more than the task's 1024 MiB, " +
      "so the deployment would fail. Raise the task's memoryLimitMiB, lower agentMemoryReservationMiB, " +
      'or give the app containers a memoryReservationMiB below their limit.');
  });

  test('accepts a task where reservations fit, counting reservations before limits', () => {
    // GIVEN an app container limited to the task size but reserving less
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', {
      containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1'), memoryLimitMiB: 1024, memoryReservationMiB: 768,
    });

    // WHEN / THEN 768 + 256 = 1024 fits
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: OPTIONS });
    expect(containers(stack).app.MemoryReservation).toBe(768);
  });
});
