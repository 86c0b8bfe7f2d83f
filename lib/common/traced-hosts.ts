import { CfnResource } from 'aws-cdk-lib';
import { HiddenProperty } from './hidden-property';

/**
 * The EC2 instances and Auto Scaling groups a DatadogEc2Tracing traces. An `env` tag alone does not make a host part
 * of merged tracing (many apps tag every resource with env), so the checker asks this registry instead
 * (lib/check and lib/instrument never import each other; both import this).
 */
const TRACED_HOST = new HiddenProperty<string>('TracedHost');

/** Marks the L1 resource of a host as traced by the construct at `tracedBy`. */
export function markTracedHost(resource: CfnResource, tracedBy: string): void {
  TRACED_HOST.set(resource, tracedBy);
}

/** The construct path of the DatadogEc2Tracing that traces this L1 resource, if any. */
export function tracedHostBy(resource: CfnResource): string | undefined {
  return TRACED_HOST.get(resource);
}
