import { PARAM } from './facts';
import { RestStageTracing } from '../../../lib/check/rules/RestStageTracing';

describe('RestStageTracing', () => {
  test('on is compliant, off or absent is not, a deploy-time value is unknown', () => {
    // GIVEN stages with tracing on, off, absent and from a parameter / WHEN checked / THEN
    expect(RestStageTracing.check({ TracingEnabled: true })).toEqual({ outcome: 'compliant', wired: 'X-Ray tracing on the stage' });
    const off = {
      outcome: 'non-compliant',
      problem: 'has X-Ray tracing off, so the merged trace starts at the function and misses the API hop.',
      fix: 'Set tracingEnabled: true in the stage (deployOptions) or apply TraceMerging.',
    };
    expect(RestStageTracing.check({ TracingEnabled: false })).toEqual(off);
    expect(RestStageTracing.check({})).toEqual(off);
    expect(RestStageTracing.check({ TracingEnabled: PARAM })).toEqual({ outcome: 'unknown', what: 'whether X-Ray tracing is on (TracingEnabled)' });
  });
});
