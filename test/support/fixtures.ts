/**
 * Small helpers shared by the core tests: functions that need no assets (code from an imported
 * bucket works for every runtime), logical ids, and the message of the error synthesis throws.
 */
import { App, CfnElement, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';

export const ACCOUNT = '123456789012';
export const DATADOG_ACCOUNT = '464622532012';
export const DATADOG_GOV_ACCOUNT = '002406178527';

/** A stack in a concrete environment (us-east-1 unless told otherwise). */
export function stackIn(region = 'us-east-1', props: StackProps = {}, app = new App()): Stack {
  return new Stack(app, 'Stack', { env: { account: ACCOUNT, region }, ...props });
}

/** Code from an imported bucket: no asset staging, accepted for every runtime. */
export function bucketCode(scope: IConstruct): lambda.Code {
  const stack = Stack.of(scope);
  const bucket = (stack.node.tryFindChild('CodeBucket') as s3.IBucket | undefined)
    ?? s3.Bucket.fromBucketName(stack, 'CodeBucket', 'code-bucket');
  return lambda.Code.fromBucket(bucket, 'code.zip');
}

/** FunctionProps for a runtime with a plain handler, overridable. */
export function functionProps(scope: IConstruct, runtime: lambda.Runtime, extra: Partial<lambda.FunctionProps> = {}): lambda.FunctionProps {
  return { runtime, handler: 'index.handler', code: bucketCode(scope), ...extra };
}

/** A plain lambda.Function (Node.js 22 unless told otherwise). */
export function plainFunction(scope: Construct, id: string, extra: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, functionProps(scope, extra.runtime ?? lambda.Runtime.NODEJS_22_X, extra));
}

/** Logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(resource);
}

/**
 * The message of the error that synthesizing the app throws; fails the test when nothing is thrown. Refusals of
 * resources are reported together by CDK's validation ("Validation failed with the following errors:" then one
 * `[path] message` line each): those give our messages, one per line.
 */
export function synthError(scope: IConstruct): string {
  const app = scope.node.root as App;
  return refusalsIn(errorOf(() => app.synth({ force: true })));
}

/** Our refusals in an error message, one per line: the `[path] message` lines of CDK's validation error, or the message. */
export function refusalsIn(message: string): string {
  const ours = [...message.matchAll(/^\s*\[[^\]]*\] (\[cdk-trace-merging\] .*)$/gm)].map((m) => m[1]);
  return ours.length > 0 ? ours.join('\n') : message;
}

/** The message of the error `action` throws; fails the test when nothing is thrown. */
export function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

/** A warning as Annotations.addWarningV2 records it. */
export function ackWarning(rule: string, message: string): string {
  return `${message} [ack: cdk-trace-merging:${rule}]`;
}
