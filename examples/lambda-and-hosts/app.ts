/**
 * `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/lambda-and-hosts/app.ts"` synthesizes it.
 * Context: datadogApiKeySecretArn, datadogIntegrationRoleName (example values below otherwise).
 */
import { App } from 'aws-cdk-lib';
import { LambdaAndHostsStack } from './stack';
import { TracingMode } from '../../lib';

const app = new App();
// Environment-agnostic: deploys to the CLI's account and region; synthesis needs no AWS credentials
// (the VPC takes two zones with Fn::GetAZs and the Datadog layers resolve per partition in CloudFormation).
new LambdaAndHostsStack(app, 'LambdaAndHosts', {
  tracing: {
    env: 'prod',
    service: 'orders',
    version: '1.0.0',
    mode: TracingMode.HYBRID,
    apiKeySecretArn: app.node.tryGetContext('datadogApiKeySecretArn')
      ?? 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
  },
  datadogIntegrationRoleName: app.node.tryGetContext('datadogIntegrationRoleName') ?? 'DatadogIntegrationRole',
});
app.synth();
