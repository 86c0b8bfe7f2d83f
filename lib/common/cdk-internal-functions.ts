import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';

/**
 * Functions that aws-cdk-lib creates for its own custom resources. They are CDK's plumbing, not the
 * user's workload: tracing them adds cost and noise, and their handlers cannot be redirected.
 * Singleton functions are plain lambda.Function instances named after their purpose and uuid, so
 * they are recognised by construct id; the generated provider classes by class name.
 */
const INTERNAL_ID_PATTERNS: RegExp[] = [
  /^AWS679f53fac002430cb0da5b7982bd2287$/, // custom-resources AwsCustomResource
  /^AWSb4cf1abd4e4f4bc699441af7ccd9ec37$/, // aws-events-targets AwsApi
  // aws-s3-deployment BucketDeployment: the id keeps the '::' of its purpose, and memoryLimit,
  // ephemeralStorageSize or a VPC append a suffix (one singleton per setting), hence a prefix.
  /^Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/,
  /^CrossRegionAwsSdk8a0c93f3dbef4b71ac137aaf2048ce7e$/, // aws-stepfunctions-tasks cross-region call
  /^SingletonLambda224e77f9a32e4b4dac32983477abba16$/, // aws-ses DropSpamReceiptRule
  /^SingletonLambda8693BB64968944B69AAFB0CC9EB8757C$/, // aws-stepfunctions-tasks role trust policy
  /^framework-(onEvent|isComplete|onTimeout)$/, // custom-resources Provider framework
  // aws-stepfunctions-tasks EvaluateExpression's shared singleton (one uuid per runtime and architecture),
  // used while the evaluateExpressionDedicatedFunction feature flag is off, as in apps created before it
  /^Eval[0-9a-f]{32}$/,
];

const INTERNAL_CLASS_NAMES = new Set([
  'CertificateRequestCertificateRequestFunction',
  'ReplicaIsCompleteFunction',
  'ReplicaOnEventFunction',
  'KubectlFunction',
  'ClusterResourceIsCompleteFunction',
  'ClusterResourceOnEventFunction',
  'PartitionIndexIsCompleteFunction',
  'PartitionIndexOnEventFunction',
  'EvalNodejsFunction',
  'ApproveLambdaFunction',
]);

/**
 * aws-cdk-lib constructs that create a plain lambda.Function as their own plumbing: by jsii type name
 * where the class has one, else by class name (not exported, so no jsii type, and not decorated).
 */
const INTERNAL_PARENT_FQNS = new Set([
  'aws-cdk-lib.aws_eks_v2.KubectlProvider', // its kubectl Handler
]);
const INTERNAL_PARENT_CLASS_NAMES = new Set([
  'InstanceDrainHook', // aws-ecs: drain hook of EC2 capacity
]);
const JSII_RTTI = Symbol.for('jsii.rtti');

/** True when the function is CDK's own plumbing rather than the user's workload. */
export function isCdkInternalFunction(fn: lambda.Function): boolean {
  if (INTERNAL_CLASS_NAMES.has(fn.constructor.name)) return true;
  if (INTERNAL_ID_PATTERNS.some((pattern) => pattern.test(fn.node.id))) return true;
  const parent = fn.node.scope;
  if (!parent) return false;
  const fqn = (parent.constructor as unknown as Record<symbol, { fqn?: string } | undefined>)[JSII_RTTI]?.fqn;
  return (fqn !== undefined && INTERNAL_PARENT_FQNS.has(fqn)) || INTERNAL_PARENT_CLASS_NAMES.has(parent.constructor.name);
}

/**
 * True when an L1 state machine is CDK's plumbing: the custom-resources Provider framework's waiter,
 * whose role the user cannot reach (turning on X-Ray there would only produce a warning they cannot act on).
 */
export function isCdkInternalStateMachine(cfn: sfn.CfnStateMachine): boolean {
  const scope = cfn.node.scope;
  // An L2 state machine's resource is the user's: answered without loading custom-resources (~25 KB of
  // modules an app without custom resources never needs) just to compare classes.
  if (!scope || scope instanceof sfn.StateMachine) return false;
  return scope instanceof cr.WaiterStateMachine;
}
