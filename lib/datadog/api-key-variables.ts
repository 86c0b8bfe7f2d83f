import { ApiKeySource } from '../config';

/** Env vars the Datadog extension reads its API key from; we set at most one. */
export const API_KEY_ENV_VARS = ['DD_API_KEY_SECRET_ARN', 'DD_API_KEY_SSM_ARN', 'DD_KMS_API_KEY', 'DD_API_KEY'];

/** The env var pointing the Datadog extension at the API key (at most one). */
export function apiKeyEnvironment(source: ApiKeySource): Record<string, string> {
  switch (source.kind) {
    case 'secret': return { DD_API_KEY_SECRET_ARN: source.secret.secretArn };
    case 'secretArn': return { DD_API_KEY_SECRET_ARN: source.arn };
    case 'ssm': return { DD_API_KEY_SSM_ARN: source.arn };
    case 'kms': return { DD_KMS_API_KEY: source.ciphertext };
    case 'plaintext': return { DD_API_KEY: source.value };
    case 'none': return {};
  }
}

/**
 * The AWS service the extension calls to read its API key, by the variable that points at it: what a function in a
 * VPC needs a way to (an interface VPC endpoint's service name ends in it). DD_API_KEY needs no call.
 */
export const API_KEY_SERVICE_BY_VARIABLE: Readonly<Record<string, string>> = {
  DD_API_KEY_SECRET_ARN: 'secretsmanager',
  DD_API_KEY_SSM_ARN: 'ssm',
  DD_KMS_API_KEY: 'kms',
};
