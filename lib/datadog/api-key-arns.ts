/**
 * The ARNs an API key may be given by (apiKeySecretArn, apiKeySsmArn), read strictly: the grant is built from the ARN,
 * so an ARN that names more than one resource (a wildcard, a missing account or region, a partial service name) would
 * widen the grant to every secret or parameter it matches. Only a complete ARN of the one resource passes.
 */

/** The parts of an ARN of one regional resource. */
export interface ResourceArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** One row per kind of ARN a key source takes: the service, the resource's form, and how to say it. */
export interface KeyArnKind {
  readonly service: string;
  /** The resource part after `<account>:`: names the characters the service allows, never `*` or `?`. */
  readonly resource: RegExp;
  /** What the ARN names, for messages ("a Secrets Manager secret"). */
  readonly noun: string;
  /** The expected form, for messages. */
  readonly form: string;
}

export const SECRET_ARN: KeyArnKind = {
  service: 'secretsmanager',
  // Secret names: letters, digits and /_+=.@- (Secrets Manager's rule); the ARN adds `secret:` before the name.
  resource: /^secret:[A-Za-z0-9/_+=.@-]+$/,
  noun: 'a Secrets Manager secret',
  form: 'arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>',
};

export const SSM_PARAMETER_ARN: KeyArnKind = {
  service: 'ssm',
  // Parameter names: letters, digits and _.-/ (SSM's rule); a hierarchical name's leading slash is not repeated.
  resource: /^parameter\/[A-Za-z0-9_.\-/]+$/,
  noun: 'an SSM parameter',
  form: 'arn:<partition>:ssm:<region>:<12-digit account>:parameter/<name>',
};

// The partitions AWS has, the region form (us-east-1, us-gov-west-1, eu-isoe-west-1), a 12-digit account.
const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):([a-z0-9-]+):([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):(.+)$/;

/** The ARN's parts when it is a complete ARN of one resource of this kind; otherwise what is wrong with it. */
export function parseKeyArn(value: string, kind: KeyArnKind): { readonly arn: ResourceArn } | { readonly problem: string } {
  if (/[*?]/.test(value)) return { problem: 'has a wildcard, which would grant the read of every resource it matches' };
  const match = ARN.exec(value);
  if (!match) return { problem: `is not ${kind.noun} ARN` };
  const [, partition, service, region, account, resource] = match;
  if (service !== kind.service) return { problem: `names the service '${service}', not ${kind.service} (it is not ${kind.noun} ARN)` };
  if (!kind.resource.test(resource)) return { problem: `does not name ${kind.noun} by its full name` };
  return { arn: { partition, service, region, account, resource } };
}
