/**
 * Serverless-first: API Gateway REST -> Lambda (Node.js + Python) -> Step Functions -> Lambda,
 * every hop in one merged X-Ray + Datadog trace. app.ts wires it into an App (`npx cdk synth` at the
 * repository root); the stack lives here so tests (test/e2e) can construct it without synthesizing the app.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DatadogTracedFunction, MergedTracingOptions, MergedTracingStack, MergedTracingStackProps, TracingMode } from '../../lib';

const ORDER_HANDLER = `
exports.handler = async (event) => {
  const tracer = require('dd-trace');
  return tracer.trace('checkout.validate', { resource: 'validate-order' }, async () => {
    return { statusCode: 200, body: JSON.stringify({ ok: true, path: event && event.path }) };
  });
};
`;

const PRICE_HANDLER = `
from ddtrace.trace import tracer

def handler(event, context):
    with tracer.trace("checkout.price", resource="price-order"):
        return {"price": 42, "sku": event.get("sku")}
`;

/** The app's one stack: everything in it is merged-traced through MergedTracingStack. */
export class ServerlessFirstStack extends MergedTracingStack {
  constructor(scope: Construct, id: string, props: MergedTracingStackProps) {
    super(scope, id, props);

    const orders = new DatadogTracedFunction(this, 'OrderFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ORDER_HANDLER),
      timeout: Duration.seconds(10),
    });

    // A plain lambda.Function: the stack's aspect instruments it all the same.
    const pricing = new lambda.Function(this, 'PriceFunction', {
      runtime: lambda.Runtime.PYTHON_3_13,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PRICE_HANDLER),
    });

    const workflow = new sfn.StateMachine(this, 'CheckoutWorkflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        new tasks.LambdaInvoke(this, 'PriceOrder', { lambdaFunction: pricing, outputPath: '$.Payload' }),
      ),
    });
    workflow.grantStartExecution(orders);
    orders.addEnvironment('WORKFLOW_ARN', workflow.stateMachineArn);

    const api = new apigateway.RestApi(this, 'CheckoutApi', { deployOptions: { stageName: 'prod' } });
    api.root.addResource('orders').addMethod('POST', new apigateway.LambdaIntegration(orders));
  }
}

/** The options the app deploys with (app.ts replaces the API key secret from context when given). */
export const SERVERLESS_FIRST_TRACING: MergedTracingOptions = {
  env: 'prod',
  service: 'checkout',
  version: '1.0.0',
  mode: TracingMode.SERVERLESS,
  apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
};

/** The environment the app deploys to. */
export const SERVERLESS_FIRST_ENV = { account: '123456789012', region: 'us-east-1' };
