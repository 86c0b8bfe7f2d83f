/*
 * The Kubernetes workload kinds whose pods run the app's dd-trace, and where each keeps its pod template: one row per
 * kind (Kubernetes API reference: apps/v1 Deployment, StatefulSet, DaemonSet; batch/v1 Job, CronJob). Instrumenting
 * labels them (lib/instrument/hosts/eks) and the checker reads them back from the template (lib/check).
 */

/** Where a workload kind keeps its pod template, as the keys from the object down. */
export const WORKLOAD_POD_TEMPLATE: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** One workload of a manifest, as its labels say. */
export interface KubernetesWorkload {
  readonly kind: string;
  /** `<namespace>/<name>` (namespace `default` when the object names none), as messages name it. */
  readonly name: string;
  readonly namespace: string;
  /** The service account its pods run as (`default` when the pod spec names none): whose AWS role they take. */
  readonly serviceAccount: string;
  /** The workload's own labels. */
  readonly labels: Readonly<Record<string, unknown>>;
  /** The labels of its pod template: what the pods carry, and what the admission controller reads. */
  readonly podLabels: Readonly<Record<string, unknown>>;
}

type KubernetesObject = Record<string, unknown>;

/** The object at a path of keys, if every step is an object. */
export function objectAt(value: unknown, keys: readonly string[]): KubernetesObject | undefined {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as KubernetesObject)[key];
  }
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? current as KubernetesObject : undefined;
}

/** The pod template path of an object, when it is a workload of a known kind. */
export function podTemplatePath(object: unknown): readonly string[] | undefined {
  const kind = objectAt(object, [])?.kind;
  return typeof kind === 'string' ? WORKLOAD_POD_TEMPLATE[kind] : undefined;
}

/** The workload an object of a manifest is, or undefined when it is none of the known kinds. */
export function workloadOf(object: unknown): KubernetesWorkload | undefined {
  const path = podTemplatePath(object);
  if (!path) return undefined;
  const metadata = objectAt(object, ['metadata']);
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : 'default';
  const name = typeof metadata?.name === 'string' ? metadata.name : '<unnamed>';
  const podSpec = objectAt(object, [...path, 'spec']);
  return {
    kind: (object as KubernetesObject).kind as string,
    name: `${namespace}/${name}`,
    namespace,
    serviceAccount: typeof podSpec?.serviceAccountName === 'string' ? podSpec.serviceAccountName : 'default',
    labels: objectAt(object, ['metadata', 'labels']) ?? {},
    podLabels: objectAt(object, [...path, 'metadata', 'labels']) ?? {},
  };
}
