import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import { shellWord } from '../../../lib/instrument/hosts/shell-words';

/** What bash prints for `printf '%s' <word>`: the value the word expands to. */
function expanded(word: string): string {
  const run = spawnSync('bash', ['-c', `printf '%s' ${word}`], { encoding: 'utf-8', timeout: 10_000 });
  expect(run.stderr).toBe('');
  return run.stdout;
}

describe('shellWord', () => {
  test('a literal expands to itself, whatever it holds: quotes, $(...), backticks, line breaks, any code point', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }).filter((v) => !v.includes('\u0000')), (value) => {
      // GIVEN any value bash can hold (no NUL)  WHEN it is written as a shell word and expanded
      // THEN bash gives back exactly the value ("$(...)" cuts trailing line breaks, which no checked value has)
      expect(expanded(shellWord(value))).toBe(/[\x00-\x1f\x7f]/.test(value) ? value.replace(/\n+$/, '') : value);
    }), { numRuns: 150 });
  });

  test('quotes are closed, escaped and reopened; a line break goes base64-encoded so the word stays on one line', () => {
    expect(shellWord("a';touch pwned;'")).toBe("'a'\\'';touch pwned;'\\'''");
    expect(shellWord('a\nDATADOG_TRACING\ntouch pwned')).toBe(`"$(printf '%s' '${Buffer.from('a\nDATADOG_TRACING\ntouch pwned').toString('base64')}' | base64 -d)"`);
  });
});
