import { Stack, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { requireSnsXRayPolicy } from './sns-xray-resource-policy';
import { failAt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { TracingConfig } from '../../config';
import { tagResource } from '../tags';

/** The topic tracing mode that sends segments to X-Ray (the other one, PassThrough, only forwards the header). */
export const SNS_ACTIVE_TRACING = 'Active';

/**
 * X-Ray active tracing on an SNS topic (an L2 Topic ends in this CfnTopic too), the X-Ray resource policy of its
 * account and region that lets SNS write the topic's segments, and the unified service tags. Without active tracing SNS
 * still forwards the trace header to its subscribers, but the topic hop itself is missing from the trace.
 */
export function instrumentTopic(topic: sns.CfnTopic, config: TracingConfig): void {
  enableActiveTracing(topic);
  // Also for a mode only known at deployment: if it turns out Active, SNS needs the policy; if not, it is unused.
  requireSnsXRayPolicy(topic, config.options.createSnsXRayResourcePolicy !== false);
  tagResource(topic, config);
}

function enableActiveTracing(topic: sns.CfnTopic): void {
  const current = topic.tracingConfig;
  if (current === SNS_ACTIVE_TRACING) return;
  // A token (a parameter, a Lazy) may still resolve to a literal here.
  const value = current !== undefined && Token.isUnresolved(current) ? Stack.of(topic).resolve(current) : current;
  if (value === SNS_ACTIVE_TRACING) return;
  if (typeof value === 'string') {
    failAt(topic, `has tracingConfig '${value}', so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace.`,
      'Remove tracingConfig from the topic props (merged tracing sets it to Active) or set it to sns.TracingConfig.ACTIVE, or exclude the topic.');
  }
  if (value !== undefined) {
    warnWhileInstrumenting(topic, 'SnsTopicTracingUnknown',
      'X-Ray tracing of this SNS topic is only known at deployment; merged traces need it Active. Set tracingConfig: sns.TracingConfig.ACTIVE.');
    return;
  }
  topic.tracingConfig = SNS_ACTIVE_TRACING;
}
