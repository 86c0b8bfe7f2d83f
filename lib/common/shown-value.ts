/** A template value as messages show it: a literal quoted, anything else (a token, an intrinsic) said in words. */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : 'a value only known at deployment';
}
