/**
 * cdk-nag users (its AwsSolutions pack, a dev dependency only): merged tracing adds no unexplained finding. Each app
 * is synthesized with and without merged tracing (an example's baseline: its stack with its whole path excluded), and
 * the traced one may have no finding the plain one lacks. The library's unavoidable ones (X-Ray actions take no
 * resource ARN, so `Resource::*`) are acknowledged on the library's own resources, with the reason.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LambdaAndHostsStack } from '../../examples/lambda-and-hosts/stack';
import { MANAGED_HOPS_ENV, MANAGED_HOPS_TRACING, ManagedHopsStack } from '../../examples/managed-hops/stack';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { DatadogEc2Tracing, DatadogEcsTracing, DatadogEksTracing, DatadogEksV2Tracing, TracingMode } from '../../lib';
import { deployment, eksCluster, eksV2Cluster } from '../instrument/hosts/eks/eks-fixtures';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';
import { ACCOUNT } from '../support/fixtures';

/** `<rule> <construct path>` for every cdk-nag finding of the app, from CDK's validation report. */
function nagFindings(build: (app: App) => void): string[] {
  const app = new App(appPropsWithoutCfnValidation({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-')) }));
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (e) {
    if (!String((e as Error).message).includes('validation-report.json')) throw e;
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8')) as {
    pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
  };
  return report.pluginReports.filter((r) => r.pluginName === 'AwsSolutions')
    .flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`))).sort();
}

/** The findings of the traced app the plain one does not have. */
function addedByTracing(build: (app: App, trace: boolean) => void): string[] {
  const plain = new Set(nagFindings((app) => build(app, false)));
  return nagFindings((app) => build(app, true)).filter((f) => !plain.has(f));
}

const untraced = (trace: boolean, id: string) => (trace ? {} : { excludeConstructPaths: [id] });

describe('cdk-nag (AwsSolutions): merged tracing adds no unexplained finding', () => {
  test('examples/serverless-first', () => {
    expect(addedByTracing((app, trace) => new ServerlessFirstStack(app, 'ServerlessFirst', {
      env: SERVERLESS_FIRST_ENV, tracing: { ...SERVERLESS_FIRST_TRACING, ...untraced(trace, 'ServerlessFirst') },
    }))).toEqual([]);
  });

  test('examples/managed-hops (with the X-Ray resource policy stack)', () => {
    expect(addedByTracing((app, trace) => new ManagedHopsStack(app, 'ManagedHops', {
      env: MANAGED_HOPS_ENV, tracing: { ...MANAGED_HOPS_TRACING, ...untraced(trace, 'ManagedHops') },
    }))).toEqual([]);
  });

  test('examples/lambda-and-hosts (the Agent sidecar has a log configuration: no AwsSolutions-ECS7)', () => {
    const findings = nagFindings((app) => new LambdaAndHostsStack(app, 'LambdaAndHosts', {
      tracing: {
        env: 'prod',
        service: 'orders',
        version: '1.0.0',
        mode: TracingMode.HYBRID,
        apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`,
      },
      datadogIntegrationRoleName: 'DatadogIntegrationRole',
    }));
    expect(findings.filter((f) => f.startsWith('AwsSolutions-ECS7'))).toEqual([]);
    expect(addedByTracing((app, trace) => new LambdaAndHostsStack(app, 'LambdaAndHosts', {
      tracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, ...untraced(trace, 'LambdaAndHosts') },
      datadogIntegrationRoleName: 'DatadogIntegrationRole',
    }))).toEqual([]);
  });

  test('an ECS task traced by DatadogEcsTracing adds nothing cdk-nag flags, the Agent\'s log group included', () => {
    expect(addedByTracing((app, trace) => {
      const stack = new Stack(app, 'Hosts', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('example/app:1'), logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }) });
      if (trace) {
        new DatadogEcsTracing(stack, 'Tracing', {
          taskDefinition: task,
          mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` },
        });
      }
    })).toEqual([]);
  });

  test('an Auto Scaling group traced by DatadogEc2Tracing adds nothing cdk-nag flags (its role reads the one secret)', () => {
    expect(addedByTracing((app, trace) => {
      const stack = new Stack(app, 'Hosts', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
      const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        instanceType: new ec2.InstanceType('t3.micro'),
        userData: ec2.UserData.forLinux(),
        role: new iam.Role(stack, 'HostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      });
      const group = new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, launchTemplate });
      if (trace) {
        new DatadogEc2Tracing(stack, 'Tracing', {
          autoScalingGroup: group,
          mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` },
        });
      }
    })).toEqual([]);
  });

  test.each(['aws-eks', 'aws-eks-v2'])('an EKS cluster (%s) traced by DatadogEksTracing adds nothing cdk-nag flags (the Agent\'s role reads the one secret)', (module) => {
    expect(addedByTracing((app, trace) => {
      const stack = new Stack(app, 'Eks', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const mergedTracing = { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` };
      if (module === 'aws-eks') {
        const cluster = eksCluster(stack);
        if (trace) new DatadogEksTracing(stack, 'Tracing', { cluster, mergedTracing });
        cluster.addManifest('App', deployment('web'));
      } else {
        const cluster = eksV2Cluster(stack);
        if (trace) new DatadogEksV2Tracing(stack, 'Tracing', { cluster, mergedTracing }).addManifest('App', deployment('web'));
        else cluster.addManifest('App', deployment('web'));
      }
    })).toEqual([]);
  });

  test('an app container with variables of its own still draws AwsSolutions-ECS2: the library acknowledges only its own', () => {
    const findings = nagFindings((app) => {
      const stack = new Stack(app, 'Hosts', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('example/app:1'), environment: { DB_PASSWORD: 'hunter2' } });
      new DatadogEcsTracing(stack, 'Tracing', {
        taskDefinition: task,
        mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` },
      });
    });
    expect(findings).toContain('AwsSolutions-ECS2 Hosts/Task/Resource');
  });

  test('control: the same X-Ray wildcard on a role of the user\'s is flagged (cdk-nag runs, and IAM5 is real)', () => {
    const findings = nagFindings((app) => {
      const stack = new Stack(app, 'Own', { env: { account: ACCOUNT, region: 'us-east-1' } });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
    });
    expect(findings).toContain('AwsSolutions-IAM5[Resource::*] Own/Role/DefaultPolicy/Resource');
  });
});
