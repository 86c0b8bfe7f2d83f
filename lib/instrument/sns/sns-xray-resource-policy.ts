import { Aws, Fn, Stack, Stage, Token } from 'aws-cdk-lib';
import * as xray from 'aws-cdk-lib/aws-xray';
import { IConstruct } from 'constructs';
import { warnWhileInstrumenting } from '../../common/findings';
import { HiddenProperty } from '../../common/hidden-property';
import { partitionOfRegion } from '../../datadog/layers';

/** What SNS needs from X-Ray to send an actively traced topic's segments (AWS's SNS active tracing policy). */
export const SNS_XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/** X-Ray's limit on one resource policy document (PutResourcePolicy: 5 KB). */
export const MAX_POLICY_DOCUMENT_LENGTH = 5120;

/** X-Ray resource policy names: at most 128 characters of [\w+=,.@-]. */
const MAX_POLICY_NAME_LENGTH = 128;
const POLICY_NAME_PREFIX = 'SnsActiveTracing-';
const POLICY_STACK_PREFIX = 'TraceMergingSnsXRayPolicy';

/**
 * The X-Ray resource policy letting SNS write the segments of every topic of one account in one region. X-Ray actions
 * take no resource ARNs: the confused-deputy conditions are what scopes the grant (the operators of AWS's own example
 * for AWS::XRay::ResourcePolicy).
 */
export function snsXRayPolicyDocument(partition: string, region: string, account: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'SnsActiveTracing',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: SNS_XRAY_ACTIONS,
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account }, StringLike: { 'aws:SourceArn': `arn:${partition}:sns:${region}:${account}:*` } },
    }],
  };
}

/**
 * Gives an actively traced topic the X-Ray resource policy it needs. X-Ray allows an account only five resource
 * policies (PutResourcePolicy fails with PolicyCountLimitExceededException past that), so a whole app holds at most
 * ONE per account and region, for all the account's topics there, however many stacks and nested stacks have topics:
 * a stack of its own (`TraceMergingSnsXRayPolicy-<account>-<region>`), which every stack with traced topics in that
 * environment depends on, so each topic is created after the policy. A stack of its own rather than the first stack
 * with a topic: it depends on nothing, so no dependency the app already has can make a cycle with it.
 *
 * `create: false` (the account's policy is managed elsewhere) adds none and says, once per stack, which policy the
 * account must have.
 */
export function requireSnsXRayPolicy(topic: IConstruct, create: boolean): void {
  const top = topStackOf(Stack.of(topic));
  if (!create) return warnPolicyManagedElsewhere(top);
  const policyStack = policyStackFor(top);
  if (top === policyStack || top.dependencies.includes(policyStack)) return;
  if (Stage.of(top) === Stage.of(policyStack)) {
    top.addStackDependency(policyStack, 'its SNS topics send X-Ray segments under the X-Ray resource policy of this account and region');
  } else {
    // CDK refuses dependencies across Stages: a Stage deployed to the same environment as another shares its policy.
    warnWhileInstrumenting(top, 'SnsXRayPolicyInOtherStage',
      `The SNS topics of this stack rely on the X-Ray resource policy of ${policyStack.node.path}, in another Stage deployed to the same ` +
      'account and region (X-Ray allows an account five resource policies, so an app has one per account and region), and CDK cannot ' +
      'make stacks of different Stages depend on each other. Deploy that Stage first (a pipeline deploys Stages in order), then acknowledge this warning.');
  }
}

/** The app's policy stacks by id (one per account and region), wherever in the app's Stages they were created. */
const POLICY_STACKS = new HiddenProperty<Map<string, Stack>>('SnsXRayPolicyStacks');

/** The app's policy stack for the environment of `stack`, created on first use. */
function policyStackFor(stack: Stack): Stack {
  const app = stack.node.root;
  let stacks = POLICY_STACKS.get(app);
  if (!stacks) {
    stacks = new Map();
    POLICY_STACKS.set(app, stacks);
  }
  const id = policyStackId(stack);
  const existing = stacks.get(id);
  if (existing) return existing;
  const stage = Stage.of(stack) ?? app;
  const env = {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
  const policyStack = new Stack(stage, id, {
    env,
    description: 'cdk-trace-merging: the one X-Ray resource policy letting SNS write the segments of actively traced topics in this account and region',
  });
  new xray.CfnResourcePolicy(policyStack, 'SnsActiveTracing', {
    policyName: policyNameOf(policyStack),
    policyDocument: policyStack.toJsonString(snsXRayPolicyDocument(Aws.PARTITION, policyStack.region, policyStack.account)),
  });
  stacks.set(id, policyStack);
  return policyStack;
}

/** `TraceMergingSnsXRayPolicy` plus the parts of the environment that are known. */
function policyStackId(stack: Stack): string {
  const parts = [stack.account, stack.region].filter((p) => !Token.isUnresolved(p));
  return [POLICY_STACK_PREFIX, ...parts].join('-');
}

/** `create: false`: the exact policy the account needs, once per stack with topics. */
function warnPolicyManagedElsewhere(stack: Stack): void {
  const shown = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const account = shown(stack.account, '<account>');
  const region = shown(stack.region, '<region>');
  const partition = (Token.isUnresolved(stack.region) ? undefined : partitionOfRegion(stack.region)) ?? '<partition>';
  const policy = JSON.stringify(snsXRayPolicyDocument(partition, region, account));
  warnWhileInstrumenting(stack, 'SnsXRayPolicyManagedElsewhere',
    'createSnsXRayResourcePolicy is false, so merged tracing adds no X-Ray resource policy for the actively traced SNS topics of this stack. ' +
    `Without one in ${account} ${region}, SNS cannot write the topics' segments and the topic hops are missing from the merged traces. ` +
    `Make sure the account has this X-Ray resource policy (aws xray put-resource-policy --policy-name SnsActiveTracing --policy-document '${policy}'), ` +
    'or one as wide, then acknowledge this warning.');
}

/** Policy names are unique per account and region, like stack names: the policy stack's name when it fits. */
function policyNameOf(stack: Stack): string {
  const name = `${POLICY_NAME_PREFIX}${stack.stackName}`;
  if (name.length <= MAX_POLICY_NAME_LENGTH) return name;
  return Fn.join('', [POLICY_NAME_PREFIX, Fn.select(2, Fn.split('/', Aws.STACK_ID))]);
}

function topStackOf(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) current = current.nestedStackParent;
  return current;
}
