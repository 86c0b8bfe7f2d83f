import { compliant, isIntrinsic, nonCompliant, Properties, Rule, shown, unknown } from './rule';

/**
 * An SNS topic in PassThrough mode (the default) forwards the trace header to its subscribers but sends no
 * segment, so the trace stays connected and only the topic hop is missing: a warning, not an error (and
 * topics that only carry alarms or e-mails need no tracing at all).
 */
export const SnsTopicTracing: Rule<Properties> = {
  name: 'SnsTopicTracing',
  severity: 'warning',
  check: (props) => {
    const mode = props.TracingConfig;
    if (mode === 'Active') return compliant('X-Ray active tracing on the topic');
    if (isIntrinsic(mode)) return unknown('its tracing mode (TracingConfig)');
    return nonCompliant(
      `has tracing ${mode === undefined ? 'unset (PassThrough)' : `set to ${shown(mode)}`}, so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace.`,
      'Set tracingConfig: sns.TracingConfig.ACTIVE (SNS then needs an X-Ray resource policy, which TraceMerging adds) or apply TraceMerging.');
  },
};
