from aws_cdk import App, Duration, Environment
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct
from cdk_trace_merging import DatadogTracedFunction, MergedTracingOptions, MergedTracingStack, TracingMode

ORDER_HANDLER = """
exports.handler = async (event) => {
  const tracer = require('dd-trace');
  return tracer.trace('checkout.validate', { resource: 'validate-order' }, async () => {
    return { statusCode: 200, body: JSON.stringify({ ok: true, path: event && event.path }) };
  });
};
"""

PRICE_HANDLER = """
from ddtrace.trace import tracer

def handler(event, context):
    with tracer.trace("checkout.price", resource="price-order"):
        return {"price": 42, "sku": event.get("sku")}
"""


class ServerlessFirstStack(MergedTracingStack):
    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)

        orders = DatadogTracedFunction(self, "OrderFunction",
            runtime=lambda_.Runtime.NODEJS_22_X,
            handler="index.handler",
            code=lambda_.Code.from_inline(ORDER_HANDLER),
            timeout=Duration.seconds(10),
        )

        # A plain lambda_.Function: the stack's aspect instruments it all the same.
        pricing = lambda_.Function(self, "PriceFunction",
            runtime=lambda_.Runtime.PYTHON_3_13,
            architecture=lambda_.Architecture.ARM_64,
            handler="index.handler",
            code=lambda_.Code.from_inline(PRICE_HANDLER),
        )

        workflow = sfn.StateMachine(self, "CheckoutWorkflow",
            definition_body=sfn.DefinitionBody.from_chainable(
                tasks.LambdaInvoke(self, "PriceOrder", lambda_function=pricing, output_path="$.Payload")),
        )
        workflow.grant_start_execution(orders)
        orders.add_environment("WORKFLOW_ARN", workflow.state_machine_arn)

        api = apigateway.RestApi(self, "CheckoutApi", deploy_options=apigateway.StageOptions(stage_name="prod"))
        api.root.add_resource("orders").add_method("POST", apigateway.LambdaIntegration(orders))


app = App()
ServerlessFirstStack(app, "ServerlessFirst",
    env=Environment(account="123456789012", region="us-east-1"),
    tracing=MergedTracingOptions(
        env="prod",
        service="checkout",
        version="1.0.0",
        mode=TracingMode.SERVERLESS,
        api_key_secret_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf",
    ),
)
app.synth()
