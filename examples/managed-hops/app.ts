/**
 * Managed hops: AppSync GraphQL API -> Lambda resolver -> SNS topic -> Lambda, with X-Ray on the two
 * AWS-managed hops and Datadog on the functions. The stack itself is in stack.ts.
 * `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/managed-hops/app.ts"` synthesizes it.
 * Context: datadogApiKeySecretArn (example value otherwise).
 */
import { App } from 'aws-cdk-lib';
import { MANAGED_HOPS_ENV, MANAGED_HOPS_TRACING, ManagedHopsStack } from './stack';

const app = new App();
new ManagedHopsStack(app, 'ManagedHops', {
  env: MANAGED_HOPS_ENV,
  tracing: {
    ...MANAGED_HOPS_TRACING,
    apiKeySecretArn: app.node.tryGetContext('datadogApiKeySecretArn') ?? MANAGED_HOPS_TRACING.apiKeySecretArn,
  },
});
app.synth();
