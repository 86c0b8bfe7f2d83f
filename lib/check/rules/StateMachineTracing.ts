import { compliant, isIntrinsic, nonCompliant, Properties, Rule, unknown } from './rule';

/** A state machine without X-Ray breaks the trace between the functions it invokes. */
export const StateMachineTracing: Rule<Properties> = {
  name: 'StateMachineTracing',
  severity: 'error',
  check: (props) => {
    const config = props.TracingConfiguration;
    if (isIntrinsic(config) && !('Enabled' in (config as object))) return unknown('its TracingConfiguration');
    const enabled = (config as { Enabled?: unknown } | undefined)?.Enabled;
    if (enabled === true || enabled === 'true') return compliant('X-Ray tracing on the state machine');
    if (isIntrinsic(enabled)) return unknown('whether X-Ray tracing is on (TracingConfiguration.Enabled)');
    return nonCompliant('has X-Ray tracing off, so the trace breaks between the functions it invokes.',
      'Set tracingEnabled: true on the state machine (its role needs xray:PutTraceSegments) or apply TraceMerging.');
  },
};
