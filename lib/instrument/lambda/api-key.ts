import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { stableIdSuffix } from '../../common/stable-id';
import { ApiKeySource } from '../../config';

/**
 * Gives `grantee` read access to exactly the one API key resource: that secret, parameter or key,
 * nothing wider.
 * `scope` places the import of a secret given by ARN (one per stack and ARN).
 */
export function grantApiKeyRead(grantee: iam.IGrantable, scope: IConstruct, source: ApiKeySource): void {
  switch (source.kind) {
    case 'secret':
      source.secret.grantRead(grantee);
      return;
    case 'secretArn':
      importedSecret(scope, source.arn).grantRead(grantee);
      return;
    case 'ssm':
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [source.arn] }));
      return;
    case 'kms':
      source.key.grantDecrypt(grantee);
      return;
    case 'plaintext':
    case 'none':
      return;
  }
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
