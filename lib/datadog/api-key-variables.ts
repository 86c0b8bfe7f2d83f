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
