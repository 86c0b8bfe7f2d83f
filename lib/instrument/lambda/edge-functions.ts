import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { warnWhileInstrumenting } from '../../common/findings';

const EDGE_LAMBDA_PRINCIPAL = 'edgelambda.amazonaws.com';

/**
 * Whether a function is meant for Lambda@Edge: its role must trust edgelambda.amazonaws.com
 * (cloudfront.experimental.EdgeFunction adds that in either region, and hand-built edge functions need it too).
 * Lambda@Edge takes neither layers nor environment variables, so instrumenting such a function
 * would only fail later (CDK refuses the variables when the version is associated; CloudFront refuses the layers).
 */
export function isLambdaAtEdge(fn: lambda.Function): boolean {
  const role = fn.role;
  if (!(role instanceof iam.Role) || !role.assumeRolePolicy) return false;
  return JSON.stringify(Stack.of(fn).resolve(role.assumeRolePolicy.toJSON())).includes(EDGE_LAMBDA_PRINCIPAL);
}

/** Says why a Lambda@Edge function is left as it is. */
export function warnLambdaAtEdge(fn: lambda.Function): void {
  warnWhileInstrumenting(fn, 'LambdaAtEdge',
    'Lambda@Edge functions cannot have layers or environment variables, so merged tracing leaves this function as it is. ' +
    'Bundle the Datadog library into its code if it must be traced, or acknowledge this warning.');
}
