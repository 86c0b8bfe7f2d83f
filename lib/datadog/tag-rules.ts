/**
 * Datadog's tag rules (https://docs.datadoghq.com/getting_started/tagging/#define-tags), as this library applies them
 * to every value that becomes a tag: env, service, version and the `tags` option. Datadog would lowercase or rewrite a
 * value that breaks them, and a rewritten env no longer matches the rest of the deployment; so a value is refused with
 * the value Datadog would have made of it. The same rules guard the EC2 boot script at run time (host-values.ts).
 */

/** Characters a tag value may hold: lowercase letters, digits, `_`, `-`, `:`, `.` and `/`. */
export const TAG_VALUE_CHARACTERS = 'a-z0-9_\\-:./';
/** A whole tag value: one or more of those characters. */
export const TAG_VALUE = new RegExp(`^[${TAG_VALUE_CHARACTERS}]+$`);
/** A tag key starts with a letter and has no `:` (DD_TAGS splits each `key:value` pair at its first colon). */
export const TAG_KEY = /^[a-z][a-z0-9_\-./]*$/;
/** Datadog keeps at most 200 characters of a tag (`key:value` together). */
export const MAX_TAG_LENGTH = 200;

/** What is wrong with `value` as a tag value (undefined: nothing), in words that end in the rule. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > MAX_TAG_LENGTH) return `is ${value.length} characters long; Datadog tags hold at most ${MAX_TAG_LENGTH}`;
  if (!TAG_VALUE.test(value)) return "breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only)";
  return undefined;
}

/** What is wrong with `key` as a tag key (undefined: nothing). */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (!TAG_KEY.test(key)) {
    return "breaks Datadog's tag rules for keys (a lowercase letter first, then lowercase letters, digits, '_', '-', '.' and '/'; no ':', ',' or spaces)";
  }
  return undefined;
}

/** The value Datadog would make of `value`: lowercased, other characters turned into `_`, cut at 200. */
export function suggestedTag(value: string): string {
  return value.toLowerCase().replace(new RegExp(`[^${TAG_VALUE_CHARACTERS}]`, 'g'), '_').slice(0, MAX_TAG_LENGTH);
}

/** A suggested key: as a value, with `:` turned into `_` and a leading non-letter prefixed. */
export function suggestedTagKey(key: string): string {
  const value = suggestedTag(key).replace(/:/g, '_');
  return /^[a-z]/.test(value) ? value : `t${value}`;
}

/**
 * The same rules as bash `[[ =~ ]]` patterns (POSIX bracket expressions take no backslash escapes, so `-` goes last), for
 * the EC2 boot script, which checks every value again once the host has it (run under LC_ALL=C, so a-z is ASCII).
 */
export const BASH_TAG_VALUE = `^[a-z0-9_:./-]{1,${MAX_TAG_LENGTH}}$`;
const BASH_TAG = '[a-z][a-z0-9_./-]*:[a-z0-9_:./-]+';
/** Host tags: `key:value` pairs joined by commas. */
export const BASH_TAG_LIST = `^${BASH_TAG}(,${BASH_TAG})*$`;
