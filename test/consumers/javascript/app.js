// The README's example app in plain JavaScript, run the way an npm user runs it: cdk-trace-merging installed from
// its tarball (`npm install cdk-trace-merging-0.0.0.tgz`), not from this repository's sources.
const { App, Duration } = require('aws-cdk-lib');
const apigateway = require('aws-cdk-lib/aws-apigateway');
const lambda = require('aws-cdk-lib/aws-lambda');
const sfn = require('aws-cdk-lib/aws-stepfunctions');
const tasks = require('aws-cdk-lib/aws-stepfunctions-tasks');
const { DatadogTracedFunction, MergedTracingStack, TracingMode } = require('cdk-trace-merging');

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

class ServerlessFirstStack extends MergedTracingStack {
  constructor(scope, id, props) {
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

const app = new App();
new ServerlessFirstStack(app, 'ServerlessFirst', {
  env: { account: '123456789012', region: 'us-east-1' },
  tracing: {
    env: 'prod',
    service: 'checkout',
    version: '1.0.0',
    mode: TracingMode.SERVERLESS,
    apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
  },
});
app.synth();
