import { App, CfnParameter, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ACCOUNT, ackWarning, stackIn, synthError } from '../../support/fixtures';
import { expectedSnsXRayPolicy } from '../../support/sns-xray-policy';

const TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.2.3' }];
const POLICY_STACK = `TraceMergingSnsXRayPolicy-${ACCOUNT}-us-east-1`;

/** The properties of the stack's AWS::XRay::ResourcePolicy resources. */
function xrayResourcePolicies(stack: Stack): Array<{ PolicyName: unknown; PolicyDocument: unknown }> {
  return Object.values(Template.fromStack(stack).findResources('AWS::XRay::ResourcePolicy')).map((r: any) => r.Properties);
}

/** Every stack of the app (Stages included), and the number of X-Ray resource policies the app holds. */
function stacksOf(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}
function policyCount(app: App): number {
  app.synth();
  return stacksOf(app).reduce((n, s) => n + xrayResourcePolicies(s).length, 0);
}

/** A Fn::Join of literals and Refs as a string, Refs written as `<Ref:LogicalId>`. */
function joined(value: any): string {
  if (typeof value === 'string') return value;
  const [separator, parts] = value['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : `<Ref:${p.Ref}>`)).join(separator);
}

function policyStackOf(app: IConstruct, id = POLICY_STACK): Stack {
  const found = stacksOf(app).find((s) => s.node.id === id);
  if (!found) throw new Error(`no stack ${id} in ${stacksOf(app).map((s) => s.node.path).join(', ')}`);
  return found;
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

  test('tracingConfig Active set by the user is kept', () => {
    // GIVEN a topic already Active  WHEN traced  THEN still Active
    const stack = stackIn();
    new sns.Topic(stack, 'Orders', { tracingConfig: sns.TracingConfig.ACTIVE });
    MergedTracing.applyTo(stack, { env: 'prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
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

  test('tracingConfig from a parameter is left alone with a warning, and the stack still gets the policy in case it is Active', () => {
    // GIVEN an L1 topic whose mode is a deploy-time parameter
    const stack = stackIn();
    const mode = new CfnParameter(stack, 'Mode', { type: 'String', allowedValues: ['Active', 'PassThrough'] });
    new sns.CfnTopic(stack, 'CfnOrders', { tracingConfig: mode.valueAsString });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: { Ref: 'Mode' } });
    Annotations.fromStack(stack).hasWarning('/Stack/CfnOrders', ackWarning('SnsTopicTracingUnknown',
      'X-Ray tracing of this SNS topic is only known at deployment; merged traces need it Active. Set tracingConfig: sns.TracingConfig.ACTIVE.'));
    expect(stack.dependencies.map((s) => s.node.id)).toEqual([POLICY_STACK]);
  });
});

describe('the X-Ray resource policy SNS needs: one per account and region for the whole app', () => {
  test('a stack with topics: one policy, in a stack of its own, for the account\'s topics in the region; the topic stack depends on it', () => {
    // GIVEN two topics, L2 and L1
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    new sns.CfnTopic(stack, 'CfnOrders');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the topic stack holds no policy; the policy stack holds one, scoped to the account and its topics in the region
    const app = stack.node.root as App;
    const assembly = app.synth();
    const policyStack = policyStackOf(app);
    expect(policyStack.account).toBe(ACCOUNT);
    expect(policyStack.region).toBe('us-east-1');
    expect(xrayResourcePolicies(stack)).toEqual([]);
    const [policy] = xrayResourcePolicies(policyStack);
    expect(policy.PolicyName).toBe(`SnsActiveTracing-${POLICY_STACK}`);
    expect(JSON.parse(joined(policy.PolicyDocument))).toEqual(expectedSnsXRayPolicy(ACCOUNT, `arn:<Ref:AWS::Partition>:sns:us-east-1:${ACCOUNT}:*`));
    // and the topics are created after it: their stack depends on the policy's
    expect(stack.dependencies).toEqual([policyStack]);
    expect(assembly.getStackArtifact(stack.artifactId).dependencies.map((d) => d.id)).toContain(policyStack.artifactId);
  });

  test('six stacks with topics in one account and region: ONE policy for the app, every topic stack depends on it', () => {
    // GIVEN six stacks with a topic each (one more than X-Ray allows policies)
    const app = new App();
    const stacks = [0, 1, 2, 3, 4, 5].map((i) => {
      const stack = new Stack(app, `Topics${i}`, { env: { account: ACCOUNT, region: 'us-east-1' } });
      new sns.Topic(stack, 'Orders');
      return stack;
    });
    // WHEN the whole app is traced
    MergedTracing.applyTo(app, { env: 'prod' });
    // THEN
    expect(policyCount(app)).toBe(1);
    for (const stack of stacks) expect(stack.dependencies.map((s) => s.node.id)).toEqual([POLICY_STACK]);
  });

  test('topics in nested stacks spend no policy of their own: the top-level stack depends on the one policy', () => {
    // GIVEN topics in two nested stacks, one nested in the other
    const stack = stackIn();
    const nested = new NestedStack(stack, 'Nested');
    new sns.Topic(nested, 'Orders');
    new sns.Topic(new NestedStack(nested, 'Deeper'), 'Refunds');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    const app = stack.node.root as App;
    expect(policyCount(app)).toBe(1);
    expect(stack.dependencies.map((s) => s.node.id)).toEqual([POLICY_STACK]);
  });

  test('two accounts and regions: one policy in each', () => {
    // GIVEN topics in us-east-1 and eu-west-1 of one account, and in us-east-1 of another  WHEN traced  THEN three policy stacks
    const app = new App();
    new sns.Topic(new Stack(app, 'East', { env: { account: ACCOUNT, region: 'us-east-1' } }), 'Orders');
    new sns.Topic(new Stack(app, 'West', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Orders');
    new sns.Topic(new Stack(app, 'Other', { env: { account: '210987654321', region: 'us-east-1' } }), 'Orders');
    MergedTracing.applyTo(app, { env: 'prod' });
    expect(policyCount(app)).toBe(3);
    expect(stacksOf(app).map((s) => s.node.id).filter((id) => id.startsWith('TraceMerging')).sort()).toEqual([
      `TraceMergingSnsXRayPolicy-${ACCOUNT}-eu-west-1`, POLICY_STACK, 'TraceMergingSnsXRayPolicy-210987654321-us-east-1',
    ]);
  });

  test('environment-agnostic stacks share one environment-agnostic policy stack, scoped with AWS::AccountId and AWS::Region', () => {
    // GIVEN two stacks without env
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new sns.Topic(a, 'Orders');
    new sns.Topic(b, 'Orders');
    // WHEN
    MergedTracing.applyTo(app, { env: 'prod' });
    // THEN
    expect(policyCount(app)).toBe(1);
    const policyStack = policyStackOf(app, 'TraceMergingSnsXRayPolicy');
    expect(JSON.parse(joined(xrayResourcePolicies(policyStack)[0].PolicyDocument)))
      .toEqual(expectedSnsXRayPolicy('<Ref:AWS::AccountId>', 'arn:<Ref:AWS::Partition>:sns:<Ref:AWS::Region>:<Ref:AWS::AccountId>:*'));
    expect([a, b].map((s) => s.dependencies)).toEqual([[policyStack], [policyStack]]);
  });

  test('createSnsXRayResourcePolicy: false adds none, and says once per stack which policy the account needs', () => {
    // GIVEN two topics in a stack
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    new sns.Topic(stack, 'Refunds');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', createSnsXRayResourcePolicy: false });
    // THEN
    expect(policyCount(stack.node.root as App)).toBe(0);
    expect(stack.dependencies).toEqual([]);
    const policy = JSON.stringify(expectedSnsXRayPolicy(ACCOUNT, `arn:aws:sns:us-east-1:${ACCOUNT}:*`));
    const warnings = Annotations.fromStack(stack).findWarning('*', ackWarning('SnsXRayPolicyManagedElsewhere',
      'createSnsXRayResourcePolicy is false, so merged tracing adds no X-Ray resource policy for the actively traced SNS topics of this stack. ' +
      `Without one in ${ACCOUNT} us-east-1, SNS cannot write the topics' segments and the topic hops are missing from the merged traces. ` +
      `Make sure the account has this X-Ray resource policy (aws xray put-resource-policy --policy-name SnsActiveTracing --policy-document '${policy}'), ` +
      'or one as wide, then acknowledge this warning.'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack']);
  });

  test('two Stages in one account and region share the policy; the second says it cannot depend on the first', () => {
    // GIVEN the same topic stack in two Stages deployed to one environment
    const app = new App();
    const stages = ['Beta', 'Gamma'].map((name) => {
      const stage = new Stage(app, name, { env: { account: ACCOUNT, region: 'us-east-1' } });
      new sns.Topic(new Stack(stage, 'Topics'), 'Orders');
      MergedTracing.applyTo(stage, { env: name.toLowerCase() });
      return stage;
    });
    // WHEN
    expect(policyCount(app)).toBe(1);
    // THEN the first Stage holds the policy, the second carries the warning
    const gamma = stages[1].node.findChild('Topics') as Stack;
    expect(gamma.dependencies).toEqual([]);
    Annotations.fromStack(gamma).hasWarning('/Gamma/Topics', ackWarning('SnsXRayPolicyInOtherStage',
      `The SNS topics of this stack rely on the X-Ray resource policy of Beta/${POLICY_STACK}, in another Stage deployed to the same ` +
      'account and region (X-Ray allows an account five resource policies, so an app has one per account and region), and CDK cannot ' +
      'make stacks of different Stages depend on each other. Deploy that Stage first (a pipeline deploys Stages in order), then acknowledge this warning.'));
  });

  test('a stack whose topics are all excluded gets no policy and no dependency', () => {
    // GIVEN / WHEN the only topic excluded  THEN nothing for SNS
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Orders'] });
    expect(policyCount(stack.node.root as App)).toBe(0);
    expect(stack.dependencies).toEqual([]);
  });

  test('a topic excluded by path keeps PassThrough and gets no tags', () => {
    // GIVEN an excluded PassThrough topic beside a traced one  WHEN traced  THEN the excluded one is as it was
    const stack = stackIn();
    new sns.Topic(stack, 'Legacy', { tracingConfig: sns.TracingConfig.PASS_THROUGH });
    new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Legacy'] });
    const legacy = Template.fromStack(stack).findResources('AWS::SNS::Topic', { Properties: { TracingConfig: 'PassThrough' } });
    expect(Object.values(legacy).map((r: any) => r.Properties)).toEqual([{ TracingConfig: 'PassThrough' }]);
  });

  test('applying merged tracing twice still gives one policy', () => {
    // GIVEN / WHEN the aspect added twice to the same stack  THEN one policy
    const stack = stackIn();
    new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod' });
    MergedTracing.applyTo(stack, { env: 'prod' });
    expect(policyCount(stack.node.root as App)).toBe(1);
  });
});
