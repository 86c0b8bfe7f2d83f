import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PARAM } from './facts';
import { Properties } from '../../../lib/check/rules/rule';
import { SnsTopicTracing } from '../../../lib/check/rules/SnsTopicTracing';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { stackIn } from '../../support/fixtures';

describe('SnsTopicTracing', () => {
  test('Active is compliant, PassThrough or unset is not, a deploy-time value is unknown', () => {
    // GIVEN topics Active, PassThrough, unset and from a parameter / WHEN checked / THEN
    expect(SnsTopicTracing.check({ TracingConfig: 'Active' })).toEqual({ outcome: 'compliant', wired: 'X-Ray active tracing on the topic' });
    const fix = 'Set tracingConfig: sns.TracingConfig.ACTIVE (SNS then needs an X-Ray resource policy, which TraceMerging adds) or apply TraceMerging.';
    expect(SnsTopicTracing.check({ TracingConfig: 'PassThrough' })).toEqual({
      outcome: 'non-compliant',
      problem: 'has tracing set to \'PassThrough\', so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace.',
      fix,
    });
    expect(SnsTopicTracing.check({ TopicName: 'orders' })).toEqual({
      outcome: 'non-compliant',
      problem: 'has tracing unset (PassThrough), so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace.',
      fix,
    });
    expect(SnsTopicTracing.check({ TracingConfig: PARAM })).toEqual({ outcome: 'unknown', what: 'its tracing mode (TracingConfig)' });
  });

  test('is a warning: the trace stays connected through a PassThrough topic, only its hop is missing', () => {
    expect(SnsTopicTracing.severity).toBe('warning');
  });
});

describe('SnsTopicTracing on synthesized topics', () => {
  test('a topic MergedTracing instrumented is compliant; one elsewhere in the app, left alone, is not', () => {
    // GIVEN two stacks of one app, MergedTracing applied to the first only
    const app = new App();
    const traced = new sns.Topic(stackIn('us-east-1', {}, app), 'Orders');
    const untraced = new sns.Topic(new Stack(app, 'Other'), 'Alarms');
    MergedTracing.applyTo(Stack.of(traced), { env: 'prod' });
    // WHEN the rule reads each topic's synthesized properties (a topic without any has no Properties key)
    const propsOf = (topic: sns.Topic) =>
      (Object.values(Template.fromStack(Stack.of(topic)).findResources('AWS::SNS::Topic'))[0] as { Properties?: Properties }).Properties ?? {};
    // THEN
    expect(SnsTopicTracing.check(propsOf(traced)).outcome).toBe('compliant');
    expect(SnsTopicTracing.check(propsOf(untraced)).outcome).toBe('non-compliant');
  });
});
