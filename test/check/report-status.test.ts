import { statusOf, StatusInput } from '../../lib/check/report-status';
import { MergeSupport } from '../../lib/datadog/runtimes';
import { TracingMode } from '../../lib/options';

const NODE = { kind: 'function', mode: TracingMode.SERVERLESS, merge: MergeSupport.MERGES } as const;
const STAGE = { kind: 'xray-only', tracingRule: 'RestStageTracing' } as const;
const HTTP = { kind: 'no-xray', rule: 'HttpApiNoXRay' } as const;

function status(input: Partial<StatusInput> & Pick<StatusInput, 'nature'>): string {
  return statusOf({ missing: [], unknown: [], acknowledged: [], missingGrants: [], ...input });
}

describe('statusOf', () => {
  test('a fully wired function follows what Datadog can do with its runtime', () => {
    // GIVEN wired functions of each merge support / WHEN judged / THEN
    expect(status({ nature: NODE })).toBe('merged');
    expect(status({ nature: { ...NODE, merge: MergeSupport.NONE } })).toBe('traced-not-merged');
    expect(status({ nature: { ...NODE, merge: MergeSupport.IN_CODE } })).toBe('needs-code');
    expect(status({ nature: { ...NODE, merge: undefined } })).toBe('unknown');
    expect(status({ nature: { ...NODE, mode: undefined } })).toBe('unknown');
  });

  test('HYBRID is X-Ray traced whatever the runtime merges', () => {
    expect(status({ nature: { ...NODE, mode: TracingMode.HYBRID } })).toBe('xray-traced');
    expect(status({ nature: { ...NODE, mode: TracingMode.HYBRID, merge: MergeSupport.NONE } })).toBe('xray-traced');
  });

  test('missing beats unknown beats acknowledged beats the nature', () => {
    // GIVEN a function with findings of each kind / WHEN judged / THEN the most urgent wins
    expect(status({ nature: NODE, missing: ['FunctionDdEnv'], unknown: ['FunctionActiveTracing'], acknowledged: ['X'] })).toBe('incomplete');
    expect(status({ nature: NODE, missingGrants: ['ImmutableRole'] })).toBe('incomplete');
    expect(status({ nature: NODE, unknown: ['FunctionActiveTracing'], acknowledged: ['X'] })).toBe('unknown');
    expect(status({ nature: NODE, acknowledged: ['FunctionActiveTracing'] })).toBe('acknowledged');
  });

  test('X-Ray-only resources: not-traced when their tracing rule fails, xray-traced when on', () => {
    expect(status({ nature: STAGE, missing: ['RestStageTracing'] })).toBe('not-traced');
    expect(status({ nature: STAGE, missing: ['EnvMismatch'] })).toBe('incomplete');
    expect(status({ nature: STAGE })).toBe('xray-traced');
    expect(status({ nature: { kind: 'host' } })).toBe('datadog-traced');
  });

  test('a service without X-Ray is not-traced, acknowledged once its finding is, incomplete for other gaps', () => {
    expect(status({ nature: HTTP, missing: ['HttpApiNoXRay'] })).toBe('not-traced');
    expect(status({ nature: HTTP })).toBe('not-traced');
    expect(status({ nature: HTTP, acknowledged: ['HttpApiNoXRay'] })).toBe('acknowledged');
    expect(status({ nature: HTTP, missing: ['HttpApiNoXRay', 'EnvMismatch'] })).toBe('incomplete');
  });
});
