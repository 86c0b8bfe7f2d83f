import { Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { failAt } from '../common/errors';
import { warnWhileInstrumenting } from '../common/findings';
import { HiddenProperty } from '../common/hidden-property';
import { ApiKeySource } from '../config';

/**
 * Where the API key lives, against the stack that reads it. The grant merged tracing adds is an IAM grant in this
 * stack's account, which is enough only when the key is in this partition and account and its KMS key lets the
 * account's IAM policies use it:
 * - another partition: no grant can reach it (refused);
 * - another account: its owner must allow the read in the secret's resource policy (or share the parameter) and in
 *   the KMS key's policy, which this app cannot do (warned, with what the owner must add);
 * - a KMS key of the app whose key policy has no statement for the account root: IAM grants to that key do nothing
 *   (warned when the key policy is final, at synthesis).
 */
export function checkApiKeyPlacement(scope: IConstruct, source: ApiKeySource): void {
  const stack = Stack.of(scope);
  const checked = CHECKED.get(stack) ?? new Set<string>();
  CHECKED.set(stack, checked);
  const place = placeOf(source);
  if (place === undefined || checked.has(place.arn)) return;
  checked.add(place.arn);
  const own = ownPlace(stack);
  if (place.partition !== undefined && own.partition !== undefined && place.partition !== own.partition) {
    failAt(scope, `the Datadog API key ${place.what} '${place.arn}' is in the partition '${place.partition}', but this stack deploys to ` +
      `'${own.partition}' (${stack.region}), where no grant can reach it.`,
    `Store the API key in ${stack.region} (or another region of '${own.partition}') and pass that ARN.`);
  }
  if (place.account !== undefined && own.account !== undefined && place.account !== own.account) {
    warnWhileInstrumenting(stack, 'ApiKeyInOtherAccount',
      `The Datadog API key ${place.what} '${place.arn}' is in account ${place.account}, and this stack in ${own.account}: the IAM grant ` +
      `merged tracing adds here is not enough. In account ${place.account}, ${place.ownerMustAdd} and the KMS key that encrypts it ` +
      '(a customer-managed key: AWS managed keys cannot be used across accounts) needs a key policy statement allowing kms:Decrypt to ' +
      `the readers of this stack (or to arn:${own.partition ?? '<partition>'}:iam::${own.account}:root). Add them there, then acknowledge this warning.`);
  }
  if (place.key instanceof kms.Key) checkKeyPolicyDelegates(place.key);
}

const CHECKED = new HiddenProperty<Set<string>>('ApiKeyPlacementChecked');
const KEY_POLICY_CHECKED = new HiddenProperty<boolean>('KeyPolicyChecked');

/** The literal ARN of the key's resource, and what it says of partition and account. */
interface Place {
  readonly what: string;
  readonly arn: string;
  readonly partition?: string;
  readonly account?: string;
  readonly ownerMustAdd: string;
  readonly key?: kms.IKey;
}

const LITERAL_ARN = /^arn:([^:]+):[^:]*:[^:]*:(\d{12})?:/;

function placeOf(source: ApiKeySource): Place | undefined {
  const secretOwner = 'the secret needs a resource policy allowing secretsmanager:GetSecretValue to the readers of this stack,';
  switch (source.kind) {
    case 'secret':
      return literalPlace('secret', source.secret.secretArn, secretOwner, source.secret.encryptionKey);
    case 'secretArn':
      return literalPlace('secret', source.arn, secretOwner);
    case 'ssm':
      return literalPlace('parameter', source.arn,
        'the parameter must be an advanced-tier parameter shared with this account through AWS RAM,');
    case 'kms':
      return literalPlace('KMS key', source.key.keyArn, 'the key policy must allow kms:Decrypt to the readers of this stack,', source.key);
    case 'plaintext':
    case 'none':
      return undefined;
  }
}

function literalPlace(what: string, arn: string, ownerMustAdd: string, key?: kms.IKey): Place | undefined {
  // A token ARN is a resource of this app (same account and partition) or resolved at deployment: nothing to compare.
  if (Token.isUnresolved(arn)) return key instanceof kms.Key ? { what, arn: `${key.node.path}`, ownerMustAdd, key } : undefined;
  const match = LITERAL_ARN.exec(arn);
  return { what, arn, partition: match?.[1], account: match?.[2], ownerMustAdd, key };
}

function ownPlace(stack: Stack): { partition?: string; account?: string } {
  const partition = Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition;
  return { partition, account: Token.isUnresolved(stack.account) ? undefined : stack.account };
}

/**
 * AWS KMS: an IAM policy can allow the use of a key only when the key policy has a statement for the account root.
 * aws-cdk-lib grants to a key of the same account through IAM alone, so a key created with its own `policy` that lacks
 * that statement leaves the grant useless. Checked once the app is built, when the key policy is final.
 */
function checkKeyPolicyDelegates(key: kms.Key): void {
  if (KEY_POLICY_CHECKED.get(key)) return;
  KEY_POLICY_CHECKED.set(key, true);
  key.node.addValidation({
    validate: () => {
      const policy = Stack.of(key).resolve((key.node.defaultChild as kms.CfnKey).keyPolicy) as { Statement?: unknown[] } | undefined;
      const statements = (policy?.Statement ?? []) as Array<{ Effect?: string; Principal?: unknown; Action?: unknown }>;
      const delegates = statements.some((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal ?? '').includes(':root')
        && [s.Action].flat().some((a) => a === 'kms:*' || a === 'kms:Decrypt'));
      if (!delegates) {
        warnWhileInstrumenting(key, 'KeyPolicyNoAccountRoot',
          `The key policy of ${key.node.path}, which encrypts the Datadog API key, has no statement allowing kms:Decrypt (or kms:*) to ` +
          'the account root, so the IAM grants merged tracing adds cannot let anyone decrypt with it: the key cannot be read at run time. ' +
          "Add a statement allowing kms:* to the account root (new kms.Key's default policy has it), or name the readers in the key policy " +
          'and acknowledge this warning.');
      }
      return [];
    },
  });
}

const PLAINTEXT_WARNED = new HiddenProperty<boolean>('PlaintextApiKeyWarned');

/**
 * allowPlaintextApiKey is an informed choice: say once per scope where the key can then be read, so the choice stays
 * visible in every synthesis (acknowledge the warning to keep it quiet).
 */
export function warnPlaintextApiKey(scope: IConstruct, source: ApiKeySource, readableIn: string): void {
  if (source.kind !== 'plaintext' || PLAINTEXT_WARNED.get(scope)) return;
  PLAINTEXT_WARNED.set(scope, true);
  warnWhileInstrumenting(scope, 'PlaintextApiKeyAllowed',
    'allowPlaintextApiKey is set, so the Datadog API key is written in plaintext into the CloudFormation template (readable by ' +
    `anyone who can read the stack's template or its cloud assembly) and ${readableIn}. Prefer apiKeySecret; ` +
    'acknowledge this warning to accept the exposure.');
}
