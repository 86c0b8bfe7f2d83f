import { CfnResource } from 'aws-cdk-lib';
import { HiddenProperty } from './hidden-property';

/**
 * The EC2 instances and Auto Scaling groups a DatadogEc2Tracing traces. An `env` tag alone does not make a host part
 * of merged tracing (many apps tag every resource with env), so the checker asks this registry instead
 * (lib/check and lib/instrument never import each other; both import this).
 */
export interface TracedHost {
  /** False without an API key source: the host gets the variables and tags, but no Agent, so it sends no traces. */
  readonly agentInstalled: boolean;
}

const TRACED_HOST = new HiddenProperty<TracedHost>('TracedHost');
const HOST_TRACER = new HiddenProperty<string>('HostTracer');

/** Marks the L1 resource of a host as traced. */
export function markTracedHost(resource: CfnResource, host: TracedHost): void {
  TRACED_HOST.set(resource, host);
}

/** How the L1 resource of a host is traced, if a DatadogEc2Tracing traces it. */
export function tracedHost(resource: CfnResource): TracedHost | undefined {
  return TRACED_HOST.get(resource);
}

/** Records the language of the dd-trace a host (ECS task definition, EC2 instance, Auto Scaling group) runs. */
export function markHostTracer(resource: CfnResource, language: string): void {
  HOST_TRACER.set(resource, language);
}

/** The language of the dd-trace a host runs, when its tracing construct was told it (`tracer`). */
export function hostTracerOf(resource: CfnResource): string | undefined {
  return HOST_TRACER.get(resource);
}
