import { KubernetesWorkload, objectAt, workloadOf } from '../common/kubernetes-workloads';

/** The annotation IRSA reads on a service account: the role its pods take. */
const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
const DEPLOY_TIME_VALUE = /<known at deployment #(\d+)>/g;

/** A manifest read from a template: its objects, and the CloudFormation values that stand in it as placeholders. */
interface ReadManifest {
  readonly objects: unknown[];
  /** The values only known at deployment, by the number of their placeholder. */
  readonly values: readonly unknown[];
}

/**
 * JSON text as a template holds it (a manifest's `Manifest`, a Helm chart's `Values`): a string, or an Fn::Join of JSON
 * text and CloudFormation values (a role's ARN in aws-auth or in a service account's annotation, a secret's ARN in a
 * chart's values), read with each value standing as a numbered placeholder inside its JSON string. Undefined when it
 * cannot be read at all.
 */
export function readTemplateJson(value: unknown): { readonly json: unknown; readonly values: readonly unknown[] } | undefined {
  const values: unknown[] = [];
  let text: string | undefined;
  if (typeof value === 'string') {
    text = value;
  } else {
    const join = (value as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
    if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
    text = join[1].map((part: unknown) => (typeof part === 'string' ? part : `<known at deployment #${values.push(part) - 1}>`)).join('');
  }
  try {
    return { json: JSON.parse(text), values };
  } catch {
    return undefined;
  }
}

/** A manifest read from a template: its objects, and the values that stand in it as placeholders. */
function readManifest(manifest: unknown): ReadManifest | undefined {
  const read = readTemplateJson(manifest);
  return read && Array.isArray(read.json) ? { objects: read.json, values: read.values } : undefined;
}

/** Whether a value read from a manifest holds a value only known at deployment. */
export function isDeployTimeValue(value: string): boolean {
  return new RegExp(DEPLOY_TIME_VALUE.source).test(value);
}

/** The workloads of a manifest as a template holds it; undefined when the manifest cannot be read. */
export function manifestWorkloads(manifest: unknown): KubernetesWorkload[] | undefined {
  return readManifest(manifest)?.objects.map(workloadOf).filter((w): w is KubernetesWorkload => w !== undefined);
}

/** The service accounts of a manifest that name an AWS role for their pods (IRSA), with the role as the template writes it. */
export function serviceAccountRoles(manifest: unknown): Array<{ readonly namespace: string; readonly name: string; readonly role: unknown }> {
  const read = readManifest(manifest);
  if (!read) return [];
  return read.objects.flatMap((object) => {
    if (objectAt(object, [])?.kind !== 'ServiceAccount') return [];
    const metadata = objectAt(object, ['metadata']);
    const annotation = objectAt(object, ['metadata', 'annotations'])?.[IRSA_ROLE_ANNOTATION];
    if (typeof annotation !== 'string' || typeof metadata?.name !== 'string') return [];
    const placeholders = [...annotation.matchAll(DEPLOY_TIME_VALUE)].map((m) => read.values[Number(m[1])]);
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
    return [{ namespace, name: metadata.name, role: placeholders.length > 0 ? placeholders : annotation }];
  });
}
