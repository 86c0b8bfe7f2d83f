import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { warnWhileInstrumenting } from './findings';

const EDGE_LAMBDA_PRINCIPAL = 'edgelambda.amazonaws.com';

/**
 * Whether a function is meant for Lambda@Edge: its role must trust edgelambda.amazonaws.com
 * (cloudfront.experimental.EdgeFunction adds that in either region, and hand-built edge functions need it too).
 * Lambda@Edge takes neither layers nor environment variables, so instrumenting such a function
 * would only fail later (CDK refuses the variables when the version is associated; CloudFront refuses the layers).
 * Both sides ask: instrumenting leaves such a function alone (with a warning), and the checker does not
 * report it as unwired, since nothing it could ask for can be deployed there.
 */
export function isLambdaAtEdge(fn: lambda.Function): boolean {
  const role = fn.role;
  if (!(role instanceof iam.Role) || !role.assumeRolePolicy) return false;
  if (isUntouchedOwnRole(fn, role)) return false;
  return JSON.stringify(Stack.of(fn).resolve(role.assumeRolePolicy.toJSON())).includes(EDGE_LAMBDA_PRINCIPAL);
}

/**
 * The role lambda.Function creates for itself when given none trusts lambda.amazonaws.com in one statement;
 * trusting edgelambda too takes a second one (assumeRolePolicy.addStatements), as EdgeFunction's own role has.
 * Recognising it skips rendering and resolving a trust policy per function (most functions of an app).
 */
function isUntouchedOwnRole(fn: lambda.Function, role: iam.Role): boolean {
  return role.node.scope === fn && role.assumeRolePolicy?.statementCount === 1;
}

/** Says why a Lambda@Edge function is left as it is. */
export function warnLambdaAtEdge(fn: lambda.Function): void {
  warnWhileInstrumenting(fn, 'LambdaAtEdge',
    'Lambda@Edge functions cannot have layers or environment variables, so merged tracing leaves this function as it is. ' +
    'Bundle the Datadog library into its code if it must be traced, or acknowledge this warning.');
}
