package com.example;

import io.github.cdktracemerging.DatadogTracedFunction;
import io.github.cdktracemerging.MergedTracingOptions;
import io.github.cdktracemerging.MergedTracingStack;
import io.github.cdktracemerging.MergedTracingStackProps;
import io.github.cdktracemerging.TracingMode;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

public final class ServerlessFirstApp {
    static final String ORDER_HANDLER = """

            exports.handler = async (event) => {
              const tracer = require('dd-trace');
              return tracer.trace('checkout.validate', { resource: 'validate-order' }, async () => {
                return { statusCode: 200, body: JSON.stringify({ ok: true, path: event && event.path }) };
              });
            };
            """;

    static final String PRICE_HANDLER = """

            from ddtrace.trace import tracer

            def handler(event, context):
                with tracer.trace("checkout.price", resource="price-order"):
                    return {"price": 42, "sku": event.get("sku")}
            """;

    static final class ServerlessFirstStack extends MergedTracingStack {
        ServerlessFirstStack(final Construct scope, final String id, final MergedTracingStackProps props) {
            super(scope, id, props);

            DatadogTracedFunction orders = DatadogTracedFunction.Builder.create(this, "OrderFunction")
                    .runtime(Runtime.NODEJS_22_X)
                    .handler("index.handler")
                    .code(Code.fromInline(ORDER_HANDLER))
                    .timeout(Duration.seconds(10))
                    .build();

            // A plain Function: the stack's aspect instruments it all the same.
            Function pricing = Function.Builder.create(this, "PriceFunction")
                    .runtime(Runtime.PYTHON_3_13)
                    .architecture(Architecture.ARM_64)
                    .handler("index.handler")
                    .code(Code.fromInline(PRICE_HANDLER))
                    .build();

            StateMachine workflow = StateMachine.Builder.create(this, "CheckoutWorkflow")
                    .definitionBody(DefinitionBody.fromChainable(LambdaInvoke.Builder.create(this, "PriceOrder")
                            .lambdaFunction(pricing)
                            .outputPath("$.Payload")
                            .build()))
                    .build();
            workflow.grantStartExecution(orders);
            orders.addEnvironment("WORKFLOW_ARN", workflow.getStateMachineArn());

            RestApi api = RestApi.Builder.create(this, "CheckoutApi")
                    .deployOptions(StageOptions.builder().stageName("prod").build())
                    .build();
            api.getRoot().addResource("orders").addMethod("POST", new LambdaIntegration(orders));
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        new ServerlessFirstStack(app, "ServerlessFirst", MergedTracingStackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .tracing(MergedTracingOptions.builder()
                        .env("prod")
                        .service("checkout")
                        .version("1.0.0")
                        .mode(TracingMode.SERVERLESS)
                        .apiKeySecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf")
                        .build())
                .build());
        app.synth();
    }
}
