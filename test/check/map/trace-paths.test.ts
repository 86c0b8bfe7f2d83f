import { Trace } from '../../../lib/check/map/hop-kinds';
import { TraceEdge } from '../../../lib/check/map/trace-map';
import { MAX_PATHS, tracePaths } from '../../../lib/check/map/trace-paths';

const hop = (from: string, to: string, trace: Trace = 'continues', reason?: string): TraceEdge =>
  ({ from, to, via: 'test hop', trace, ...(reason ? { reason } : {}) });

describe('trace paths', () => {
  test('one path per way from each entry point to where it ends; the first break wins over a later one and over an earlier unknown', () => {
    // GIVEN api -> a -> b (unknown) -> c (breaks) -> d (breaks), and a -> e
    const edges = [
      hop('api', 'a'), hop('a', 'b', 'unknown', 'b is unknown'), hop('b', 'c', 'breaks', 'c breaks'), hop('c', 'd', 'breaks', 'd breaks'), hop('a', 'e'),
    ];
    // WHEN
    const { paths, omitted } = tracePaths(edges);
    // THEN
    expect(paths).toEqual([
      { through: ['api', 'a', 'b', 'c', 'd'], trace: 'breaks', at: 'c', because: 'c breaks' },
      { through: ['api', 'a', 'e'], trace: 'continues' },
    ]);
    expect(omitted).toBe(0);
  });

  test('an unknown hop with no break after it makes the path unknown at that hop', () => {
    // GIVEN / WHEN / THEN
    expect(tracePaths([hop('topic', 'fn', 'unknown', 'why')]).paths).toEqual([{ through: ['topic', 'fn'], trace: 'unknown', at: 'fn', because: 'why' }]);
  });

  test('a cycle is cut where it comes back; a cycle nothing enters has no entry point', () => {
    // GIVEN api -> a -> b -> a, and x <-> y alone
    const edges = [hop('api', 'a'), hop('a', 'b'), hop('b', 'a'), hop('x', 'y'), hop('y', 'x')];
    // WHEN / THEN
    expect(tracePaths(edges).paths).toEqual([{ through: ['api', 'a', 'b'], trace: 'continues' }]);
  });

  test(`more than ${MAX_PATHS} paths: the first ${MAX_PATHS} are listed and the rest counted`, () => {
    // GIVEN one entry fanning out to MAX_PATHS + 5 functions
    const edges = Array.from({ length: MAX_PATHS + 5 }, (_, i) => hop('api', `fn${String(i).padStart(3, '0')}`));
    // WHEN
    const { paths, omitted, countStopped } = tracePaths(edges);
    // THEN
    expect(paths).toHaveLength(MAX_PATHS);
    expect([omitted, countStopped]).toEqual([5, false]);
  });
});
