import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runBenchmark } from '../../bench/run';

/** Rows of the Markdown table that starts with `header`, as arrays of trimmed cells. */
function tableAfter(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const NUMBER = /^-?[\d,]+(\.\d+)?$/;

describe('npm run bench (10-function smoke; no timing asserted)', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bench-smoke-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('measures the four variants in fresh processes and writes well-formed tables', async () => {
    // GIVEN one size of 10 functions, one repetition, no warm-up
    const out = join(dir, 'RESULTS.md');

    // WHEN
    const { markdown, samples } = await runBenchmark({ sizes: [10], repetitions: 1, out, warmup: false });

    // THEN every variant ran once, each in its own process, and synthesized real templates
    expect(samples.map((s) => s.variant).sort()).toEqual(['datadog', 'handwritten', 'merged', 'plain']);
    expect(new Set(samples.map((s) => s.functions))).toEqual(new Set([10]));
    for (const s of samples) {
      expect(s.templateBytes).toBeGreaterThan(0);
      expect(s.peakRssKb).toBeGreaterThan(0);
      expect(s.processMs).toBeGreaterThan(s.buildMs + s.synthMs);
    }
    const bytes = Object.fromEntries(samples.map((s) => [s.variant, s.templateBytes]));
    expect(bytes.merged).toBeGreaterThan(bytes.plain);
    expect(bytes.datadog).toBeGreaterThan(bytes.plain);
    expect(bytes.handwritten).toBeGreaterThan(bytes.plain);

    // THEN the file is what was returned, with the machine and the three tables
    expect(readFileSync(out, 'utf8')).toEqual(markdown);
    expect(markdown).toMatch(/\| CPU \| .+ \(nproc \d+\) \|/);
    expect(markdown).toMatch(/\| Node \| v\d+\.\d+\.\d+/);

    const medians = tableAfter(markdown, '| Functions | Variant |');
    expect(medians).toHaveLength(2 + 4);
    expect(medians.slice(2).map((r) => r[1])).toEqual([
      '(a) plain CDK', '(b) MergedTracingStack + checker', '(c) datadog-cdk-constructs-v2 3.12.0', '(d) the templates of (b), written by hand',
    ]);
    for (const row of medians.slice(2)) {
      expect(row).toHaveLength(medians[0].length);
      expect(row[0]).toEqual('10');
      for (const cell of row.slice(2)) expect(cell).toMatch(NUMBER);
    }

    const ratios = tableAfter(markdown, '| Functions | b/a time |');
    expect(ratios).toHaveLength(2 + 1);
    expect(ratios[2]).toHaveLength(ratios[0].length);
    for (const cell of ratios[2]) expect(cell).toMatch(NUMBER);

    expect(markdown).toMatch(/The floor: writing the templates of \(b\) by hand, with no library at all, costs \d+\.\d\d times plain CDK/);

    // THEN the trace map's share, from one profiled (b) run of the largest size (its functions may be too quick to be sampled at 10)
    expect(markdown).toMatch(/One run of \(b\) at 10 functions \(20 stacks\) under `node --cpu-prof`: the trace map's own functions took [\d,]+ ms of [\d,]+ ms construct \+ synth, \*\*\d+\.\d\d%\*\* \(target <= 1%: (met|\*\*not met\*\*)\)/);
    for (const row of tableAfter(markdown, '| Function (inclusive) |').slice(2)) {
      expect(row[0]).toMatch(/^`(templateHops|traceMap|tracePaths|mapMarkdown|mapNode|addTraceBreaks) .*lib\/check\/.*`$/);
      expect(row[1]).toMatch(NUMBER);
    }

    // THEN issue 12's targets, each with a verdict; b/d and b/c also as paired ratios with their range
    const targets = tableAfter(markdown, '| Target |').slice(2);
    expect(targets.map((r) => r[0])).toEqual([
      'b/d (this library\'s own work) <= 1.03', 'b/c (against datadog-cdk-constructs-v2) <= 0.90', 'b/a peak RSS <= 1.05',
    ]);
    for (const row of targets) expect(row[row.length - 1]).toMatch(/^(met|\*\*not met\*\*)$/);
    for (const row of targets.slice(0, 2)) {
      expect(row[1]).toMatch(/^\d+\.\d{3} \[\d+\.\d\d-\d+\.\d\d\]$/);
      expect(row[2]).toMatch(/^\d+\.\d{3} \[\d+\.\d\d-\d+\.\d\d\]$/);
    }
  });
});
