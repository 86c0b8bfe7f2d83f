import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { shellWord } from './shell-words';
import { failAt } from '../../common/errors';
import { ApiKeySource } from '../../config';
import { apiKeyReadNeeds, grantApiKeyRead } from '../lambda/api-key';

/**
 * The shell lines that set DD_API_KEY on the instance at boot, from the same source the functions read; none without
 * a key. Every value is a shell word that cannot be code (shellWord), and the resource's region, cut from its ARN on the
 * instance (the ARN may be a token here), is the region of the call. One command per line: under `set -e` a failing
 * read then stops the script (inside an && list it would not). Run after DD_INSTALL_DIR exists (agent-user-data.ts).
 */
export function bootApiKeyLines(source: ApiKeySource): string[] | undefined {
  const regionOf = (variable: string) => `--region "$(cut -d: -f4 <<<"$${variable}")"`;
  switch (source.kind) {
    case 'secret':
    case 'secretArn': {
      const arn = source.kind === 'secret' ? source.secret.secretArn : source.arn;
      // The secret holds the key itself (as for the Lambda extension's DD_API_KEY_SECRET_ARN), not JSON.
      return [
        `DD_API_KEY_SECRET_ARN=${shellWord(arn)}`,
        `DD_API_KEY="$(aws secretsmanager get-secret-value ${regionOf('DD_API_KEY_SECRET_ARN')} --secret-id "$DD_API_KEY_SECRET_ARN" --query SecretString --output text)"`,
      ];
    }
    case 'ssm':
      return [
        `DD_API_KEY_SSM_ARN=${shellWord(source.arn)}`,
        `DD_API_KEY="$(aws ssm get-parameter ${regionOf('DD_API_KEY_SSM_ARN')} --name "$DD_API_KEY_SSM_ARN" --with-decryption --query Parameter.Value --output text)"`,
      ];
    case 'kms':
      // fileb:// reads raw bytes in AWS CLI v1 (Amazon Linux 2) and v2 alike; no encryption context, as `aws kms encrypt` writes it.
      return [
        `DD_API_KEY_CIPHERTEXT=${shellWord(source.ciphertext)}`,
        `DD_API_KEY_KMS_KEY_ARN=${shellWord(source.key.keyArn)}`,
        'printf \'%s\' "$DD_API_KEY_CIPHERTEXT" | base64 -d > "$DD_INSTALL_DIR/api-key.enc"',
        `DD_API_KEY="$(aws kms decrypt ${regionOf('DD_API_KEY_KMS_KEY_ARN')} --ciphertext-blob "fileb://$DD_INSTALL_DIR/api-key.enc" ` +
          '--query Plaintext --output text | base64 -d)"',
      ];
    case 'plaintext':
      // Only with allowPlaintextApiKey: the user accepted the key in the template (and so in the user data).
      return [`DD_API_KEY=${shellWord(source.value)}`];
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
