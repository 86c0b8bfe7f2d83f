import { compliant, isIntrinsic, nonCompliant, Properties, Rule, unknown } from './rule';

/**
 * An AppSync GraphQL API with X-Ray on passes the trace to its Lambda resolvers; with it off, each
 * resolver starts a trace of its own and the GraphQL request is missing from the merged trace.
 */
export const GraphqlApiTracing: Rule<Properties> = {
  name: 'GraphqlApiTracing',
  severity: 'error',
  check: (props) => {
    const enabled = props.XrayEnabled;
    if (enabled === true || enabled === 'true') return compliant('X-Ray tracing on the GraphQL API');
    if (isIntrinsic(enabled)) return unknown('whether X-Ray tracing is on (XrayEnabled)');
    return nonCompliant('has X-Ray tracing off, so its Lambda resolvers start traces of their own and the GraphQL request is missing from the merged trace.',
      'Set xrayEnabled: true on the API or apply TraceMerging.');
  },
};
