import { Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { failAt } from '../../../common/errors';
import { podTemplatePath, workloadOf } from '../../../common/kubernetes-workloads';
import { TracingConfig } from '../../../config';
import { ADMISSION_LABEL, UNIFIED_SERVICE_LABELS } from '../../../datadog/datadog-helm-chart';

type KubernetesObject = Record<string, any>;

/** The labels merged tracing reads and sets. */
const READ_LABELS: readonly string[] = [...Object.values(UNIFIED_SERVICE_LABELS), ADMISSION_LABEL];

/**
 * The manifest with unified service tagging on each workload (Deployment, StatefulSet, DaemonSet, Job, CronJob): the
 * `tags.datadoghq.com/env|service|version` labels on the workload and its pod template, and the admission label on the
 * pod template so the Cluster Agent injects DD_AGENT_HOST, DD_ENV, DD_SERVICE and DD_VERSION into its pods. Labels the
 * manifest sets itself win (a different env is the checker's EnvMismatch). Copies what it changes: the objects given
 * are the user's, and may be given to another cluster too.
 */
export function labelledManifest(scope: IConstruct, manifest: readonly KubernetesObject[], config: TracingConfig): KubernetesObject[] {
  const labels: Record<string, string> = { [UNIFIED_SERVICE_LABELS.env]: config.env };
  if (config.service !== undefined) labels[UNIFIED_SERVICE_LABELS.service] = config.service;
  if (config.version !== undefined) labels[UNIFIED_SERVICE_LABELS.version] = config.version;
  return manifest.map((object) => {
    const path = podTemplatePath(object);
    if (!path) return object;
    refuseTokenLabels(scope, object, path);
    const labelled = withLabels(object, ['metadata', 'labels'], labels);
    return withLabels(labelled, [...path, 'metadata', 'labels'], { ...labels, [ADMISSION_LABEL]: 'true' });
  });
}

/** The object with labels added at a path (copied along it); the labels already there win. */
function withLabels(object: KubernetesObject, path: readonly string[], added: Record<string, string>): KubernetesObject {
  const [key, ...rest] = path;
  const current = object[key];
  const copy: KubernetesObject = { ...object };
  copy[key] = rest.length === 0
    ? { ...added, ...(current ?? {}) }
    : withLabels(current !== null && typeof current === 'object' ? current : {}, rest, added);
  return copy;
}

/**
 * A workload whose labels (or the label values merged tracing reads, or an object on the way to them) are CloudFormation
 * values is refused: neither this library nor the checker could tell its env, and a token object would hide the labels
 * added here.
 */
function refuseTokenLabels(scope: IConstruct, object: KubernetesObject, path: readonly string[]): void {
  const workload = workloadOf(object)!;
  for (const [where, keys] of [['its labels', ['metadata', 'labels']], ['its pod template\'s labels', [...path, 'metadata', 'labels']]] as const) {
    const steps = keys.map((_, i) => keys.slice(0, i + 1)).map((prefix) => valueAt(object, prefix));
    const labels = steps[steps.length - 1];
    const tokenValue = steps.some((value) => Tokenization.isResolvable(value))
      || READ_LABELS.some((label) => Token.isUnresolved((labels as KubernetesObject | undefined)?.[label]));
    if (tokenValue) {
      failAt(scope, `${workload.kind} ${workload.name} has CloudFormation values (tokens) in ${where}, so its env, service and version cannot be read or set.`,
        `Give the ${workload.kind}'s labels (at least tags.datadoghq.com/env, service and version) as literal strings.`);
    }
  }
}

/** The value at a path of keys (undefined where a step is missing). */
function valueAt(object: KubernetesObject, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as KubernetesObject)[key] : undefined), object);
}
