import { AspectPriority, Aspects, CfnResource } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { addAgentContainer, APM_PORT } from './agent-container';
import { containerSettings } from './container-settings';
import { HostTracer } from './host-tracer';
import { fargateMemoryProblem } from './task-memory';
import { TraceMergingCheckOptions } from '../../check/check-options';
import { MergedTracingChecker } from '../../check/merged-tracing-checker';
import { acknowledgeNagFinding } from '../../common/cdk-nag';
import { failAt, refuseOnceBuilt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { HiddenProperty } from '../../common/hidden-property';
import { markHostTracer } from '../../common/traced-hosts';
import { resolveTracingConfig, TracingConfig } from '../../config';
import { injectStylesFor } from '../../datadog/host-tracers';
import { MergedTracingStack } from '../../merged-tracing-stack';
import { MergedTracingOptions } from '../../options';
import { tagResource } from '../tags';

/** Props of DatadogEcsTracing. */
export interface DatadogEcsTracingProps {
  /** The ECS task definition (Fargate or EC2) whose containers run dd-trace. */
  readonly taskDefinition: ecs.TaskDefinition;

  /**
   * The same options the Lambda side uses, so `env` (and `service`, `version`) match across hosts and functions.
   * @default - the options of the enclosing MergedTracingStack; an error when there is none
   */
  readonly mergedTracing?: MergedTracingOptions;

  /**
   * How the host is checked after synthesis where nothing else checks it (a MergedTracingStack or
   * `TraceMerging.applyTo` around it checks it with their options instead); `{ enabled: false }` turns that check off.
   * @default - every rule, expecting the env of its merged-tracing options
   */
  readonly checks?: TraceMergingCheckOptions;

  /**
   * The app containers that get the Datadog variables and labels.
   * @default - every container of the task definition except the Agent, including containers added later
   */
  readonly containers?: ecs.ContainerDefinition[];

  /**
   * The language of the dd-trace the app containers run. Java gets X-Ray's propagation style too
   * (`DD_TRACE_PROPAGATION_STYLE_INJECT`), so its calls carry an X-Ray header with Datadog's ids; the trace map judges the
   * task's hops by what that language's tracer can inject.
   * @default - not said: the container's variables are left as they are, and the map cannot tell what the task's calls carry
   */
  readonly tracer?: HostTracer;

  /**
   * Tag of the `public.ecr.aws/datadog/agent` image. Pin a full version for reproducible deployments.
   * @default '7'
   */
  readonly agentImageTag?: string;

  /**
   * Memory reserved for the Agent container, in MiB (counts against the task's memory on Fargate).
   * @default 256
   */
  readonly agentMemoryReservationMiB?: number;

  /**
   * CPU units reserved for the Agent container.
   * @default - none reserved: the Agent shares the task's CPU
   */
  readonly agentCpu?: number;

  /**
   * Name of the Agent container (and its link alias in bridge network mode).
   * @default 'datadog-agent'
   */
  readonly agentContainerName?: string;

  /**
   * Where the Agent container's own logs go.
   * @default - awslogs into a log group of its own (`<this construct>/AgentLogs`) kept for one month, stream prefix
   * `datadog-agent`
   */
  readonly agentLogging?: ecs.LogDriver;
}

const TRACING_OF = new HiddenProperty<DatadogEcsTracing>('DatadogEcsTracing');

const DATADOG_VARIABLES_REASON = 'The only variables are the Datadog Agent\'s and dd-trace\'s configuration (DD_ENV, DD_SERVICE, ' +
  'DD_AGENT_HOST, ...), no secret: the API key comes from Secrets Manager or SSM as an ECS secret (cdk-trace-merging).';

/**
 * Traces an ECS task definition (Fargate or EC2) with dd-trace, as the host side of HYBRID mode:
 * a Datadog Agent sidecar with APM on; `DD_ENV` / `DD_SERVICE` / `DD_VERSION` / `DD_AGENT_HOST` and the
 * unified service tagging Docker labels on the app containers; the API key from the same source as the
 * Lambda functions; and the `env` / `service` / `version` tags on the task definition, so hosts and
 * functions of one deployment share one `env`.
 */
export class DatadogEcsTracing extends Construct {
  /** The DatadogEcsTracing applied to a task definition, if any. */
  public static of(taskDefinition: ecs.TaskDefinition): DatadogEcsTracing | undefined {
    return TRACING_OF.get(taskDefinition);
  }

  /** The Datadog Agent sidecar. */
  public readonly agentContainer: ecs.ContainerDefinition;

  /** The address the app containers send traces to (DD_AGENT_HOST). */
  public readonly agentHost: string;

  /** The options the task is traced with. */
  public readonly mergedTracing: MergedTracingOptions;

  private readonly config: TracingConfig;
  private readonly tracer?: HostTracer;

  constructor(scope: Construct, id: string, props: DatadogEcsTracingProps) {
    super(scope, id);
    const taskDefinition = props.taskDefinition;
    const options = props.mergedTracing ?? MergedTracingStack.enclosing(this)?.tracing;
    if (!options) {
      failAt(this, 'has no merged-tracing options.',
        'Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
    }
    if (DatadogEcsTracing.of(taskDefinition)) {
      failAt(this, `task definition ${taskDefinition.node.path} is already traced by ${DatadogEcsTracing.of(taskDefinition)!.node.path}.`,
        'Keep one DatadogEcsTracing per task definition.');
    }
    this.mergedTracing = options;
    this.config = resolveTracingConfig(options, this.node.path);
    // Checked even in a plain Stack: by its own check, unless a stack's or an app's covers it.
    MergedTracingChecker.asFallback(taskDefinition, { env: options.env, ...props.checks }, `the mergedTracing options of DatadogEcsTracing '${this.node.path}'`);
    const agentName = props.agentContainerName ?? 'datadog-agent';
    this.agentHost = agentHostFor(this, taskDefinition.networkMode, agentName);

    this.agentContainer = addAgentContainer(this, taskDefinition, this.config, {
      containerName: agentName,
      imageTag: props.agentImageTag ?? '7',
      memoryReservationMiB: props.agentMemoryReservationMiB ?? 256,
      cpu: props.agentCpu,
      // Without a log configuration the Agent's own errors (a bad API key, an unreachable site) are lost (cdk-nag ECS7).
      logging: props.agentLogging ?? ecs.LogDrivers.awsLogs({
        streamPrefix: agentName,
        logGroup: new logs.LogGroup(this, 'AgentLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      }),
    });
    if (this.config.apiKey.kind === 'none') {
      warnWhileInstrumenting(this, 'NoApiKey',
        'No Datadog API key source is set, so the Datadog Agent cannot send traces. ' +
        'Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn) in the merged-tracing options.');
    }
    refuseOnceBuilt(this, () => fargateMemoryProblem(taskDefinition, agentName));
    tagResource(taskDefinition.node.defaultChild as CfnResource, this.config);
    this.tracer = props.tracer;
    if (props.tracer) markHostTracer(taskDefinition.node.defaultChild as CfnResource, props.tracer.language);
    TRACING_OF.set(taskDefinition, this);

    // At synthesis, so containers added after this construct are traced too.
    const explicit = props.containers;
    Aspects.of(taskDefinition).add({
      visit: (node: IConstruct) => {
        if (node !== taskDefinition) return;
        const containers = (explicit ?? taskDefinition.node.children.filter(
          (c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition)).filter((c) => c !== this.agentContainer);
        const ownVariables = containers.some((c) => Object.keys(containerSettings(c).environment).length > 0);
        for (const container of containers) this.traceContainer(container);
        // The Agent and dd-trace take their configuration (not the API key) as variables. Acknowledged for cdk-nag only
        // where the app's containers have none of their own, so that a variable of the user's is still reported.
        if (!ownVariables) acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2', DATADOG_VARIABLES_REASON);
      },
    }, { priority: AspectPriority.MUTATING });
  }

  private traceContainer(container: ecs.ContainerDefinition): void {
    const env = containerSettings(container).environment;
    const setDefault = (name: string, value: string | undefined) => {
      if (value !== undefined && env[name] === undefined) container.addEnvironment(name, value);
    };
    if (env.DD_ENV !== undefined && env.DD_ENV !== this.config.env) {
      warnWhileInstrumenting(container, 'EcsEnvMismatch',
        `This container sets DD_ENV '${env.DD_ENV}' but the merged-tracing env is '${this.config.env}', ` +
        'so its traces will not join the Lambda side. Remove DD_ENV from the container, or change the env option.');
    }
    setDefault('DD_ENV', this.config.env);
    setDefault('DD_SERVICE', this.config.service);
    setDefault('DD_VERSION', this.config.version);
    setDefault('DD_AGENT_HOST', this.agentHost);
    setDefault('DD_TRACE_AGENT_PORT', String(APM_PORT));
    setDefault('DD_TAGS', this.config.ddTags);
    setDefault('DD_TRACE_PROPAGATION_STYLE_INJECT', injectStylesFor(this.tracer?.language));

    // Unified service tagging: the Agent tags the container's logs and metrics from these labels.
    const { environment: effective, dockerLabels: labels } = containerSettings(container);
    for (const tag of ['env', 'service', 'version']) {
      const value = effective[`DD_${tag.toUpperCase()}`];
      const label = `com.datadoghq.tags.${tag}`;
      if (value !== undefined && labels[label] === undefined) container.addDockerLabel(label, value);
    }

    if (container.taskDefinition.networkMode === ecs.NetworkMode.BRIDGE) {
      // Separate network namespaces: reach the sidecar through a Docker link, not a host port
      // (a fixed host port 8126 would allow one task per instance).
      container.addLink(this.agentContainer, this.agentContainer.containerName);
      container.addContainerDependencies({ container: this.agentContainer, condition: ecs.ContainerDependencyCondition.START });
    }
  }
}

/** Where the app containers find the Agent, by network mode. */
function agentHostFor(scope: IConstruct, networkMode: ecs.NetworkMode, agentName: string): string {
  switch (networkMode) {
    case ecs.NetworkMode.AWS_VPC:
    case ecs.NetworkMode.HOST:
      // One network namespace for the task (awsvpc) or the instance (host).
      return 'localhost';
    case ecs.NetworkMode.BRIDGE:
      return agentName;
    default:
      return failAt(scope, `network mode '${networkMode}' gives the app containers no route to a Datadog Agent sidecar.`,
        'Use NetworkMode.AWS_VPC (Fargate, EC2), BRIDGE or HOST.');
  }
}
