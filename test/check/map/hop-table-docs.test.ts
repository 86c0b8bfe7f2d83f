/**
 * docs/checker.md is the hop table a reader checks verdicts against: every row of HOP_KINDS (its `via` and the AWS page
 * it cites) and every table of Datadog's side must be there, and nothing the code does not have.
 */
import * as fs from 'fs';
import * as path from 'path';
import { HOP_KINDS } from '../../../lib/check/map/hop-kinds';

const CHECKER_MD = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'checker.md'), 'utf-8');
/** The "### Hops" table: its rows by their `via` cell. */
const HOPS_SECTION = CHECKER_MD.slice(CHECKER_MD.indexOf('### Hops\n'), CHECKER_MD.indexOf('### Verdicts\n'));
const DOC_ROWS = new Map(HOPS_SECTION.split('\n').filter((l) => l.startsWith('| `') && !l.startsWith('| `via`')).map((l) => [/^\| `([^`]+)`/.exec(l)![1], l]));

describe("docs/checker.md's hop table", () => {
  test.each(Object.entries(HOP_KINDS))('%s: a row for its via, citing its AWS page', (_name, kind) => {
    const row = DOC_ROWS.get(kind.via);
    expect(row).toBeDefined();
    // The row cites the page itself, or says "same" under the row that does.
    const rows = [...DOC_ROWS.values()];
    const cited = rows.slice(0, rows.indexOf(row!) + 1).reverse().find((r) => r.includes('](https://'));
    expect(cited).toContain(`](${kind.doc})`);
  });

  test('has no row for a hop kind the code does not draw', () => {
    const vias = new Set(Object.values(HOP_KINDS).map((k) => k.via));
    expect([...DOC_ROWS.keys()].filter((via) => !vias.has(via))).toEqual([]);
  });

  test("names Datadog's three tables and the tests that run them", () => {
    for (const name of ['CONSUMER_READINGS', 'PRODUCER_INJECTS', 'SDK_SENDS_XRAY_HEADER', 'test/e2e/consumer-context.test.ts', 'test/e2e/producer-context.test.ts']) {
      expect(CHECKER_MD).toContain(name);
    }
  });
});
