// Calls the price function in a loop, each call inside a dd-trace span of service DD_SERVICE.
const tracer = require('dd-trace');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');

const lambda = new LambdaClient({});
const functionName = process.env.PRICE_FUNCTION_NAME;

async function priceOrder() {
  await tracer.trace('orders.price', { resource: 'price-order' }, async () => {
    const result = await lambda.send(new InvokeCommand({
      FunctionName: functionName,
      Payload: Buffer.from(JSON.stringify({ sku: 'sku-1' })),
    }));
    return JSON.parse(Buffer.from(result.Payload).toString());
  });
}

setInterval(() => priceOrder().catch((err) => console.error('price call failed', err)), 5000);
