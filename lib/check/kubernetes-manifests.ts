import { KubernetesWorkload, workloadOf } from '../common/kubernetes-workloads';

/** What stands for a value only known at deployment inside a manifest read from a template. */
export const DEPLOY_TIME_VALUE = '<known at deployment>';

/**
 * The workloads of a Kubernetes manifest as a template holds it (the `Manifest` property of
 * Custom::AWSCDK-EKS-KubernetesResource): a JSON string, or an Fn::Join of strings and CloudFormation values (a role's
 * ARN in aws-auth, a bucket name in a container's variables), read with those values standing as DEPLOY_TIME_VALUE.
 * Undefined when the manifest cannot be read at all.
 */
export function manifestWorkloads(manifest: unknown): KubernetesWorkload[] | undefined {
  const text = manifestText(manifest);
  if (text === undefined) return undefined;
  let objects: unknown;
  try {
    objects = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(objects)) return undefined;
  return objects.map(workloadOf).filter((w): w is KubernetesWorkload => w !== undefined);
}

function manifestText(manifest: unknown): string | undefined {
  if (typeof manifest === 'string') return manifest;
  const join = (manifest as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  // A value inside a JSON string of the manifest: stands in as text the JSON can hold.
  return join[1].map((part: unknown) => (typeof part === 'string' ? part : DEPLOY_TIME_VALUE)).join('');
}
