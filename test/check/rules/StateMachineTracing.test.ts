import { PARAM } from './facts';
import { StateMachineTracing } from '../../../lib/check/rules/StateMachineTracing';

describe('StateMachineTracing', () => {
  test('on is compliant, off or absent is not, a deploy-time value is unknown', () => {
    // GIVEN state machines with tracing on, off, absent and from a parameter / WHEN checked / THEN
    expect(StateMachineTracing.check({ TracingConfiguration: { Enabled: true } })).toEqual({ outcome: 'compliant', wired: 'X-Ray tracing on the state machine' });
    const off = {
      outcome: 'non-compliant',
      problem: 'has X-Ray tracing off, so the trace breaks between the functions it invokes.',
      fix: 'Set tracingEnabled: true on the state machine (its role needs xray:PutTraceSegments) or apply TraceMerging.',
    };
    expect(StateMachineTracing.check({ TracingConfiguration: { Enabled: false } })).toEqual(off);
    expect(StateMachineTracing.check({})).toEqual(off);
    expect(StateMachineTracing.check({ TracingConfiguration: { Enabled: PARAM } })).toEqual({ outcome: 'unknown', what: 'whether X-Ray tracing is on (TracingConfiguration.Enabled)' });
    expect(StateMachineTracing.check({ TracingConfiguration: PARAM })).toEqual({ outcome: 'unknown', what: 'its TracingConfiguration' });
  });
});
