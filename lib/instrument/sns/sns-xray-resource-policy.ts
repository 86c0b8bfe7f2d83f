import { Aws, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';

/** What SNS needs from X-Ray to send an actively traced topic's segments (AWS's SNS active tracing policy). */
export const SNS_XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/** X-Ray's limit on one resource policy document (PutResourcePolicy: 5 KB). */
export const MAX_POLICY_DOCUMENT_LENGTH = 5120;

/** X-Ray resource policy names: at most 128 characters of [\w+=,.@-]. */
const MAX_POLICY_NAME_LENGTH = 128;
const POLICY_NAME_PREFIX = 'SnsActiveTracing-';
const ID = 'SnsActiveTracingXRayPolicy';

/** The X-Ray resource policy letting SNS write segments for the given topics (or ARN patterns) of one account. */
export function snsXRayPolicyDocument(account: string, topicArns: string[]): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'SnsActiveTracing',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: SNS_XRAY_ACTIONS,
      Resource: '*',
      // X-Ray actions take no resource ARNs: the confused-deputy conditions are what scopes the grant
      // (the operators of AWS's own example for AWS::XRay::ResourcePolicy).
      Condition: { StringEquals: { 'aws:SourceAccount': account }, StringLike: { 'aws:SourceArn': topicArns } },
    }],
  };
}

/**
 * How many topic ARNs one document can list and stay within X-Ray's 5 KB whatever the topics are called:
 * computed with the longest ARN possible (a 10-character partition, a 15-character region, SNS's
 * 256-character topic names), since generated topic names are only known at deployment.
 */
export const MAX_LISTED_TOPICS = (() => {
  const longestArn = `arn:${'p'.repeat(10)}:sns:${'r'.repeat(15)}:${'1'.repeat(12)}:${'t'.repeat(256)}`;
  let n = 0;
  while (JSON.stringify(snsXRayPolicyDocument('1'.repeat(12), Array(n + 1).fill(longestArn))).length <= MAX_POLICY_DOCUMENT_LENGTH) n++;
  return n;
})();

/**
 * ONE X-Ray resource policy per stack for the stack's actively traced topics, rather than one per topic:
 * X-Ray allows an account only five resource policies. Scoped with aws:SourceAccount and aws:SourceArn to
 * the topics; past MAX_LISTED_TOPICS topics, to the account's topics in the stack's region.
 */
export class SnsXRayResourcePolicy extends Construct {
  /** The stack's policy, created with its first topic. */
  public static of(stack: Stack): SnsXRayResourcePolicy {
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof SnsXRayResourcePolicy ? existing : new SnsXRayResourcePolicy(stack);
  }

  private readonly topics = new Set<sns.CfnTopic>();

  private constructor(stack: Stack) {
    super(stack, ID);
    new xray.CfnResourcePolicy(this, 'Resource', {
      policyName: policyNameOf(stack),
      // Lazy: topics are added while the aspect walks the stack, after this policy exists.
      policyDocument: Lazy.string({ produce: () => stack.toJsonString(snsXRayPolicyDocument(stack.account, this.topicArns(stack))) }),
    });
  }

  /** Lets SNS write this topic's segments. */
  public allow(topic: sns.CfnTopic): void {
    this.topics.add(topic);
  }

  private topicArns(stack: Stack): string[] {
    if (this.topics.size <= MAX_LISTED_TOPICS) return [...this.topics].map((t) => t.ref);
    return [stack.formatArn({ service: 'sns', resource: '*' })];
  }
}

/**
 * Policy names are unique per account, like stack names: the stack's name when it is known and fits,
 * else the UUID of the stack's id (a nested stack's name is only known at deployment).
 */
function policyNameOf(stack: Stack): string {
  const name = `${POLICY_NAME_PREFIX}${stack.stackName}`;
  if (!Token.isUnresolved(stack.stackName) && name.length <= MAX_POLICY_NAME_LENGTH) return name;
  return Fn.join('', [POLICY_NAME_PREFIX, Fn.select(2, Fn.split('/', Aws.STACK_ID))]);
}
