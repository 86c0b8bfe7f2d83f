import { Fn, Token } from 'aws-cdk-lib';

/**
 * A bash word that expands to exactly `value`, and never runs any part of it: the one way a value the user passes
 * enters a boot script. A literal is single-quoted (a `'` inside closes the quote, adds an escaped `\'` and reopens it).
 * A value only known at deployment cannot be quoted at synthesis: CloudFormation base64-encodes it (Fn::Base64), whose
 * alphabet holds no quote, and the host decodes it as data. Values are checked before they are used (host-values.ts);
 * this is the second line of defence, which holds even for a value no check foresaw.
 */
export function shellWord(value: string): string {
  if (Token.isUnresolved(value)) return decoded(Fn.base64(value));
  // A line break or other control character would make a value span lines of the script, where a line could end the
  // heredoc that writes it: such a value goes base64-encoded too.
  if (/[\x00-\x1f\x7f]/.test(value)) return decoded(Buffer.from(value, 'utf-8').toString('base64'));
  return `'${value.replace(/'/g, "'\\''")}'`;
}

function decoded(base64: string): string {
  return `"$(printf '%s' '${base64}' | base64 -d)"`;
}
