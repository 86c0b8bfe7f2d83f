/**
 * examples/eks-hybrid: a Lambda function and an EKS Deployment of one deployment, synthesized in-process (the CLI
 * synthesis of the other examples costs a minute; this one proves the same through the app's construct tree).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EksHybridStack } from '../../examples/eks-hybrid/stack';
import { TracingMode } from '../../lib';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';

function synthesize(): { template: Template; report: string; app: App } {
  const app = new App(appPropsWithoutCfnValidation({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'eks-hybrid-')) }));
  const stack = new EksHybridStack(app, 'EksHybrid', {
    env: { account: '123456789012', region: 'us-east-1' },
    tracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN },
    kubectlLayerArn: 'arn:aws:lambda:us-east-1:123456789012:layer:kubectl:1',
  });
  app.synth();
  return { template: Template.fromStack(stack), report: fs.readFileSync(path.join(app.outdir, 'trace-merging-report.md'), 'utf-8'), app };
}

/** The template with what changes between runs and releases masked: asset hashes and the provider's own resources. */
function stableTemplate(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}/g, '<hash>'));
}

describe('examples/eks-hybrid', () => {
  let synth: ReturnType<typeof synthesize>;
  beforeAll(() => { synth = synthesize(); });

  test('the workload and the function share env, service and version; the function is X-Ray traced', () => {
    // GIVEN the example WHEN synthesized THEN the Deployment's pods carry the labels and the admission label
    const manifests = Object.values(synth.template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))
      .map((m) => m.Properties.Manifest).filter((m) => typeof m === 'string').flatMap((m) => JSON.parse(m));
    const orders = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === 'orders');
    expect(orders.spec.template.metadata.labels).toEqual({
      'app': 'orders',
      'tags.datadoghq.com/env': 'prod',
      'tags.datadoghq.com/service': 'orders',
      'tags.datadoghq.com/version': '1.0.0',
      'admission.datadoghq.com/enabled': 'true',
    });
    synth.template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' }, Environment: { Variables: { DD_ENV: 'prod', DD_SERVICE: 'orders' } } });
    synth.template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'datadog', Version: '3.240.0' });
  });

  test('the report lists the workload as traced by Datadog, in env prod', () => {
    expect(synth.report).toContain('| EksHybrid/Cluster/manifest-Orders (Deployment default/orders) | Kubernetes workload | datadog-traced |');
    expect(synth.report).toMatch(/EksHybrid\/PriceFunction \| Lambda function \| xray-traced/);
  });

  test('snapshot (asset hashes masked), on top of the assertions above', () => {
    expect(stableTemplate(synth.template)).toMatchSnapshot();
  });
});
