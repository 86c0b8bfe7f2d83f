/**
 * The hops real apps have beyond functions calling functions, each made by the L2 construct a user would write:
 * S3 event notifications, EventBridge buses, rules and their targets, API Gateway service integrations, Step Functions
 * tasks that send, publish, put events and start executions, EventBridge Scheduler; and what is not a request hop
 * (Lambda's own failure and asynchronous destinations), or not read (EventBridge Pipes).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, SCHEMA, SECRET_ARN } from './hops-of-constructs';
import { HOP_KINDS } from '../../../lib/check/map/hop-kinds';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { plainFunction } from '../../support/fixtures';
import { reportedMap, ReportedMap } from '../validation';

const XRAY = ['X-Ray header'];
const BOTH = ['Datadog context', 'X-Ray header'];

/** The map of one SERVERLESS stack built by `build`, instrumented and checked. */
function mapOf(build: (stack: Stack) => void): ReportedMap {
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: ENV });
  build(stack);
  MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app);
  return reportedMap(app);
}

/** The edges as `from -> to: via, trace[, carriers]`, for one readable assertion per app. */
function hops(map: ReportedMap): string[] {
  return map.edges.map((e) => `${e.from} -> ${e.to}: ${e.via}, ${e.trace}${e.carriedBy ? ` (${e.carriedBy.join(', ')})` : ''}`);
}

describe('S3 event notifications', () => {
  // GIVEN a bucket that notifies a function directly and a queue that another function reads
  const map = mapOf((stack) => {
    const bucket = new s3.Bucket(stack, 'Uploads');
    const queue = new sqs.Queue(stack, 'Queue');
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(plainFunction(stack, 'Thumbnail')));
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED, new s3n.SqsDestination(queue));
    plainFunction(stack, 'Indexer').addEventSource(new sources.SqsEventSource(queue));
  });

  test('THEN both notifications are drawn (from Custom::S3BucketNotifications), and the trace breaks: S3 carries neither header nor context', () => {
    expect(hops(map)).toEqual([
      'Shop/Queue -> Shop/Indexer: SQS event source mapping, breaks',
      'Shop/Uploads -> Shop/Queue: S3 event notification, breaks',
      'Shop/Uploads -> Shop/Thumbnail: S3 event notification, breaks',
    ]);
    expect(map.edges.find((e) => e.to === 'Shop/Thumbnail')?.reason).toBe(HOP_KINDS.s3Notification.xrayReason);
    expect(map.otherResources).toContainEqual({ path: 'Shop/Uploads', kind: 'S3 bucket', unit: 'the app', stack: 'Shop' });
  });
});

describe('S3 → SNS → SQS → function (aws-cdk-examples s3-sns-lambda-chain)', () => {
  // GIVEN a bucket notifying a topic (X-Ray active tracing, as MergedTracing sets it) that delivers to a queue a function reads
  const map = mapOf((stack) => {
    const topic = new sns.Topic(stack, 'Uploaded');
    const queue = new sqs.Queue(stack, 'Queue');
    topic.addSubscription(new subscriptions.SqsSubscription(queue));
    new s3.Bucket(stack, 'Csv').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(topic));
    plainFunction(stack, 'Import').addEventSource(new sources.SqsEventSource(queue));
  });

  test('THEN the trace breaks into the topic, which starts one of its own: SNS passes that on, and the importer is linked to it', () => {
    expect(hops(map)).toEqual([
      'Shop/Csv -> Shop/Uploaded: S3 event notification, breaks',
      'Shop/Queue -> Shop/Import: SQS event source mapping, linked',
      'Shop/Uploaded -> Shop/Queue: SNS subscription, continues (X-Ray header)',
    ]);
    expect(map.paths).toEqual([{
      through: ['Shop/Csv', 'Shop/Uploaded', 'Shop/Queue', 'Shop/Import'], trace: 'breaks', at: 'Shop/Uploaded', because: HOP_KINDS.s3Notification.xrayReason,
    }]);
  });
});

describe('EventBridge: a function puts events on a bus; a rule sends them to a queue and a state machine', () => {
  // GIVEN
  const map = mapOf((stack) => {
    const bus = new events.EventBus(stack, 'Bus');
    const queue = new sqs.Queue(stack, 'Queue');
    const flow = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Noop')) });
    bus.grantPutEventsTo(plainFunction(stack, 'Checkout'));
    new events.Rule(stack, 'Placed', {
      eventBus: bus,
      eventPattern: { source: ['shop.checkout'] },
      targets: [new targets.SqsQueue(queue), new targets.SfnStateMachine(flow)],
    });
    plainFunction(stack, 'Fulfil').addEventSource(new sources.SqsEventSource(queue));
  });

  test("THEN function → bus → rule → queue → function is one trace by Datadog's context (an EventBridge-in-SQS event); the state machine continues X-Ray's", () => {
    expect(hops(map)).toEqual([
      `Shop/Bus -> Shop/Placed: EventBridge rule on the bus, continues (${BOTH.join(', ')})`,
      `Shop/Checkout -> Shop/Bus: events:PutEvents grant, continues (${BOTH.join(', ')})`,
      `Shop/Placed -> Shop/Flow: EventBridge rule target, continues (${XRAY.join(', ')})`,
      `Shop/Placed -> Shop/Queue: EventBridge rule target, continues (${BOTH.join(', ')})`,
      'Shop/Queue -> Shop/Fulfil: SQS event source mapping, continues (Datadog context)',
    ]);
  });
});

describe("EventBridge's default bus: a rule with a pattern and no bus listens there", () => {
  // GIVEN a function allowed to put events on the account's default bus, and a rule on it (no eventBus) targeting a function
  const map = mapOf((stack) => {
    events.EventBus.fromEventBusName(stack, 'Default', 'default').grantPutEventsTo(plainFunction(stack, 'Checkout'));
    new events.Rule(stack, 'Placed', { eventPattern: { source: ['shop.checkout'] }, targets: [new targets.LambdaFunction(plainFunction(stack, 'Notify'))] });
  });
  // As CDK writes it in the grant: the stack's own account and region, the partition a pseudo parameter.
  const DEFAULT_BUS = `arn:\${AWS::Partition}:events:${ENV.region}:${ENV.account}:event-bus/default`;

  test("THEN the function's grant and the rule meet at the default bus (drawn by its ARN), and the event carries Datadog's context to the target", () => {
    expect(hops(map)).toEqual([
      `Shop/Checkout -> ${DEFAULT_BUS}: events:PutEvents grant, continues (${BOTH.join(', ')})`,
      `Shop/Placed -> Shop/Notify: EventBridge rule target, continues (${BOTH.join(', ')})`,
      `${DEFAULT_BUS} -> Shop/Placed: EventBridge rule on the bus, continues (${BOTH.join(', ')})`,
    ]);
    expect(map.otherResources).toContainEqual({ path: DEFAULT_BUS, kind: 'EventBridge event bus outside the app' });
  });
});

describe('a REST API that sends to SQS itself (an AWS service integration)', () => {
  // GIVEN an API method integrated with SQS SendMessage, and a function reading the queue
  const map = mapOf((stack) => {
    const queue = new sqs.Queue(stack, 'Queue');
    const role = new iam.Role(stack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    queue.grantSendMessages(role);
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('POST', new apigateway.AwsIntegration({
      service: 'sqs',
      path: `${Stack.of(stack).account}/${queue.queueName}`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: role,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$input.body' },
        integrationResponses: [{ statusCode: '200' }],
      },
    }), { methodResponses: [{ statusCode: '200' }] });
    plainFunction(stack, 'Worker').addEventSource(new sources.SqsEventSource(queue));
  });

  test('THEN the stage → queue hop carries the X-Ray header, and the worker starts a linked trace: nothing put Datadog\'s context in', () => {
    expect(hops(map)).toEqual([
      'Shop/Api/DeploymentStage.prod -> Shop/Queue: REST API AWS service integration, continues (X-Ray header)',
      'Shop/Queue -> Shop/Worker: SQS event source mapping, linked',
    ]);
    expect(map.edges[1].reason).toBe(HOP_KINDS.sqsEventSource.xrayReason);
  });
});

describe('a state machine whose tasks send, publish, put events and start another execution', () => {
  // GIVEN one task of each optimized integration
  const map = mapOf((stack) => {
    const queue = new sqs.Queue(stack, 'Queue');
    const topic = new sns.Topic(stack, 'Topic');
    const bus = new events.EventBus(stack, 'Bus');
    const child = new sfn.StateMachine(stack, 'Child', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Noop')) });
    const chain = new tasks.SqsSendMessage(stack, 'Send', { queue, messageBody: sfn.TaskInput.fromText('order') })
      .next(new tasks.SnsPublish(stack, 'Publish', { topic, message: sfn.TaskInput.fromText('order') }))
      .next(new tasks.EventBridgePutEvents(stack, 'Put', {
        entries: [{ eventBus: bus, source: 'shop', detailType: 'Order', detail: sfn.TaskInput.fromObject({ order: 1 }) }],
      }))
      .next(new tasks.StepFunctionsStartExecution(stack, 'Start', { stateMachine: child }));
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
  });

  test('THEN each target is a hop of the state machine, carrying its X-Ray trace', () => {
    expect(hops(map)).toEqual([
      'Shop/Flow -> Shop/Bus: state machine task, continues (X-Ray header)',
      'Shop/Flow -> Shop/Child: state machine task, continues (X-Ray header)',
      'Shop/Flow -> Shop/Queue: state machine task, continues (X-Ray header)',
      'Shop/Flow -> Shop/Topic: state machine task, continues (X-Ray header)',
    ]);
  });
});

describe("Lambda's own deliveries are not request hops", () => {
  // GIVEN a stream consumer with an on-failure queue, and a function with asynchronous destinations
  const map = mapOf((stack) => {
    const stream = new kinesis.Stream(stack, 'Clicks');
    const failures = new sqs.Queue(stack, 'Failures');
    plainFunction(stack, 'Reader').addEventSource(new sources.KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new sources.SqsDlq(failures),
    }));
    plainFunction(stack, 'Async', {
      onSuccess: new destinations.SqsDestination(new sqs.Queue(stack, 'Done')),
      onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failed')),
    });
  });

  test('THEN the sqs:SendMessage grants that let Lambda write there draw nothing; the stream hop stays', () => {
    expect(hops(map)).toEqual(['Shop/Clicks -> Shop/Reader: Kinesis event source mapping, breaks']);
  });
});

describe('EventBridge Scheduler, Pipes and AppSync HTTP data sources', () => {
  // GIVEN a schedule that invokes a function, and a pipe from a queue to a function
  const map = mapOf((stack) => {
    const fn = plainFunction(stack, 'Nightly');
    const role = new iam.Role(stack, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    fn.grantInvoke(role);
    new scheduler.CfnSchedule(stack, 'Schedule', {
      scheduleExpression: 'rate(1 day)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: fn.functionArn, roleArn: role.roleArn },
    });
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.minutes(1) });
    const pipeRole = new iam.Role(stack, 'PipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    new pipes.CfnPipe(stack, 'Pipe', { roleArn: pipeRole.roleArn, source: queue.queueArn, target: plainFunction(stack, 'Piped').functionArn });
    // An AppSync API putting events through an HTTP data source (aws-cdk-examples appsync-graphql-eventbridge)
    new appsync.GraphqlApi(stack, 'Graph', { name: 'orders', definition: appsync.Definition.fromFile(SCHEMA) })
      .addHttpDataSource('Events', 'https://events.us-east-1.amazonaws.com/');
  });

  test('THEN the schedule is drawn as the entry of its target; the pipe and the HTTP data source are named as hops the map does not read', () => {
    expect(hops(map)).toEqual(['Shop/Schedule -> Shop/Nightly: EventBridge Scheduler target, continues (X-Ray header)']);
    expect(map.unreadHops).toEqual(['AppSync HTTP and EventBridge data sources (to an AWS service API or a bus)', 'EventBridge Pipes (source → pipe → target)']);
  });
});
