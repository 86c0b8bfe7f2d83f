import { KubernetesWorkload, objectAt, workloadOf } from '../common/kubernetes-workloads';

/** The annotation IRSA reads on a service account: the role its pods take. */
const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';
const DEPLOY_TIME_VALUE = /<known at deployment #(\d+)>/g;

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

/** What the checker reads of a Kubernetes manifest: its workloads, and the AWS role its service accounts name (IRSA). */
export interface ManifestContents {
  readonly workloads: KubernetesWorkload[];
  /** The role as the template writes it (an ARN, or the CloudFormation values in the annotation). */
  readonly serviceAccountRoles: Array<{ readonly namespace: string; readonly name: string; readonly role: unknown }>;
}

/** Whether a value read from a manifest holds a value only known at deployment. */
export function isDeployTimeValue(value: string): boolean {
  return new RegExp(DEPLOY_TIME_VALUE.source).test(value);
}

/** A manifest as a template holds it (the `Manifest` of Custom::AWSCDK-EKS-KubernetesResource), read once; undefined when unreadable. */
export function manifestContents(manifest: unknown): ManifestContents | undefined {
  const read = readTemplateJson(manifest);
  if (!read || !Array.isArray(read.json)) return undefined;
  const objects: unknown[] = read.json;
  return {
    workloads: objects.map(workloadOf).filter((w): w is KubernetesWorkload => w !== undefined),
    serviceAccountRoles: objects.flatMap((object) => {
      if (objectAt(object, [])?.kind !== 'ServiceAccount') return [];
      const metadata = objectAt(object, ['metadata']);
      const annotation = objectAt(object, ['metadata', 'annotations'])?.[IRSA_ROLE_ANNOTATION];
      if (typeof annotation !== 'string' || typeof metadata?.name !== 'string') return [];
      const placeholders = [...annotation.matchAll(DEPLOY_TIME_VALUE)].map((m) => read.values[Number(m[1])]);
      const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
      return [{ namespace, name: metadata.name, role: placeholders.length > 0 ? placeholders : annotation }];
    }),
  };
}
