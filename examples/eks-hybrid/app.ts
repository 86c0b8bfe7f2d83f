/**
 * `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/eks-hybrid/app.ts"` synthesizes it.
 * Context: datadogApiKeySecretArn, kubectlLayerArn (example values below otherwise).
 */
import { App } from 'aws-cdk-lib';
import { EksHybridStack } from './stack';
import { TracingMode } from '../../lib';

const app = new App();
new EksHybridStack(app, 'EksHybrid', {
  tracing: {
    env: 'prod',
    service: 'orders',
    version: '1.0.0',
    mode: TracingMode.HYBRID,
    apiKeySecretArn: app.node.tryGetContext('datadogApiKeySecretArn')
      ?? 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
  },
  kubectlLayerArn: app.node.tryGetContext('kubectlLayerArn') ?? 'arn:aws:lambda:us-east-1:123456789012:layer:kubectl:1',
});
app.synth();
