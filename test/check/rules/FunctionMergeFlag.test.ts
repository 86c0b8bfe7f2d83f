import { nodeFunction, PARAM } from './facts';
import { FunctionMergeFlag } from '../../../lib/check/rules/FunctionMergeFlag';
import { TracingMode } from '../../../lib/options';

const RUBY = { Runtime: 'ruby3.3', Handler: 'handler.handle', Layers: [] };

describe('FunctionMergeFlag', () => {
  test('the runtime\'s merge flag at the mode\'s value is compliant (Ruby reads its own name)', () => {
    // GIVEN a Node.js function with DD_MERGE_XRAY_TRACES=true, a Ruby one with DD_MERGE_DATADOG_XRAY_TRACES=true,
    // and a HYBRID function without a flag (the libraries default it to false)
    // WHEN checked / THEN compliant
    expect(FunctionMergeFlag.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: 'DD_MERGE_XRAY_TRACES=true' });
    expect(FunctionMergeFlag.check(nodeFunction(RUBY, { DD_MERGE_XRAY_TRACES: undefined, DD_MERGE_DATADOG_XRAY_TRACES: 'true' })))
      .toEqual({ outcome: 'compliant', wired: 'DD_MERGE_DATADOG_XRAY_TRACES=true' });
    expect(FunctionMergeFlag.check(nodeFunction({}, { DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: undefined })).outcome).toBe('compliant');
  });

  test('missing in SERVERLESS, wrong for the mode, or the other runtime\'s name is non-compliant', () => {
    // GIVEN a Node.js function without the flag, one with true in HYBRID, and a Ruby one with the Node.js name
    const missing = FunctionMergeFlag.check(nodeFunction({}, { DD_MERGE_XRAY_TRACES: undefined }));
    const hybrid = FunctionMergeFlag.check(nodeFunction({}, {}, { mode: TracingMode.HYBRID }));
    const ruby = FunctionMergeFlag.check(nodeFunction(RUBY));
    // THEN non-compliant, each with its fix
    expect(missing).toEqual({
      outcome: 'non-compliant',
      problem: "has DD_MERGE_XRAY_TRACES=unset (false), but SERVERLESS mode needs 'true'. Datadog would start a new trace instead of continuing the X-Ray one.",
      fix: 'Set DD_MERGE_XRAY_TRACES=true.',
    });
    expect(hybrid).toMatchObject({ outcome: 'non-compliant', problem: "has DD_MERGE_XRAY_TRACES='true', but HYBRID mode needs 'false'." });
    expect(ruby).toEqual({
      outcome: 'non-compliant',
      problem: "has DD_MERGE_DATADOG_XRAY_TRACES=unset (false), but SERVERLESS mode needs 'true' (it sets DD_MERGE_XRAY_TRACES, which Ruby does not read). " +
        'Datadog would start a new trace instead of continuing the X-Ray one.',
      fix: 'Set DD_MERGE_DATADOG_XRAY_TRACES=true instead of DD_MERGE_XRAY_TRACES.',
    });
  });

  test('a deploy-time flag, mode or runtime is unknown', () => {
    // GIVEN the flag, DD_TRACE_ENABLED or the runtime from a parameter / WHEN checked / THEN unknown
    expect(FunctionMergeFlag.check(nodeFunction({}, { DD_MERGE_XRAY_TRACES: PARAM }))).toEqual({ outcome: 'unknown', what: 'its DD_MERGE_XRAY_TRACES' });
    expect(FunctionMergeFlag.check(nodeFunction({}, { DD_TRACE_ENABLED: PARAM })).outcome).toBe('unknown');
    expect(FunctionMergeFlag.check(nodeFunction({ Runtime: PARAM })).outcome).toBe('unknown');
  });

  test.each([['java21'], ['dotnet8']])('%s: not applicable, with or without a flag (its tracer reads none)', (runtime) => {
    // GIVEN a Java/.NET function without a merge flag, and one with DD_MERGE_XRAY_TRACES=false
    const props = { Runtime: runtime, Handler: 'Orders::handle', Layers: [] };
    // WHEN checked  THEN not applicable: no merge flag is required where Datadog cannot merge
    expect(FunctionMergeFlag.check(nodeFunction(props, { DD_MERGE_XRAY_TRACES: undefined }))).toEqual({ outcome: 'not-applicable' });
    expect(FunctionMergeFlag.check(nodeFunction(props, { DD_MERGE_XRAY_TRACES: 'false' }))).toEqual({ outcome: 'not-applicable' });
  });
});
