import type { Sample } from '../../bench/measure';
import { compare, median, pairedRatio, relativeGrowth, summarize, VARIANTS } from '../../bench/report';
import { runOrder } from '../../bench/run';

function sample(variant: string, functions: number, synthMs: number, peakRssKb: number, templateBytes: number): Sample {
  const common = { loadMs: 50, resources: functions * 6, rssSource: 'time -v' as const };
  const times = { buildMs: synthMs / 4, synthMs: (synthMs * 3) / 4, cpuMs: synthMs * 1.5, processMs: synthMs + 500 };
  return { ...common, ...times, variant, functions, maxRssKb: peakRssKb, peakRssKb, templateBytes };
}

describe('bench report arithmetic', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toEqual(2);
    expect(median([4, 1, 3, 2])).toEqual(2.5);
  });

  test('medians per variant and size, then ratios b/a, b/c, the floor d/a, b/d and bytes per function', () => {
    // GIVEN three repetitions of each variant at 100 functions, with one outlier each
    const samples = [
      sample('plain', 100, 1000, 400_000, 500_000), sample('plain', 100, 1100, 410_000, 500_000), sample('plain', 100, 9000, 420_000, 500_000),
      sample('merged', 100, 1050, 420_000, 650_000), sample('merged', 100, 1155, 430_000, 650_000), sample('merged', 100, 50, 440_000, 650_000),
      sample('datadog', 100, 1400, 440_000, 700_000), sample('datadog', 100, 1500, 450_000, 700_000), sample('datadog', 100, 1600, 460_000, 700_000),
      sample('handwritten', 100, 990, 415_000, 650_000), sample('handwritten', 100, 1000, 415_000, 650_000), sample('handwritten', 100, 1010, 415_000, 650_000),
    ];

    // WHEN
    const summaries = summarize(samples);
    const [comparison] = compare(summaries);

    // THEN outliers do not move the medians
    expect(summaries.find((s) => s.variant === 'plain')).toMatchObject({ repetitions: 3, synthMs: 1100, peakRssKb: 410_000, wallSpread: 9 });
    expect(summaries.find((s) => s.variant === 'merged')).toMatchObject({ synthMs: 1050, peakRssKb: 430_000 });
    expect(comparison.functions).toEqual(100);
    expect(comparison.timeBA).toBeCloseTo(1050 / 1100, 6);
    expect(comparison.timeBC).toBeCloseTo(1050 / 1500, 6);
    expect(comparison.rssBA).toBeCloseTo(430 / 410, 6);
    expect(comparison.bytesPerFunctionB).toEqual(1500);
    expect(comparison.bytesPerFunctionC).toEqual(2000);
    expect(comparison.overheadBC).toBeCloseTo((1050 - 1100) / (1500 - 1100), 6);
    expect(comparison.timeDA).toBeCloseTo(1000 / 1100, 6);
    expect(comparison.timeBD).toBeCloseTo(1050 / 1000, 6);
    expect(comparison.cpuBD).toBeCloseTo((1050 * 1.5) / (1000 * 1.5), 6);
  });

  test('growth of b relative to a is 1 when both scale alike and above 1 when b grows faster', () => {
    // GIVEN plain doubling from 100 to 1,000 functions, merged doubling (alike) or tripling (faster)
    const alike = summarize([
      sample('plain', 100, 1000, 1, 1), sample('plain', 1000, 2000, 1, 1),
      sample('merged', 100, 1100, 1, 1), sample('merged', 1000, 2200, 1, 1),
    ]);
    const faster = summarize([
      sample('plain', 100, 1000, 1, 1), sample('plain', 1000, 2000, 1, 1),
      sample('merged', 100, 1100, 1, 1), sample('merged', 1000, 3300, 1, 1),
    ]);

    // THEN
    expect(relativeGrowth(alike)).toBeCloseTo(1, 6);
    expect(relativeGrowth(faster)).toBeCloseTo(1.5, 6);
    expect(relativeGrowth(faster, 'cpuMs')).toBeCloseTo(1.5, 6);
    expect(relativeGrowth(summarize([sample('plain', 10, 1, 1, 1), sample('merged', 10, 1, 1, 1)]))).toBeUndefined();
  });
  test('paired ratios divide within each repetition, so a slow round moves both sides of a pair', () => {
    // GIVEN three repetitions in which the machine ran 1x, 2x and 1.5x slow for both variants, in run order
    const samples = [
      sample('handwritten', 100, 1000, 1, 1), sample('merged', 100, 1020, 1, 1),
      sample('merged', 100, 2080, 1, 1), sample('handwritten', 100, 2000, 1, 1),
      sample('handwritten', 100, 1500, 1, 1), sample('merged', 100, 1515, 1, 1),
      sample('merged', 1000, 9999, 1, 1),
    ];

    // WHEN
    const wall = pairedRatio(samples, 100, 'merged', 'handwritten', 'wall');
    const cpu = pairedRatio(samples, 100, 'merged', 'handwritten', 'cpu');

    // THEN each repetition gives its own ratio (1.02, 1.04, 1.01) and the median is taken over them
    expect(wall).toEqual({ median: 1.02, min: 1.01, max: 1.04, pairs: 3 });
    expect(cpu?.median).toBeCloseTo(1.02, 10);
    // THEN the ratio of the medians mixes rounds: 1515 / 1500
    expect(compare(summarize([...samples.slice(0, 6),
      sample('plain', 100, 1, 1, 1), sample('datadog', 100, 1, 1, 1)]))[0].timeBD).toBeCloseTo(1515 / 1500, 10);
    // THEN a size or variant without samples has no paired ratio
    expect(pairedRatio(samples, 1000, 'merged', 'handwritten', 'wall')).toBeUndefined();
  });
  test('run order: every variant once per repetition, (b) and (d) back to back in turn, blocks rotated', () => {
    // WHEN four repetitions are ordered
    const orders = [0, 1, 2, 3].map(runOrder);

    // THEN each holds every variant once, and (b) and (d) are neighbours, each first every other time
    for (const order of orders) {
      expect([...order].sort()).toEqual([...VARIANTS].sort());
      expect(Math.abs(order.indexOf('merged') - order.indexOf('handwritten'))).toEqual(1);
    }
    expect(orders.map((o) => o.indexOf('merged') < o.indexOf('handwritten'))).toEqual([true, false, true, false]);
    // THEN no variant always runs first
    expect(new Set(orders.slice(0, 3).map((o) => o[0])).size).toEqual(3);
  });
});
