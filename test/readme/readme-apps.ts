/**
 * The README's TypeScript snippets as code that compiles (the test task type-checks test/) and runs
 * (test/readme/readme-first-screen.test.ts): each README block, its import lines aside, is a run of lines of this file.
 */
import { App, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { DatadogEksTracing, DatadogTracedFunction, MergedTracingStack, TraceMerging } from '../../lib';

/** "Use it on an existing app". */
export function existingApp(app: App, datadogApiKey: secretsmanager.ISecret): void {
  // At the end of bin/app.ts, once every stack and Stage exists
  TraceMerging.applyTo(app, { env: 'prod', apiKeySecret: datadogApiKey });
}

/** "New stacks": `orders` is a folder of the working directory holding index.js. */
export function newStacks(app: App, datadogApiKey: secretsmanager.ISecret): MergedTracingStack {
  const stack = new MergedTracingStack(app, 'Checkout', { tracing: { env: 'prod', apiKeySecret: datadogApiKey } });
  new DatadogTracedFunction(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset('orders'),
  });
  return stack;
}

/** "Hosts and containers": an EKS cluster of a HYBRID MergedTracingStack, and a Deployment added after its tracing. */
export function eksCluster(stack: MergedTracingStack, cluster: eks.Cluster, deployment: Record<string, any>): void {
  // The Agent (Datadog's Helm chart), its API key through EKS Pod Identity, and
  // env/service/version labels on the workloads of manifests added from now on
  new DatadogEksTracing(stack, 'ClusterTracing', { cluster });
  cluster.addManifest('Orders', deployment);
}

/** "Findings". */
export function acknowledgeTraceBreaks(scope: IConstruct): void {
  Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:TraceBreaks', reason: 'the workflow is traced on its own' });
}
