import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, everyHopStack, mapOfTracedApp, PARTNER_ARN, SCHEMA, SECRET_ARN } from './hops-of-constructs';
import { DatadogEcsTracing, TracingMode } from '../../../lib';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { REPORT_MARKDOWN } from '../../../lib/check/report';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { plainFunction } from '../../support/fixtures';
import { findings, reportedMap, ReportedMap, violationAt } from '../validation';

const HTTP_BREAK = 'HTTP and WebSocket APIs have no X-Ray tracing: no trace header reaches the function, so its trace starts there';
const KINESIS_BREAK = 'Kinesis records carry no X-Ray header: each batch the function reads starts a new X-Ray trace';
const DYNAMODB_BREAK = 'DynamoDB stream records carry no X-Ray header: each batch the function reads starts a new X-Ray trace';
const XRAY = ['X-Ray header'];
const BOTH = ['Datadog context', 'X-Ray header'];
const UNTRACED_TASK = 'Shop/Task is not traced by DatadogEcsTracing or DatadogEc2Tracing, so nothing this app sets up carries its trace into Shop/Orders';

/** Every hop of everyHopStack, as the report must list them (sorted by from, to, via). */
const EVERY_HOP = [
  { from: 'Shop/Api/DeploymentStage.prod', to: 'Shop/Orders', via: 'REST API integration', trace: 'continues', carriedBy: XRAY },
  { from: 'Shop/Audit', to: 'Shop/Auditor', via: 'DynamoDB stream event source mapping', trace: 'breaks', reason: DYNAMODB_BREAK },
  { from: 'Shop/ClickStream', to: 'Shop/Clicks', via: 'Kinesis event source mapping', trace: 'breaks', reason: KINESIS_BREAK },
  { from: 'Shop/Flow', to: 'Shop/Pricing', via: 'state machine task', trace: 'continues', carriedBy: XRAY },
  { from: 'Shop/Graph', to: 'Shop/Resolver', via: 'AppSync Lambda data source', trace: 'continues', carriedBy: XRAY },
  { from: 'Shop/Http', to: 'Shop/Pricing', via: 'HTTP API integration', trace: 'breaks', reason: HTTP_BREAK },
  { from: 'Shop/Nightly', to: 'Shop/Worker', via: 'EventBridge rule target', trace: 'continues', carriedBy: XRAY },
  {
    from: 'Shop/Orders',
    to: 'Shop/Billing',
    via: 'lambda:InvokeFunction grant',
    trace: 'unknown',
    reason: 'Shop/Billing merges only once its handler is wrapped in code (ruby3.3), which a template cannot show',
  },
  { from: 'Shop/Orders', to: 'Shop/Flow', via: 'states:StartExecution grant', trace: 'continues', carriedBy: XRAY },
  {
    from: 'Shop/Orders',
    to: 'Shop/Ledger',
    via: 'lambda:InvokeFunction grant',
    trace: 'breaks',
    reason: 'Datadog does not merge X-Ray traces for java21: the hop shows as two traces',
  },
  { from: 'Shop/Orders', to: 'Shop/Pricing', via: 'lambda:InvokeFunction grant', trace: 'continues', carriedBy: XRAY },
  // Orders is a SERVERLESS Node.js function: dd-trace puts Datadog's context into the message, beside the SDK's X-Ray header.
  { from: 'Shop/Orders', to: 'Shop/Queue', via: 'sqs:SendMessage grant', trace: 'continues', carriedBy: BOTH },
  { from: 'Shop/Orders', to: 'Shop/Topic', via: 'sns:Publish grant', trace: 'continues', carriedBy: BOTH },
  {
    from: 'Shop/Orders',
    to: PARTNER_ARN,
    via: 'lambda:InvokeFunction grant',
    trace: 'unknown',
    reason: `the function ${PARTNER_ARN} is not in the report (outside the app, or outside every checker's scope), so its tracing cannot be seen`,
  },
  // SQS would start a new X-Ray trace at Worker, linked; Datadog's context from Orders continues the one trace.
  { from: 'Shop/Queue', to: 'Shop/Worker', via: 'SQS event source mapping', trace: 'continues', carriedBy: ['Datadog context'] },
  { from: 'Shop/Task', to: 'Shop/Orders', via: 'lambda:InvokeFunction grant', trace: 'unknown', reason: UNTRACED_TASK },
  { from: 'Shop/Topic', to: 'Shop/Shipper', via: 'SNS subscription', trace: 'continues', carriedBy: BOTH },
];

describe('the trace map of an app with every kind of hop, made of L2 constructs (SERVERLESS)', () => {
  // GIVEN every hop kind in one stack, instrumented and checked
  const app = new App();
  everyHopStack(app);
  // WHEN the app synthesizes
  const map = mapOfTracedApp(app);

  test('each hop is an edge with its mechanism and whether the merged trace continues, and why not', () => {
    // THEN
    expect(map.edges).toEqual(EVERY_HOP);
  });

  test('resources only the map draws are listed with their kind and stack; an imported function by its ARN', () => {
    // THEN
    expect(map.otherResources).toEqual([
      { path: 'Shop/Audit', kind: 'DynamoDB table', unit: 'the app', stack: 'Shop' },
      { path: 'Shop/ClickStream', kind: 'Kinesis stream', unit: 'the app', stack: 'Shop' },
      { path: 'Shop/Nightly', kind: 'EventBridge schedule', unit: 'the app', stack: 'Shop' },
      { path: 'Shop/Queue', kind: 'SQS queue', unit: 'the app', stack: 'Shop' },
      { path: 'Shop/Task', kind: 'ECS task definition', unit: 'the app', stack: 'Shop' },
      { path: PARTNER_ARN, kind: 'Lambda function outside the app' },
    ]);
  });

  test('every path from an entry point ends with its verdict: one trace, or the first break and why', () => {
    // THEN a few paths, exactly
    expect(map.paths).toContainEqual({ through: ['Shop/Api/DeploymentStage.prod', 'Shop/Orders', 'Shop/Flow', 'Shop/Pricing'], trace: 'continues' });
    expect(map.paths).toContainEqual({ through: ['Shop/Http', 'Shop/Pricing'], trace: 'breaks', at: 'Shop/Pricing', because: HTTP_BREAK });
    expect(map.paths).toContainEqual({
      through: ['Shop/Task', 'Shop/Orders', 'Shop/Ledger'],
      trace: 'breaks',
      at: 'Shop/Ledger',
      because: 'Datadog does not merge X-Ray traces for java21: the hop shows as two traces',
    });
    expect(map.paths).toContainEqual({ through: ['Shop/Task', 'Shop/Orders', 'Shop/Topic', 'Shop/Shipper'], trace: 'unknown', at: 'Shop/Orders', because: UNTRACED_TASK });
    // Entry points are what nothing in the app calls: APIs, streams, the schedule, the GraphQL API, the task
    expect([...new Set(map.paths.map((p) => p.through[0]))]).toEqual([
      'Shop/Api/DeploymentStage.prod', 'Shop/Audit', 'Shop/ClickStream', 'Shop/Graph', 'Shop/Http', 'Shop/Nightly', 'Shop/Task',
    ]);
    expect(map.pathsOmitted).toBe(0);
  });

  test('the Markdown report lists the paths and the hops with their carriers, and draws broken hops dotted with a cross', () => {
    // THEN
    const markdown = fs.readFileSync(path.join(app.outdir, REPORT_MARKDOWN), 'utf-8');
    expect(markdown).toContain(`| Shop/Http → Shop/Pricing | breaks at Shop/Pricing because ${HTTP_BREAK} |`);
    expect(markdown).toContain('| Shop/Graph → Shop/Resolver | one trace |');
    expect(markdown).toContain(`| Shop/Http | Shop/Pricing | HTTP API integration | breaks | - | ${HTTP_BREAK} |`);
    expect(markdown).toContain('| Shop/Queue | Shop/Worker | SQS event source mapping | continues | Datadog context | - |');
    const mermaid = markdown.slice(markdown.indexOf('```mermaid\n'));
    expect(mermaid).toMatch(/ r\d+ -\.-x\|"HTTP API integration: breaks"\| r\d+\n/);
    expect(mermaid).toMatch(/ r\d+ -->\|"SNS subscription: Datadog context \+ X-Ray header"\| r\d+\n/);
  });

  test('TraceBreaks warns on the target of each break its own findings do not already report, naming the upstream resource and why', () => {
    // THEN the HTTP API's function and the stream consumers; not the Java function (MergeNotSupported says it)
    expect(findings(app, 'warning').filter((f) => f.endsWith(' TraceBreaks'))).toEqual([
      '/Shop/Auditor TraceBreaks', '/Shop/Clicks TraceBreaks', '/Shop/Pricing TraceBreaks',
    ]);
    expect(violationAt(app, 'Shop/Pricing', 'TraceBreaks')).toMatchObject({
      description: `This function is where the merged trace from Shop/Http breaks (HTTP API integration): ${HTTP_BREAK}. [cdk-trace-merging:TraceBreaks]`,
      suggestedFix: 'See the trace map in trace-merging-report.md; fix the hop, or acknowledge this warning where the break is by design '
        + "(Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:TraceBreaks', reason })).",
      severity: 'warning',
    });
  });
});

describe('a hop breaks where X-Ray is off upstream', () => {
  // GIVEN a REST API, a state machine and a GraphQL API with X-Ray off in front of functions, checked but not instrumented
  const app = new App();
  const stack = new Stack(app, 'Legacy', { env: ENV });
  const fn = plainFunction(stack, 'Fn');
  const worker = plainFunction(stack, 'Worker');
  const resolver = plainFunction(stack, 'Resolver');
  new appsync.GraphqlApi(stack, 'Graph', { name: 'legacy', definition: appsync.Definition.fromFile(SCHEMA) }).addLambdaDataSource('Resolve', resolver);
  new apigateway.LambdaRestApi(stack, 'Api', { handler: fn });
  const flow = new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Work', { lambdaFunction: worker })),
  });
  flow.grantStartExecution(fn);
  MergedTracingChecker.applyTo(app, { downgradeToWarning: MergedTracingChecker.ruleNames() });
  // WHEN
  const map = reportedMap(app);

  test('the stage, the state machine and the GraphQL API name themselves as the reason; the break into the state machine is its own finding', () => {
    // THEN
    const reasons = Object.fromEntries(map.edges.map((e) => [`${e.from} -> ${e.to}`, [e.trace, e.reason]]));
    expect(reasons).toEqual({
      'Legacy/Api/DeploymentStage.prod -> Legacy/Fn': ['breaks', 'X-Ray tracing is off on the REST API stage Legacy/Api/DeploymentStage.prod'],
      'Legacy/Flow -> Legacy/Worker': ['breaks', 'X-Ray tracing is off on the state machine Legacy/Flow'],
      'Legacy/Fn -> Legacy/Flow': ['breaks', 'X-Ray tracing is off on the state machine Legacy/Flow'],
      'Legacy/Graph -> Legacy/Resolver': ['breaks', 'X-Ray tracing is off on the GraphQL API Legacy/Graph'],
    });
    expect(findings(app, 'warning').filter((f) => f.endsWith(' TraceBreaks'))).toEqual([
      '/Legacy/Fn TraceBreaks', '/Legacy/Resolver TraceBreaks', '/Legacy/Worker TraceBreaks',
    ]);
  });
});

describe('TraceBreaks can be acknowledged or disabled', () => {
  /** An HTTP API in front of an instrumented function. */
  function httpApp(): { app: App; fn: lambda.Function } {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: ENV });
    const fn = plainFunction(stack, 'Fn');
    new apigatewayv2.HttpApi(stack, 'Http', { defaultIntegration: new integrations.HttpLambdaIntegration('Int', fn) });
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    return { app, fn };
  }

  test('acknowledged: no warning, and the report keeps it as acknowledged while the hop still breaks', () => {
    // GIVEN
    const { app, fn } = httpApp();
    Validations.of(fn).acknowledge({ id: 'cdk-trace-merging:TraceBreaks', reason: 'the HTTP API is the edge of the trace by design' });
    MergedTracingChecker.applyTo(app);
    // WHEN
    const map = reportedMap(app);
    // THEN
    expect(findings(app, 'warning')).not.toContain('/Edge/Fn TraceBreaks');
    expect(map.edges.map((e) => e.trace)).toEqual(['breaks']);
    const entries = JSON.parse(fs.readFileSync(path.join(app.outdir, 'trace-merging-report.json'), 'utf-8')).resources;
    const fnEntry = entries.find((e: { path: string }) => e.path === 'Edge/Fn');
    expect(fnEntry.findings).toEqual([expect.objectContaining({ rule: 'TraceBreaks', acknowledged: true })]);
    expect(fnEntry.status).toBe('merged');
  });

  test('disabled: no finding at all, the map unchanged', () => {
    // GIVEN
    const { app } = httpApp();
    MergedTracingChecker.applyTo(app, { disabledRules: ['TraceBreaks'] });
    // WHEN
    const map = reportedMap(app);
    // THEN
    expect(findings(app, 'warning')).not.toContain('/Edge/Fn TraceBreaks');
    expect(map.edges).toEqual([{ from: 'Edge/Http', to: 'Edge/Fn', via: 'HTTP API integration', trace: 'breaks', reason: HTTP_BREAK }]);
  });
});

describe('hosts: the hop from a traced ECS task into a function', () => {
  /** An ECS task traced by DatadogEcsTracing that may invoke a function, in one mode. */
  function hostApp(mode: TracingMode): ReportedMap & { app: App } {
    const app = new App();
    const stack = new Stack(app, 'Mixed', { env: ENV });
    const fn = plainFunction(stack, 'Price');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22') });
    const options = { env: 'prod', service: 'orders', mode, apiKeySecretArn: SECRET_ARN };
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: options });
    MergedTracing.applyTo(stack, options);
    fn.grantInvoke(task.taskRole);
    MergedTracingChecker.applyTo(app);
    return { ...reportedMap(app), app };
  }

  test('HYBRID: two traces by design, side by side by their tags; no TraceBreaks', () => {
    // GIVEN / WHEN
    const { edges, app } = hostApp(TracingMode.HYBRID);
    // THEN
    expect(edges).toEqual([{
      from: 'Mixed/Task',
      to: 'Mixed/Price',
      via: 'lambda:InvokeFunction grant',
      trace: 'breaks',
      reason: 'HYBRID mode: Mixed/Task is traced by dd-trace and Mixed/Price by X-Ray, two traces that Datadog shows side by side by their shared env, service and version tags',
    }]);
    expect(findings(app, 'warning').filter((f) => f.endsWith(' TraceBreaks'))).toEqual([]);
  });

  test('SERVERLESS: whether dd-trace carries the trace into the function is in the host\'s code: unknown', () => {
    // GIVEN / WHEN
    const { edges } = hostApp(TracingMode.SERVERLESS);
    // THEN
    expect(edges).toEqual([{
      from: 'Mixed/Task',
      to: 'Mixed/Price',
      via: 'lambda:InvokeFunction grant',
      trace: 'unknown',
      reason: "Mixed/Task is traced by dd-trace and the Datadog Agent, not X-Ray: whether its trace continues into Mixed/Price depends on the tracer's "
        + "AWS SDK integration in the host's code, which a template cannot show",
    }]);
  });
});

describe('hops across stacks and through aliases', () => {
  test('a grant on a function of another stack (an export) and an API on an alias reach the function itself', () => {
    // GIVEN a function in one stack invoked by a function of another, and a REST API on an alias
    const app = new App();
    const backend = new Stack(app, 'Backend', { env: ENV });
    const price = plainFunction(backend, 'Price');
    const frontend = new Stack(app, 'Frontend', { env: ENV });
    const orders = plainFunction(frontend, 'Orders');
    price.grantInvoke(orders);
    const live = new lambda.Alias(frontend, 'Live', { aliasName: 'live', version: orders.currentVersion });
    new apigateway.LambdaRestApi(frontend, 'Api', { handler: live });
    // WHEN
    const map = mapOfTracedApp(app);
    // THEN
    expect(map.edges).toEqual([
      { from: 'Frontend/Api/DeploymentStage.prod', to: 'Frontend/Orders', via: 'REST API integration', trace: 'continues', carriedBy: XRAY },
      { from: 'Frontend/Orders', to: 'Backend/Price', via: 'lambda:InvokeFunction grant', trace: 'continues', carriedBy: XRAY },
    ]);
    expect(map.paths).toEqual([{ through: ['Frontend/Api/DeploymentStage.prod', 'Frontend/Orders', 'Backend/Price'], trace: 'continues' }]);
  });
});

describe('hops into and out of nested stacks', () => {
  test('a parent\'s API reaches a nested function (through its output) and a nested function a parent\'s topic (through a parameter)', () => {
    // GIVEN a REST API in the parent on a function of a nested stack, which publishes to the parent's topic
    const app = new App();
    const parent = new Stack(app, 'Parent', { env: ENV });
    const topic = new sns.Topic(parent, 'Topic');
    const nested = new NestedStack(parent, 'Backend');
    const fn = plainFunction(nested, 'Fn');
    topic.grantPublish(fn);
    new apigateway.LambdaRestApi(parent, 'Api', { handler: fn });
    // WHEN
    const map = mapOfTracedApp(app);
    // THEN
    expect(map.edges).toEqual([
      { from: 'Parent/Api/DeploymentStage.prod', to: 'Parent/Backend/Fn', via: 'REST API integration', trace: 'continues', carriedBy: XRAY },
      { from: 'Parent/Backend/Fn', to: 'Parent/Topic', via: 'sns:Publish grant', trace: 'continues', carriedBy: BOTH },
    ]);
  });
});
