import { nodeFunction, PARAM } from './facts';
import { FunctionActiveTracing } from '../../../lib/check/rules/FunctionActiveTracing';

describe('FunctionActiveTracing', () => {
  test('Active is compliant', () => {
    // GIVEN a function with active tracing / WHEN checked / THEN compliant
    expect(FunctionActiveTracing.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: 'X-Ray active tracing' });
  });

  test('no TracingConfig and PassThrough are non-compliant, with the fix', () => {
    // GIVEN functions without tracing and with PassThrough
    // WHEN checked
    const off = FunctionActiveTracing.check(nodeFunction({ TracingConfig: undefined }));
    const passThrough = FunctionActiveTracing.check(nodeFunction({ TracingConfig: { Mode: 'PassThrough' } }));
    // THEN both are non-compliant and say what to set
    expect(off).toEqual({
      outcome: 'non-compliant',
      problem: 'has X-Ray tracing off, so the merged trace breaks at this function.',
      fix: 'Set tracing: lambda.Tracing.ACTIVE (the L2 also grants xray:PutTraceSegments), or apply TraceMerging to it.',
    });
    expect(passThrough).toMatchObject({ outcome: 'non-compliant', problem: "has X-Ray tracing set to 'PassThrough', so the merged trace breaks at this function." });
  });

  test('a deploy-time mode is unknown', () => {
    // GIVEN TracingConfig.Mode from a parameter / WHEN checked / THEN unknown, not a pass
    expect(FunctionActiveTracing.check(nodeFunction({ TracingConfig: { Mode: PARAM } })))
      .toEqual({ outcome: 'unknown', what: 'its X-Ray tracing mode (TracingConfig.Mode)' });
  });
});
