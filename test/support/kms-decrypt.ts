/**
 * Whether a role may call kms:Decrypt on a key through Secrets Manager, read from synthesized templates the way
 * AWS decides it for one account: the key's policy names the role, or it names the account root (which hands the
 * decision to IAM) and one of the role's own policies allows kms:Decrypt on that key. Conditions are taken as met
 * (the call comes through Secrets Manager), so this answers "is there a grant at all", not "is it scoped".
 */
type Statement = { Effect?: string; Action?: string | string[]; Principal?: { AWS?: unknown }; Resource?: unknown };
type Resources = Record<string, { Type: string; Properties?: any }>;

export interface DecryptQuestion {
  /** Resources of the template holding the key. */
  readonly keyTemplate: Resources;
  readonly keyLogicalId: string;
  /** Resources of the template holding the role. */
  readonly roleTemplate: Resources;
  readonly roleLogicalId: string;
  /** The key's ARN as the role's template writes it (a GetAtt in the same stack, an import across stacks). */
  readonly keyArnInRoleTemplate: unknown;
}

export function roleCanDecrypt(q: DecryptQuestion): boolean {
  const keyPolicy: Statement[] = q.keyTemplate[q.keyLogicalId].Properties.KeyPolicy.Statement;
  const decrypting = keyPolicy.filter(allowsDecrypt);
  const roleArn = { 'Fn::GetAtt': [q.roleLogicalId, 'Arn'] };
  if (q.keyTemplate === q.roleTemplate && decrypting.some((s) => same(s.Principal?.AWS, roleArn))) return true;
  if (!decrypting.some((s) => isAccountRoot(s.Principal?.AWS))) return false;
  return rolePolicyStatements(q.roleTemplate, q.roleLogicalId)
    .some((s) => allowsDecrypt(s) && [s.Resource].flat().some((r) => r === '*' || same(r, q.keyArnInRoleTemplate)));
}

function allowsDecrypt(s: Statement): boolean {
  return s.Effect === 'Allow' && [s.Action].flat().some((a) => a === 'kms:Decrypt' || a === 'kms:*');
}

function isAccountRoot(principal: unknown): boolean {
  return JSON.stringify(principal ?? '').includes(':root');
}

/** Statements of every AWS::IAM::Policy attached to the role, and of the role's inline policies. */
function rolePolicyStatements(resources: Resources, roleLogicalId: string): Statement[] {
  const attached = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: unknown) => same(ref, { Ref: roleLogicalId })))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  const inline = (resources[roleLogicalId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  return [...attached, ...inline];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
