import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { failAt } from '../../common/errors';
import { ApiKeySource } from '../../config';
import { apiKeyReadNeeds, grantApiKeyRead } from '../lambda/api-key';

/**
 * The shell lines that set DD_API_KEY on the instance at boot, from the same source the functions read; none without
 * a key. One command per line: under `set -e` a failing read then stops the script (inside an && list it would not).
 */
export function bootApiKeyLines(source: ApiKeySource): string[] | undefined {
  // The region of the call is the resource's own, cut from its ARN on the instance (the ARN may be a token here).
  const regionOf = (arn: string) => `--region "$(echo '${arn}' | cut -d: -f4)"`;
  switch (source.kind) {
    case 'secret':
    case 'secretArn': {
      const arn = source.kind === 'secret' ? source.secret.secretArn : source.arn;
      // The secret holds the key itself (as for the Lambda extension's DD_API_KEY_SECRET_ARN), not JSON.
      return [`DD_API_KEY="$(aws secretsmanager get-secret-value ${regionOf(arn)} --secret-id '${arn}' --query SecretString --output text)"`];
    }
    case 'ssm':
      return [`DD_API_KEY="$(aws ssm get-parameter ${regionOf(source.arn)} --name '${source.arn}' --with-decryption --query Parameter.Value --output text)"`];
    case 'kms':
      // fileb:// reads raw bytes in AWS CLI v1 (Amazon Linux 2) and v2 alike; no encryption context, as `aws kms encrypt` writes it.
      return [
        `echo '${source.ciphertext}' | base64 -d > /run/datadog-api-key.enc`,
        `DD_API_KEY="$(aws kms decrypt ${regionOf(source.key.keyArn)} --ciphertext-blob fileb:///run/datadog-api-key.enc ` +
          '--query Plaintext --output text | base64 -d)"',
        'rm -f /run/datadog-api-key.enc',
      ];
    case 'plaintext':
      // Only with allowPlaintextApiKey: the user accepted the key in the template (and so in the user data).
      return [`DD_API_KEY='${source.value}'`];
    case 'none':
      return undefined;
  }
}

/** Gives the instance role exactly the read of the one API key resource; refuses a role that cannot take it. */
export function grantBootApiKeyRead(scope: IConstruct, role: iam.IRole, source: ApiKeySource): void {
  const landed = grantApiKeyRead(role, scope, source);
  // An app's own iam.Role lays its policies out at synthesis, so only an imported role can be asked (see landedInPolicy).
  if (landed || role instanceof iam.Role) return;
  failAt(scope, `the instance role ${role.node.path} cannot be given the read of the Datadog API key (an immutable imported role), ` +
    'so the Agent could not read it at boot.', `Allow ${apiKeyReadNeeds(source)} in that role's own policy, or pass a role this app may change.`);
}
