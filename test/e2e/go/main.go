// The Go function of the Go end-to-end suite (test/e2e/go-function.test.ts): a provided.al2023 handler wrapped with
// Datadog's Go Lambda library, as Datadog's Go instructions show (ddlambda.WrapFunction around the handler, spans
// from dd-trace-go through the handler's context). It prices an order, like the example's Python function, inside a
// span of its own, so the suite can see the user span under aws.lambda.
package main

import (
	"context"

	ddlambda "github.com/DataDog/datadog-lambda-go"
	"github.com/aws/aws-lambda-go/lambda"
	"gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer"
)

type order struct {
	Sku string `json:"sku"`
}

type price struct {
	Price int    `json:"price"`
	Sku   string `json:"sku"`
}

func handler(ctx context.Context, event order) (price, error) {
	span, _ := tracer.StartSpanFromContext(ctx, "checkout.price", tracer.ResourceName("price-order"))
	defer span.Finish()
	return price{Price: 42, Sku: event.Sku}, nil
}

func main() {
	lambda.Start(ddlambda.WrapFunction(handler, nil))
}
