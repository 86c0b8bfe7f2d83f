import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { landedInPolicy } from '../../common/landed-in-policy';
import { stableIdSuffix } from '../../common/stable-id';
import { ApiKeySource } from '../../config';
import { checkApiKeyPlacement } from '../api-key-placement';

/**
 * Gives `grantee` read access to exactly the one API key resource: that secret, parameter or key,
 * nothing wider. Returns false when the grant landed in no policy (a role imported with `mutable: false`
 * takes the statement and drops it: see landedInPolicy).
 * `scope` places the import of a secret given by ARN (one per stack and ARN).
 */
export function grantApiKeyRead(grantee: iam.IGrantable, scope: IConstruct, source: ApiKeySource): boolean {
  checkApiKeyPlacement(scope, source);
  switch (source.kind) {
    case 'secret':
      // The key's part first: it decides whom the key's policy names (see grantSecretKeyDecrypt).
      return [grantSecretKeyDecrypt(grantee, scope, source.secret), landedInPolicy(source.secret.grantRead(grantee))].every(Boolean);
    case 'secretArn':
      return landedInPolicy(importedSecret(scope, source.arn).grantRead(grantee));
    case 'ssm':
      return landedInPolicy(grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [source.arn] })).policyDependable);
    case 'kms':
      return landedInPolicy(source.key.grantDecrypt(grantee));
    case 'plaintext':
    case 'none':
      return true;
  }
}

/** What a role must allow to read the API key, in words (for roles merged tracing cannot change). */
export function apiKeyReadNeeds(source: ApiKeySource): string | undefined {
  const shown = (value: string, what: string) => (Token.isUnresolved(value) ? what : value);
  switch (source.kind) {
    case 'secret': {
      const key = source.secret.encryptionKey;
      return `secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${shown(source.secret.secretArn, `the secret ${source.secret.node.path}`)}` +
        (key ? ` and kms:Decrypt on ${shown(key.keyArn, `its key ${key.node.path}`)}` : '');
    }
    case 'secretArn':
      return `secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${shown(source.arn, 'the apiKeySecretArn secret')}`;
    case 'ssm':
      return `ssm:GetParameter on ${shown(source.arn, 'the apiKeySsmArn parameter')}`;
    case 'kms':
      return `kms:Decrypt on ${shown(source.key.keyArn, `the key ${source.key.node.path}`)}`;
    case 'plaintext':
    case 'none':
      return undefined;
  }
}

/**
 * A secret encrypted with a customer-managed key: `secret.grantRead` adds kms:Decrypt (through Secrets Manager) to the
 * KEY's policy, naming the grantee. When the grantee is not a role it can name there (the shared policy's account
 * principal, a role in a stack that depends on the key's stack), that statement names the account root, which only
 * delegates to IAM: the role's own policy must then allow kms:Decrypt as well, or Secrets Manager is denied the key at
 * run time. So the grantee's policy always gets it, scoped to the one key and to Secrets Manager in the secret's region.
 * Call it before the secret's own grant: a reader in another stack than the key is first made to depend on the key's
 * stack (it reads the secret from there anyway), so that grant names the account; naming the reader's role there
 * would make the key's stack depend on the reader's too, a cycle CDK refuses.
 */
export function grantSecretKeyDecrypt(grantee: iam.IGrantable, reader: IConstruct, secret: secretsmanager.ISecret): boolean {
  const key = secret.encryptionKey;
  if (!key) return true;
  const readerStack = Stack.of(reader);
  const keyStack = Stack.of(key);
  if (readerStack !== keyStack && !readerStack.dependencies.includes(keyStack)) readerStack.addStackDependency(keyStack, 'reads the Datadog API key secret and its KMS key');
  return landedInPolicy(grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
  })).policyDependable);
}

// A complete secret ARN ends in the 6-character suffix Secrets Manager appends to the name.
const COMPLETE_SECRET_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;

/**
 * One imported ISecret per stack and ARN, so grants use Secrets Manager's ARN rules (partial ARNs get `-??????`).
 * Shared with lib/hosts (the ECS agent's API key), so a function and a task reading one ARN share one import.
 */
export function importedSecret(scope: IConstruct, arn: string): secretsmanager.ISecret {
  const stack = Stack.of(scope);
  const id = `DatadogApiKeySecret${stableIdSuffix(stack, arn)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as secretsmanager.ISecret;
  return Token.isUnresolved(arn) || COMPLETE_SECRET_ARN.test(arn)
    ? secretsmanager.Secret.fromSecretCompleteArn(stack, id, arn)
    : secretsmanager.Secret.fromSecretPartialArn(stack, id, arn);
}
