import { compliant, isIntrinsic, nonCompliant, Properties, Rule, unknown } from './rule';

/** A REST API stage with X-Ray on starts the merged trace; with it off, the API hop is missing. */
export const RestStageTracing: Rule<Properties> = {
  name: 'RestStageTracing',
  severity: 'error',
  check: (props) => {
    const enabled = props.TracingEnabled;
    if (enabled === true || enabled === 'true') return compliant('X-Ray tracing on the stage');
    if (isIntrinsic(enabled)) return unknown('whether X-Ray tracing is on (TracingEnabled)');
    return nonCompliant('has X-Ray tracing off, so the merged trace starts at the function and misses the API hop.',
      'Set tracingEnabled: true in the stage (deployOptions) or apply TraceMerging.');
  },
};
