/**
 * The checker on EKS: the workloads of a traced cluster's manifests are report entries of their own, their pods' env
 * joins EnvMismatch with the functions, and what the checker cannot see (the app's Helm charts) is listed as not checked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DatadogEksTracing, DatadogEksV2Tracing, TraceMerging, TracingMode } from '../../lib';
import { deployment, EKS_SECRET_ARN, eksCluster, eksV2Cluster } from '../instrument/hosts/eks/eks-fixtures';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';
import { ACCOUNT, functionProps } from '../support/fixtures';

interface Edge { from: string; to: string; via: string; trace: string; reason?: string }
interface Entry {
  path: string;
  kind: string;
  status: string;
  env?: string;
  wired: string[];
  missing: string[];
  exclusion?: string;
  findings: Array<{ rule: string; level: string; message: string }>;
}

function reportOf(build: (stack: Stack, cluster: eks.Cluster) => void): { entries: Entry[]; edges: Edge[]; error?: string } {
  const app = new App(appPropsWithoutCfnValidation({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'eks-check-')) }));
  const stack = new Stack(app, 'Shop', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const cluster = eksCluster(stack);
  build(stack, cluster);
  TraceMerging.check(app);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = String((e as Error).message);
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'trace-merging-report.json'), 'utf-8')) as { resources: Entry[]; edges: Edge[] };
  const own = (p: string) => !p.includes('@aws-cdk');
  return { entries: report.resources.filter((r) => !r.status.startsWith('cdk-internal')), edges: report.edges.filter((e) => own(e.from) && own(e.to)), error };
}

const OPTIONS = { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKeySecretArn: EKS_SECRET_ARN };

describe('the checker on a cluster traced by DatadogEksTracing', () => {
  test('each workload is an entry, datadog-traced in the deployment\'s env; the Agent\'s own chart is not listed, the app\'s is not checked', () => {
    // GIVEN a traced cluster with a manifest of two workloads and a Service, and a Helm chart of the app
    const { entries, error } = reportOf((stack, cluster) => {
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
      cluster.addManifest('App', deployment('web'), { ...deployment('worker'), kind: 'StatefulSet' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });
      cluster.addHelmChart('Redis', { chart: 'redis', repository: 'https://charts.bitnami.com/bitnami', version: '21.0.0' });
    });
    // THEN
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.path, e.kind, e.status, e.env ?? null])).toEqual([
      ['Shop/Cluster', 'EKS cluster', 'datadog-traced', 'prod'],
      ['Shop/Cluster/chart-Redis', 'Helm chart', 'excluded', null],
      ['Shop/Cluster/manifest-App (Deployment default/web)', 'Kubernetes workload', 'datadog-traced', 'prod'],
      ['Shop/Cluster/manifest-App (StatefulSet default/worker)', 'Kubernetes workload', 'datadog-traced', 'prod'],
    ]);
    expect(entries[1].exclusion).toMatch(/a Helm chart of the app: its workloads are rendered on the cluster/);
  });

  test('a workload whose pods carry another env is an EnvMismatch error naming the workload and both values, with the functions', () => {
    const { entries, error } = reportOf((stack, cluster) => {
      new lambda.Function(stack, 'Price', functionProps(stack, lambda.Runtime.NODEJS_22_X));
      TraceMerging.applyTo(stack, OPTIONS);
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
      cluster.addManifest('App', deployment('web', { 'tags.datadoghq.com/env': 'staging' }));
    });
    const web = entries.find((e) => e.path.endsWith('(Deployment default/web)'))!;
    expect(web).toMatchObject({ status: 'incomplete', env: 'staging', missing: ['EnvMismatch'] });
    expect(web.findings[0].message).toMatch(/^This resource has env 'staging', but 'prod' at Shop\/Cluster is in the same deployment unit \(the app\).*set it in its pod template's tags.datadoghq.com\/env label/);
    expect(error).toMatch(/Shop\/Cluster\/manifest-App /);
  });

  test('a workload added before the tracing (no labels) draws EksWorkloadLabels and is incomplete', () => {
    const { entries } = reportOf((stack, cluster) => {
      cluster.addManifest('Early', deployment('early'));
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
    });
    const early = entries.find((e) => e.path.endsWith('(Deployment default/early)'))!;
    expect(early).toMatchObject({ status: 'incomplete', missing: ['EksWorkloadLabels'] });
    expect(early.findings[0]).toMatchObject({ rule: 'EksWorkloadLabels', level: 'warning' });
    expect(early.findings[0].message).toContain('Deployment default/early has pods without tags.datadoghq.com/env and admission.datadoghq.com/enabled');
  });

  test('without an API key the workloads are listed as not traced (NoApiKey); a cluster nobody traces is not in the report', () => {
    const { entries } = reportOf((stack, cluster) => {
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: { env: 'prod', mode: TracingMode.HYBRID } });
      cluster.addManifest('App', deployment('web'));
      // aws-eks takes one cluster per stack: the untraced one lives in a stack of its own.
      const other = eksCluster(new Stack(stack.node.scope!, 'Other', { env: { account: ACCOUNT, region: 'us-east-1' } }));
      other.addManifest('App', deployment('elsewhere'));
    });
    expect(entries.map((e) => [e.path, e.status])).toEqual([['Shop/Cluster', 'not-traced'], ['Shop/Cluster/manifest-App (Deployment default/web)', 'not-traced']]);
  });

  test.each(['POD_IDENTITY', 'IRSA'])('the map draws workload -> function where the workload\'s service account (%s) may invoke it', (identity) => {
    // GIVEN a function, and a workload whose service account's role is granted its invocation
    const { edges, error } = reportOf((stack, cluster) => {
      const fn = new lambda.Function(stack, 'Price', functionProps(stack, lambda.Runtime.NODEJS_22_X));
      TraceMerging.applyTo(stack, OPTIONS);
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
      const account = cluster.addServiceAccount('Caller', {
        name: 'caller', namespace: 'default', identityType: identity === 'IRSA' ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY,
      });
      fn.grantInvoke(account);
      const caller = deployment('web');
      caller.spec.template.spec.serviceAccountName = 'caller';
      cluster.addManifest('App', caller, deployment('bystander'));
    });
    // THEN one hop, from the workload that runs as the service account, judged as a host's call into a HYBRID function
    expect(error).toBeUndefined();
    expect(edges).toEqual([{
      from: 'Shop/Cluster/manifest-App (Deployment default/web)',
      to: 'Shop/Price',
      via: 'lambda:InvokeFunction grant',
      trace: 'breaks',
      reason: 'HYBRID mode: Shop/Cluster/manifest-App (Deployment default/web) is traced by dd-trace and Shop/Price by X-Ray, two traces ' +
        'that Datadog shows side by side by their shared env, service and version tags',
    }]);
  });

  test('the cluster entry says what was wired: the Agent chart and the API key path, each read back from the template', () => {
    const { entries } = reportOf((stack, cluster) => { new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS }); });
    expect(entries.find((e) => e.path === 'Shop/Cluster')!.wired).toEqual([
      "the Datadog Agent (Helm chart datadog 3.240.0) with APM on each node's port 8126 and the Cluster Agent's admission controller",
      "the API key through the Agent's secret backend (aws.secrets), read by datadog/datadog and datadog/datadog-cluster-agent through EKS Pod Identity",
    ]);
  });

  test('escape hatches that turn the Agent\'s APM port off or remove an association are errors on the cluster', () => {
    const { entries, error } = reportOf((stack, cluster) => {
      const tracing = new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
      const chart = cluster.node.findChild('chart-DatadogAgent').node.findChild('Resource').node.defaultChild as CfnResource;
      chart.addPropertyOverride('Values', JSON.stringify({ datadog: { apm: { portEnabled: false }, secretBackend: { type: 'aws.secrets' } } }));
      tracing.node.tryRemoveChild('ClusterAgentIdentity');
    });
    const entry = entries.find((e) => e.path === 'Shop/Cluster')!;
    expect(entry).toMatchObject({ status: 'incomplete', missing: ['EksClusterAgent', 'EksAgentApiKey'] });
    expect(entry.findings.map((f) => f.message)).toEqual([
      'This EKS cluster has a Datadog Agent chart whose values say datadog.apm.portEnabled is false, not true, so labelled pods get no DD_AGENT_HOST ' +
        "that reaches an Agent. Remove the override of the chart's values, or set those values back.",
      'This EKS cluster runs the Datadog Agent with its API key in aws.secrets, but no EKS Pod Identity association gives datadog/datadog-cluster-agent ' +
        'a role, so that Agent cannot read its key. Keep the associations DatadogEksTracing adds (do not remove them with an escape hatch).',
    ]);
    expect(error).toMatch(/EksClusterAgent/);
  });

  test('a Fargate profile defined outside the traced cluster (aws-eks) is an EksFargateProfile error naming it', () => {
    const { entries, error } = reportOf((stack, cluster) => {
      new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
      new eks.FargateProfile(stack, 'Batch', { cluster, selectors: [{ namespace: 'batch' }] });
    });
    expect(entries.find((e) => e.path === 'Shop/Batch')).toMatchObject({ kind: 'Fargate profile', status: 'incomplete', missing: ['EksFargateProfile'] });
    expect(error).toMatch(/This Fargate profile selects pods that get no Datadog Agent \(the node Agent is a DaemonSet, and Fargate runs none\)/);
  });

  test('a Fargate profile defined outside the traced cluster (aws-eks-v2) is an EksFargateProfile error too', () => {
    const app = new App(appPropsWithoutCfnValidation({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'eks-check-')) }));
    const stack = new Stack(app, 'Shop', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const cluster = eksV2Cluster(stack);
    new DatadogEksV2Tracing(stack, 'Tracing', { cluster, mergedTracing: OPTIONS });
    new eksv2.FargateProfile(stack, 'Batch', { cluster, selectors: [{ namespace: 'batch' }] });
    // (the tracing's own fallback check covers the cluster's construct; what is defined beside it, a check of the app)
    TraceMerging.check(app);
    expect(() => app.synth()).toThrow(/Shop\/Batch[\s\S]*EksFargateProfile/);
  });
});
