/**
 * `tracer` on DatadogEcsTracing and DatadogEc2Tracing: a Java host gets X-Ray's propagation style beside dd-trace-java's
 * defaults, other languages nothing, a value the user set wins; and the trace map judges the host's hops by it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DatadogEc2Tracing, DatadogEcsTracing, HostTracer, MergedTracingOptions, TracingMode } from '../../../lib';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { reportedMap } from '../../check/validation';
import { plainFunction } from '../../support/fixtures';
import { userDataLines } from '../../support/user-data';

const ENV = { account: '123456789012', region: 'us-east-1' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';
const HYBRID: MergedTracingOptions = { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN };
const STYLE = 'DD_TRACE_PROPAGATION_STYLE_INJECT';

function task(stack: Stack, environment?: Record<string, string>): ecs.FargateTaskDefinition {
  const definition = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  definition.addContainer('app', { containerName: 'app', image: ecs.ContainerImage.fromRegistry('example/app:1'), environment });
  return definition;
}

/** The app container's environment, as synthesized. */
function appEnvironment(stack: Stack): Record<string, unknown> {
  const [definition] = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'));
  const app = (definition.Properties.ContainerDefinitions as Array<{ Name: string; Environment?: Array<{ Name: string; Value: unknown }> }>)
    .find((c) => c.Name === 'app')!;
  return Object.fromEntries((app.Environment ?? []).map((e) => [e.Name, e.Value]));
}

describe('DatadogEcsTracing tracer', () => {
  test.each([
    ['JAVA', HostTracer.JAVA, 'datadog,tracecontext,xray'],
    ['NODEJS', HostTracer.NODEJS, undefined],
    ['PYTHON', HostTracer.PYTHON, undefined],
  ])('%s: the propagation styles of the app containers', (_name, tracer, expected) => {
    // GIVEN a task traced with the tracer's language
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task(stack), mergedTracing: HYBRID, tracer });
    // THEN X-Ray's style only where the tracer has it
    expect(appEnvironment(stack)[STYLE]).toBe(expected);
  });

  test("a container's own propagation styles win", () => {
    // GIVEN a Java container that sets its own styles
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task(stack, { [STYLE]: 'datadog' }), mergedTracing: HYBRID, tracer: HostTracer.JAVA });
    // THEN
    expect(appEnvironment(stack)[STYLE]).toBe('datadog');
  });
});

describe('DatadogEc2Tracing tracer', () => {
  function host(tracer?: HostTracer): string[] {
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const instance = new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: HYBRID, tracer });
    return userDataLines(stack, 'shown');
  }

  test('JAVA: the styles are set for every process, beside DD_ENV, and checked on the host like them', () => {
    const lines = host(HostTracer.JAVA);
    expect(lines).toContain(`${STYLE}_VALUE='datadog,tracecontext,xray'`);
    expect(lines).toContain(`[[ $${STYLE}_VALUE =~ ^[a-z,]+$ ]] || refuse '${STYLE} is not a list of styles'`);
    expect(lines.find((l) => l.includes('>> /etc/environment'))).toContain(`"${STYLE}=$${STYLE}_VALUE"`);
  });

  test('NODEJS, or no tracer said: no propagation styles', () => {
    expect(host(HostTracer.NODEJS).some((l) => l.includes(STYLE))).toBe(false);
    expect(host().some((l) => l.includes(STYLE))).toBe(false);
  });
});

describe("the trace map judges a host's hops by its tracer", () => {
  /** An ECS task of `tracer` that sends to a queue a SERVERLESS Node.js function reads, and invokes a HYBRID function. */
  function mapOf(tracer: HostTracer) {
    const app = new App();
    const serverless = new Stack(app, 'Orders', { env: ENV });
    const hybrid = new Stack(app, 'Hosts', { env: ENV });
    const queue = new sqs.Queue(serverless, 'Queue');
    plainFunction(serverless, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X }).addEventSource(new sources.SqsEventSource(queue));
    const definition = task(hybrid);
    new DatadogEcsTracing(hybrid, 'Tracing', { taskDefinition: definition, mergedTracing: HYBRID, tracer });
    queue.grantSendMessages(definition.taskRole);
    plainFunction(hybrid, 'Price').grantInvoke(definition.taskRole);
    MergedTracing.applyTo(serverless, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    MergedTracing.applyTo(hybrid, HYBRID);
    MergedTracingChecker.applyTo(app);
    const map = reportedMap(app);
    return (from: string, to: string) => map.edges.find((e) => e.from === from && e.to === to);
  }

  test('JAVA: its padded X-Ray header reaches the worker through SQS, where the Datadog library reads it; a direct call stays unknown', () => {
    const edge = mapOf(HostTracer.JAVA);
    expect(edge('Orders/Queue', 'Orders/Worker')).toMatchObject({ trace: 'continues', carriedBy: ['X-Ray header'] });
    expect(edge('Hosts/Task', 'Hosts/Price')).toMatchObject({
      trace: 'unknown', reason: expect.stringContaining("runs dd-trace for java: the X-Ray header carries Datadog's ids after a zero epoch"),
    });
  });

  test('NODEJS: no X-Ray header, so the worker cannot be told; into the HYBRID function, two traces by design, saying why', () => {
    const edge = mapOf(HostTracer.NODEJS);
    expect(edge('Orders/Queue', 'Orders/Worker')).toMatchObject({ trace: 'unknown' });
    expect(edge('Hosts/Task', 'Hosts/Price')).toMatchObject({
      trace: 'breaks', reason: expect.stringContaining('dd-trace for nodejs has no X-Ray propagation style that could join them'),
    });
  });
});
