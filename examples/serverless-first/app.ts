/**
 * Serverless-first: API Gateway REST -> Lambda (Node.js + Python) -> Step Functions -> Lambda,
 * every hop in one merged X-Ray + Datadog trace. `npx cdk synth` at the repository root synthesizes it.
 * The stack itself is in stack.ts. Context: datadogApiKeySecretArn (example value otherwise).
 */
import { App } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from './stack';

const app = new App();
const apiKeySecretArn = app.node.tryGetContext('datadogApiKeySecretArn');
const stack = new ServerlessFirstStack(app, 'ServerlessFirst', {
  env: SERVERLESS_FIRST_ENV,
  tracing: {
    ...SERVERLESS_FIRST_TRACING,
    apiKeySecretArn: apiKeySecretArn ?? SERVERLESS_FIRST_TRACING.apiKeySecretArn,
  },
});
// Referenced so readers of the example see the secret type is an option too.
void secretsmanager;
void stack;
app.synth();
