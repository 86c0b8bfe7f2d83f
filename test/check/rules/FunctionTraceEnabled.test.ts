import { nodeFunction, PARAM } from './facts';
import { FunctionTraceEnabled } from '../../../lib/check/rules/FunctionTraceEnabled';
import { TracingMode } from '../../../lib/options';

describe('FunctionTraceEnabled', () => {
  test('true in SERVERLESS, false in HYBRID (inferred from the function) are compliant', () => {
    // GIVEN a SERVERLESS function and one with DD_TRACE_ENABLED=false (inferred HYBRID)
    // WHEN checked / THEN compliant, the report says which mode
    expect(FunctionTraceEnabled.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: 'DD_TRACE_ENABLED=true (SERVERLESS)' });
    expect(FunctionTraceEnabled.check(nodeFunction({}, { DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false' })))
      .toEqual({ outcome: 'compliant', wired: 'DD_TRACE_ENABLED=false (HYBRID)' });
  });

  test('a value wrong for the expected mode is non-compliant', () => {
    // GIVEN DD_TRACE_ENABLED=false where SERVERLESS is expected, and unset (true) where HYBRID is
    const serverless = FunctionTraceEnabled.check(nodeFunction({}, { DD_TRACE_ENABLED: 'false' }, { mode: TracingMode.SERVERLESS }));
    const hybrid = FunctionTraceEnabled.check(nodeFunction({}, { DD_TRACE_ENABLED: undefined }, { mode: TracingMode.HYBRID }));
    // THEN both non-compliant with the value to set
    expect(serverless).toEqual({
      outcome: 'non-compliant',
      problem: "has DD_TRACE_ENABLED='false', but SERVERLESS mode needs 'true' (Datadog traces the function).",
      fix: 'Set DD_TRACE_ENABLED=true, or change the expected mode.',
    });
    expect(hybrid).toMatchObject({
      outcome: 'non-compliant',
      problem: "has DD_TRACE_ENABLED=unset (true), but HYBRID mode needs 'false' (X-Ray traces the function; the host side continues the trace).",
    });
  });

  test('a deploy-time value is unknown', () => {
    // GIVEN DD_TRACE_ENABLED from a parameter / WHEN checked / THEN unknown
    expect(FunctionTraceEnabled.check(nodeFunction({}, { DD_TRACE_ENABLED: PARAM }))).toEqual({ outcome: 'unknown', what: 'its DD_TRACE_ENABLED' });
  });
});

test('FunctionTraceEnabled: unset is compliant in SERVERLESS (the libraries default to true), and the report says it is a default', () => {
  // GIVEN a function without DD_TRACE_ENABLED / WHEN checked / THEN compliant, named as a default
  expect(FunctionTraceEnabled.check(nodeFunction({}, { DD_TRACE_ENABLED: undefined })))
    .toEqual({ outcome: 'compliant', wired: 'DD_TRACE_ENABLED=unset (true by default) (SERVERLESS)' });
});
