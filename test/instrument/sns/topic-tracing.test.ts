import { App, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MergedTracing } from '../../../lib';
import { ackWarning, logicalId, stackIn, synthError } from '../../support/fixtures';

const TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.2.3' }];

/** The properties of the stack's AWS::XRay::ResourcePolicy resources. */
function xrayResourcePolicies(stack: Stack): Array<{ PolicyName: unknown; PolicyDocument: unknown }> {
  return Object.values(Template.fromStack(stack).findResources('AWS::XRay::ResourcePolicy')).map((r: any) => r.Properties);
}

/** A Fn::Join of literals and Refs as a string, Refs written as `<Ref:LogicalId>`. */
function joined(value: any): string {
  if (typeof value === 'string') return value;
  const [separator, parts] = value['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : `<Ref:${p.Ref}>`)).join(separator);
}

function policyFor(account: string, arns: string[]): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'SnsActiveTracing',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account }, StringLike: { 'aws:SourceArn': arns } },
    }],
  };
}

describe('SNS topics', () => {
  test('an L2 Topic gets TracingConfig Active and the env/service/version tags', () => {
    // GIVEN a topic without tracing
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '1.2.3' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active', Tags: TAGS });
  });

  test('an L1 CfnTopic gets the same', () => {
    // GIVEN an L1 topic
    const stack = stackIn();
    new sns.CfnTopic(stack, 'CfnOrders', { topicName: 'orders' });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '1.2.3' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TopicName: 'orders', TracingConfig: 'Active', Tags: TAGS });
  });

  test('ONE X-Ray resource policy per stack lets SNS write segments, scoped to the account and to its topics', () => {
    // GIVEN two topics, L2 and L1
    const stack = stackIn();
    const l2 = new sns.Topic(stack, 'Orders');
    const l1 = new sns.CfnTopic(stack, 'CfnOrders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN one policy, named after the stack, whose document lists both topics' ARNs (their Refs)
    const policies = xrayResourcePolicies(stack);
    expect(policies).toHaveLength(1);
    expect(policies[0].PolicyName).toBe('SnsActiveTracing-Stack');
    expect(JSON.parse(joined(policies[0].PolicyDocument)))
      .toEqual(policyFor('123456789012', [`<Ref:${logicalId(l2)}>`, `<Ref:${logicalId(l1)}>`]));
  });

  test('an environment-agnostic stack scopes the policy with AWS::AccountId', () => {
    // GIVEN a stack without env
    const stack = new Stack(new App(), 'Agnostic');
    const topic = new sns.Topic(stack, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(JSON.parse(joined(xrayResourcePolicies(stack)[0].PolicyDocument)))
      .toEqual(policyFor('<Ref:AWS::AccountId>', [`<Ref:${logicalId(topic)}>`]));
  });

  test('past the topics one 5 KB document can list, the policy covers the account\'s topics in the region', () => {
    // GIVEN more topics than fit (16 > 15, see sns-xray-resource-policy.test.ts)
    const stack = stackIn();
    for (let i = 0; i < 16; i++) new sns.Topic(stack, `Topic${i}`);
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN (the partition stays AWS::Partition, as in every ARN CDK formats)
    expect(JSON.parse(joined(xrayResourcePolicies(stack)[0].PolicyDocument)))
      .toEqual(policyFor('123456789012', ['arn:<Ref:AWS::Partition>:sns:us-east-1:123456789012:*']));
  });

  test('a nested stack gets its own policy, named after its stack id (its name is only known at deployment)', () => {
    // GIVEN a topic in a nested stack
    const stack = stackIn();
    const nested = new NestedStack(stack, 'Nested');
    new sns.Topic(nested, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the parent has none, the nested stack one
    expect(xrayResourcePolicies(stack)).toEqual([]);
    expect(xrayResourcePolicies(nested).map((p) => p.PolicyName)).toEqual([
      { 'Fn::Join': ['', ['SnsActiveTracing-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
    ]);
  });

  test('a stack name too long for a policy name uses the stack id too', () => {
    // GIVEN a 120-character stack name (the prefix makes it 137, over X-Ray's 128)
    const stack = stackIn('us-east-1', { stackName: `S${'x'.repeat(119)}` });
    new sns.Topic(stack, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    expect(xrayResourcePolicies(stack)[0].PolicyName).toEqual(
      { 'Fn::Join': ['', ['SnsActiveTracing-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] });
  });

  test('a stack without topics gets no X-Ray resource policy', () => {
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Orders'] });
    Template.fromStack(stack).resourceCountIs('AWS::XRay::ResourcePolicy', 0);
  });

  test('tracingConfig Active set by the user is kept, and the policy still covers the topic', () => {
    // GIVEN a topic already Active
    const stack = stackIn();
    const topic = new sns.Topic(stack, 'Orders', { tracingConfig: sns.TracingConfig.ACTIVE });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
    expect(JSON.parse(joined(xrayResourcePolicies(stack)[0].PolicyDocument)))
      .toEqual(policyFor('123456789012', [`<Ref:${logicalId(topic)}>`]));
  });

  test('an explicit PassThrough is refused, on the L2 and on the L1', () => {
    // GIVEN topics that only pass the trace header on, on purpose
    const l2 = stackIn();
    new sns.Topic(l2, 'Orders', { tracingConfig: sns.TracingConfig.PASS_THROUGH });
    MergedTracing.applyTo(l2, { env: 'prod' });
    const l1 = stackIn();
    new sns.CfnTopic(l1, 'CfnOrders', { tracingConfig: 'PassThrough' });
    MergedTracing.applyTo(l1, { env: 'prod' });
    // WHEN / THEN
    const problem = 'has tracingConfig \'PassThrough\', so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace. ' +
      'Remove tracingConfig from the topic props (merged tracing sets it to Active) or set it to sns.TracingConfig.ACTIVE, or exclude the topic.';
    expect(synthError(l2)).toBe(`[cdk-trace-merging] Stack/Orders/Resource: ${problem}`);
    expect(synthError(l1)).toBe(`[cdk-trace-merging] Stack/CfnOrders: ${problem}`);
  });

  test('tracingConfig from a parameter is left alone with a warning, and the policy covers the topic in case it is Active', () => {
    // GIVEN an L1 topic whose mode is a deploy-time parameter
    const stack = stackIn();
    const mode = new CfnParameter(stack, 'Mode', { type: 'String', allowedValues: ['Active', 'PassThrough'] });
    const topic = new sns.CfnTopic(stack, 'CfnOrders', { tracingConfig: mode.valueAsString });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: { Ref: 'Mode' } });
    Annotations.fromStack(stack).hasWarning('/Stack/CfnOrders', ackWarning('SnsTopicTracingUnknown',
      'X-Ray tracing of this SNS topic is only known at deployment; merged traces need it Active. Set tracingConfig: sns.TracingConfig.ACTIVE.'));
    expect(JSON.parse(joined(xrayResourcePolicies(stack)[0].PolicyDocument)))
      .toEqual(policyFor('123456789012', [`<Ref:${logicalId(topic)}>`]));
  });

  test('a topic excluded by path keeps PassThrough, gets no tags and is not in the policy', () => {
    // GIVEN an excluded PassThrough topic beside a traced one
    const stack = stackIn();
    new sns.Topic(stack, 'Legacy', { tracingConfig: sns.TracingConfig.PASS_THROUGH });
    const traced = new sns.Topic(stack, 'Orders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Legacy'] });
    // THEN
    const legacy = Template.fromStack(stack).findResources('AWS::SNS::Topic', { Properties: { TracingConfig: 'PassThrough' } });
    expect(Object.values(legacy).map((r: any) => r.Properties)).toEqual([{ TracingConfig: 'PassThrough' }]);
    expect(JSON.parse(joined(xrayResourcePolicies(stack)[0].PolicyDocument)))
      .toEqual(policyFor('123456789012', [`<Ref:${logicalId(traced)}>`]));
  });

  test('applying merged tracing twice still gives one policy listing each topic once', () => {
    // GIVEN the aspect added twice to the same stack
    const stack = stackIn();
    const topic = new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod' });
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    const policies = xrayResourcePolicies(stack);
    expect(policies).toHaveLength(1);
    expect(JSON.parse(joined(policies[0].PolicyDocument))).toEqual(policyFor('123456789012', [`<Ref:${logicalId(topic)}>`]));
  });
});
