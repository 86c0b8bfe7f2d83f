// The serverless-first example app (README) in Go: API Gateway REST -> Lambda (Node.js) -> Step Functions ->
// Lambda (Python), every hop in one merged trace. Go has no subclassing, so the stack is a
// MergedTracingStack the functions are added to. Synthesize with: cdk synth --app "go run ."
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-trace-merging/cdk-trace-merging-go/cdktracemerging"
)

const orderHandler = `
exports.handler = async (event) => {
  const tracer = require('dd-trace');
  return tracer.trace('checkout.validate', { resource: 'validate-order' }, async () => {
    return { statusCode: 200, body: JSON.stringify({ ok: true, path: event && event.path }) };
  });
};
`

const priceHandler = `
from ddtrace.trace import tracer

def handler(event, context):
    with tracer.trace("checkout.price", resource="price-order"):
        return {"price": 42, "sku": event.get("sku")}
`

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)

	stack := cdktracemerging.NewMergedTracingStack(app, jsii.String("ServerlessFirst"), &cdktracemerging.MergedTracingStackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
		Tracing: &cdktracemerging.MergedTracingOptions{
			Env:             jsii.String("prod"),
			Service:         jsii.String("checkout"),
			Version:         jsii.String("1.0.0"),
			Mode:            cdktracemerging.TracingMode_SERVERLESS,
			ApiKeySecretArn: jsii.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf"),
		},
	})

	orders := cdktracemerging.NewDatadogTracedFunction(stack, jsii.String("OrderFunction"), &cdktracemerging.DatadogTracedFunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(),
		Handler: jsii.String("index.handler"),
		Code:    awslambda.Code_FromInline(jsii.String(orderHandler)),
		Timeout: awscdk.Duration_Seconds(jsii.Number(10)),
	})

	// A plain awslambda.Function: the stack's aspect instruments it all the same.
	pricing := awslambda.NewFunction(stack, jsii.String("PriceFunction"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PYTHON_3_13(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(priceHandler)),
	})

	workflow := awsstepfunctions.NewStateMachine(stack, jsii.String("CheckoutWorkflow"), &awsstepfunctions.StateMachineProps{
		DefinitionBody: awsstepfunctions.DefinitionBody_FromChainable(awsstepfunctionstasks.NewLambdaInvoke(stack, jsii.String("PriceOrder"), &awsstepfunctionstasks.LambdaInvokeProps{
			LambdaFunction: pricing,
			OutputPath:     jsii.String("$.Payload"),
		})),
	})
	workflow.GrantStartExecution(orders)
	orders.AddEnvironment(jsii.String("WORKFLOW_ARN"), workflow.StateMachineArn(), nil)

	api := awsapigateway.NewRestApi(stack, jsii.String("CheckoutApi"), &awsapigateway.RestApiProps{
		DeployOptions: &awsapigateway.StageOptions{StageName: jsii.String("prod")},
	})
	api.Root().AddResource(jsii.String("orders"), nil).AddMethod(jsii.String("POST"), awsapigateway.NewLambdaIntegration(orders, nil), nil)

	app.Synth(nil)
}
