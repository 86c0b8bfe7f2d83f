/**
 * A MergedTracingStack with one Node.js and one Python function of the given inline code, both instrumented by the stack
 * in `mode`, read back from the template: what the consumer and producer suites run, one execution environment each.
 */
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { awsRequestIdOf, invokeLikeLambda, InvocationResult, NODE_REQUEST_ID } from './invoke-like-lambda';
import { invokePythonLikeLambda, PYTHON_REQUEST_ID } from './invoke-python-like-lambda';
import { nodeFunctionsOf, pythonFunctionsOf, TemplateFunction } from './template-function';
import { MergedTracingStack, TracingMode } from '../../../lib';
import { ContextLanguage } from '../../../lib/check/map/datadog-propagation';

export const E2E_ENV = { account: '123456789012', region: 'us-east-1' };

const FIRST_REQUEST_ID: Record<ContextLanguage, string> = { node: NODE_REQUEST_ID, python: PYTHON_REQUEST_ID };

/** The request id of invocation `n` of a run of `language`'s runner: how its spans (`request_id`) are told apart. */
export function requestIdOf(language: ContextLanguage, n: number): string {
  return awsRequestIdOf(FIRST_REQUEST_ID[language], n);
}

/** Every invocation, one after the other, in one execution environment of `language` (the first cold, the rest warm). */
export function runWarm(language: ContextLanguage, fn: TemplateFunction,
  invocations: ReadonlyArray<{ readonly event: unknown; readonly traceHeader: string }>): Promise<InvocationResult> {
  const [first, ...warm] = invocations;
  const invoke = language === 'node' ? invokeLikeLambda : invokePythonLikeLambda;
  return invoke(fn, { ...first, warm, region: E2E_ENV.region, account: E2E_ENV.account });
}

export function nodeAndPythonFunctions(mode: TracingMode, code: Record<ContextLanguage, string>): Record<ContextLanguage, TemplateFunction> {
  const stack = new MergedTracingStack(new App(), 'E2E', {
    env: E2E_ENV,
    tracing: {
      env: 'prod',
      service: 'orders',
      version: '1.0.0',
      mode,
      apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
    },
  });
  new lambda.Function(stack, 'Node', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(code.node) });
  new lambda.Function(stack, 'Python', { runtime: lambda.Runtime.PYTHON_3_13, handler: 'index.handler', code: lambda.Code.fromInline(code.python) });
  return { node: nodeFunctionsOf(stack)[0], python: pythonFunctionsOf(stack)[0] };
}
