import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';

/**
 * A construct-id-safe suffix that is the same for the same value within one app, including tokens
 * (resolved through the stack, so two references to one parameter give one id).
 */
export function stableIdSuffix(stack: Stack, value: string | number): string {
  if (!Token.isUnresolved(value)) return String(value).replace(/[^A-Za-z0-9]/g, '');
  return `Token${digestOf(JSON.stringify(stack.resolve(value)), 12)}`;
}

/** The first `length` hex digits of a SHA-256 of `text`: a short id part for a long identity. */
export function digestOf(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
