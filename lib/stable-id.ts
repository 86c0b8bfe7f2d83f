import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';

/**
 * A construct-id-safe suffix that is the same for the same value within one app, including tokens
 * (resolved through the stack, so two references to one parameter give one id).
 */
export function stableIdSuffix(stack: Stack, value: string | number): string {
  if (!Token.isUnresolved(value)) return String(value).replace(/[^A-Za-z0-9]/g, '');
  const digest = createHash('sha256').update(JSON.stringify(stack.resolve(value))).digest('hex');
  return `Token${digest.slice(0, 12)}`;
}
