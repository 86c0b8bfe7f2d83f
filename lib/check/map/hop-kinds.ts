/**
 * Every kind of hop the trace map draws, with the two ways a trace can cross it: what the AWS service does with the
 * X-Ray trace header (from AWS's documentation, the `doc` of each row), and whether Datadog's own context crosses it
 * (from Datadog's code, run by the e2e suite: datadog-propagation.ts). This table is the only place the map's verdicts
 * come from: a hop kind not in it is never drawn, so nothing is ever called "continues" without a row saying why.
 */
import { EventShape, ProducerCall } from './datadog-propagation';

/**
 * Whether the merged trace crosses a hop:
 * - `continues`: one trace (the edge names its carrier);
 * - `linked`: the target starts a new trace that links to the upstream one (X-Ray's trace links, Datadog's span links);
 * - `breaks`: the target's trace starts again, with nothing joining it to the upstream;
 * - `unknown`: a template cannot tell.
 */
export type Trace = 'continues' | 'linked' | 'breaks' | 'unknown';

/** What carries a trace across a hop that continues it. */
export type Carrier = 'X-Ray header' | 'Datadog context';

/**
 * What the AWS service does with the X-Ray trace header:
 * - `continues`: passes it on, so the target continues the trace;
 * - `linked`: keeps it with the message, and Lambda starts a new trace linked to it (SQS);
 * - `none`: nothing carries it (`reason` says why);
 * - `when-source-traced` / `when-target-traced`: passes it on when X-Ray tracing is on for that end (a REST API stage,
 *   a state machine, an AppSync API), else nothing carries it.
 */
export type XRayAtHop = 'continues' | 'linked' | 'none' | 'when-source-traced' | 'when-target-traced';

/**
 * How Datadog's context crosses:
 * - `call`: the source's handler makes this call, and dd-trace puts its context into what it sends (PRODUCER_INJECTS);
 * - `event`: the message reaches a function as this kind of event, and its Datadog library reads the context there
 *   (CONSUMER_READINGS);
 * - `kept`: the service hands the message on whole, the context with it (SNS to SQS, an EventBridge rule's targets);
 * - `none`: it does not cross (`reason` says why).
 */
export type DatadogAtHop =
  | { readonly crosses: 'call'; readonly call: ProducerCall }
  | { readonly crosses: 'event'; readonly shape: EventShape }
  | { readonly crosses: 'kept' }
  | { readonly crosses: 'none'; readonly reason: string };

export interface HopKind {
  /** The mechanism, as `via` in the report. */
  readonly via: string;
  readonly xray: XRayAtHop;
  /** For `none` and `linked`: what happens to the X-Ray trace, in a sentence. */
  readonly xrayReason?: string;
  readonly datadog: DatadogAtHop;
  /**
   * The handler's own call through the AWS SDK (a grant): the X-Ray header crosses only when the SDK sends it
   * (SDK_SENDS_XRAY_HEADER, run for the runtimes the e2e suite runs; not known for others).
   */
  readonly sentBySdk?: boolean;
  /** AWS's documentation of what the service does with the trace header. */
  readonly doc: string;
}

const LAMBDA_XRAY = 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html';
const STEP_FUNCTIONS_XRAY = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html';
const SNS_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sns.html';
const SQS_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html';
const EVENTBRIDGE_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-eventbridge.html';
const TRACE_LINKING = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-tracelinking.html';
const S3_NOTIFICATIONS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html';
const APIGATEWAY_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html';

const NO_DATADOG_THROUGH_API = 'an API Gateway integration sends the request, not dd-trace';
const SQS_LINKED = 'SQS keeps the sender\'s X-Ray header with the message (AWSTraceHeader), and Lambda starts a new trace linked to it';
const STREAM_NONE = (what: string) => `${what} records carry no X-Ray header: each batch the function reads starts a new X-Ray trace`;

export const HOP_KINDS = {
  restIntegration: { via: 'REST API integration', xray: 'when-source-traced', datadog: { crosses: 'none', reason: NO_DATADOG_THROUGH_API }, doc: APIGATEWAY_XRAY },
  restServiceIntegration: {
    via: 'REST API AWS service integration',
    xray: 'when-source-traced',
    datadog: { crosses: 'none', reason: NO_DATADOG_THROUGH_API },
    doc: APIGATEWAY_XRAY,
  },
  httpIntegration: {
    via: 'HTTP API integration',
    xray: 'none',
    xrayReason: 'HTTP and WebSocket APIs have no X-Ray tracing: no trace header reaches the function, so its trace starts there',
    datadog: { crosses: 'none', reason: NO_DATADOG_THROUGH_API },
    doc: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html',
  },
  snsToFunction: { via: 'SNS subscription', xray: 'continues', datadog: { crosses: 'event', shape: 'sns' }, doc: SNS_XRAY },
  snsToQueue: { via: 'SNS subscription', xray: 'continues', datadog: { crosses: 'kept' }, doc: SNS_XRAY },
  sqsEventSource: {
    via: 'SQS event source mapping',
    xray: 'linked',
    xrayReason: SQS_LINKED,
    datadog: { crosses: 'event', shape: 'sqs' },
    doc: SQS_XRAY,
  },
  kinesisEventSource: {
    via: 'Kinesis event source mapping',
    xray: 'none',
    xrayReason: STREAM_NONE('Kinesis'),
    datadog: { crosses: 'event', shape: 'kinesis' },
    doc: LAMBDA_XRAY,
  },
  dynamodbEventSource: {
    via: 'DynamoDB stream event source mapping',
    xray: 'none',
    xrayReason: STREAM_NONE('DynamoDB stream'),
    datadog: { crosses: 'none', reason: 'a DynamoDB stream record has no place for Datadog\'s context (Datadog links the write by a span pointer at most)' },
    doc: LAMBDA_XRAY,
  },
  s3Notification: {
    via: 'S3 event notification',
    xray: 'none',
    xrayReason: 'an S3 event notification carries no X-Ray header: the target starts a new trace',
    datadog: { crosses: 'none', reason: 'an S3 event has no place for Datadog\'s context (Datadog links the write by a span pointer at most)' },
    doc: S3_NOTIFICATIONS,
  },
  eventBridgeToFunction: { via: 'EventBridge rule target', xray: 'continues', datadog: { crosses: 'event', shape: 'eventbridge' }, doc: EVENTBRIDGE_XRAY },
  eventBridgeToTarget: { via: 'EventBridge rule target', xray: 'continues', datadog: { crosses: 'kept' }, doc: EVENTBRIDGE_XRAY },
  eventBridgeToStateMachine: {
    via: 'EventBridge rule target',
    xray: 'when-target-traced',
    datadog: { crosses: 'none', reason: 'the execution\'s input is the event, which no Lambda task of the map reads Datadog\'s context from' },
    doc: EVENTBRIDGE_XRAY,
  },
  eventBridgeToStream: {
    via: 'EventBridge rule target',
    xray: 'none',
    xrayReason: 'Kinesis records carry no X-Ray header',
    datadog: { crosses: 'kept' },
    doc: EVENTBRIDGE_XRAY,
  },
  schedulerTarget: {
    via: 'EventBridge Scheduler target',
    xray: 'continues',
    datadog: { crosses: 'none', reason: 'the scheduler makes the call, not dd-trace' },
    doc: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets.html',
  },
  busRule: { via: 'EventBridge rule on the bus', xray: 'continues', datadog: { crosses: 'kept' }, doc: EVENTBRIDGE_XRAY },
  appSyncDataSource: {
    via: 'AppSync Lambda data source',
    xray: 'when-source-traced',
    datadog: { crosses: 'none', reason: 'AppSync calls the function, not dd-trace' },
    doc: 'https://docs.aws.amazon.com/appsync/latest/devguide/x-ray-tracing.html',
  },
  stateMachineTask: {
    via: 'state machine task',
    xray: 'when-source-traced',
    datadog: { crosses: 'none', reason: 'Step Functions calls the target; Datadog\'s context reaches a function only in a task payload the map does not read' },
    doc: STEP_FUNCTIONS_XRAY,
  },
  startExecutionGrant: {
    via: 'states:StartExecution grant',
    xray: 'when-target-traced',
    datadog: { crosses: 'call', call: 'states:StartExecution' },
    sentBySdk: true,
    doc: STEP_FUNCTIONS_XRAY,
  },
  publishGrant: { via: 'sns:Publish grant', xray: 'continues', datadog: { crosses: 'call', call: 'sns:Publish' }, sentBySdk: true, doc: SNS_XRAY },
  sendMessageGrant: { via: 'sqs:SendMessage grant', xray: 'continues', datadog: { crosses: 'call', call: 'sqs:SendMessage' }, sentBySdk: true, doc: SQS_XRAY },
  putEventsGrant: { via: 'events:PutEvents grant', xray: 'continues', datadog: { crosses: 'call', call: 'events:PutEvents' }, sentBySdk: true, doc: EVENTBRIDGE_XRAY },
  putRecordGrant: {
    via: 'kinesis:PutRecord grant',
    xray: 'none',
    xrayReason: 'Kinesis records carry no X-Ray header',
    datadog: { crosses: 'call', call: 'kinesis:PutRecord' },
    sentBySdk: true,
    doc: LAMBDA_XRAY,
  },
  invokeGrant: {
    via: 'lambda:InvokeFunction grant',
    xray: 'continues',
    datadog: { crosses: 'none', reason: 'the Lambda Invoke call is not among those whose Datadog context the suite proves' },
    sentBySdk: true,
    doc: LAMBDA_XRAY,
  },
} satisfies Record<string, HopKind>;

export type HopKindName = keyof typeof HOP_KINDS;

/** Where SQS's linked traces are documented (the reason a `linked` verdict cites). */
export const LINKED_TRACES_DOC = TRACE_LINKING;

/**
 * The IAM actions whose grant is a hop, each with the resource type it reaches. A grant is what the handler's code may
 * call; what Lambda's service itself writes (event source mapping and asynchronous invocation destinations) is not.
 */
export const GRANT_HOPS: ReadonlyArray<{ readonly actions: readonly string[]; readonly targetType: string; readonly hop: HopKindName }> = [
  { actions: ['lambda:InvokeFunction'], targetType: 'AWS::Lambda::Function', hop: 'invokeGrant' },
  { actions: ['states:StartExecution', 'states:StartSyncExecution'], targetType: 'AWS::StepFunctions::StateMachine', hop: 'startExecutionGrant' },
  { actions: ['sns:Publish'], targetType: 'AWS::SNS::Topic', hop: 'publishGrant' },
  { actions: ['sqs:SendMessage'], targetType: 'AWS::SQS::Queue', hop: 'sendMessageGrant' },
  { actions: ['events:PutEvents'], targetType: 'AWS::Events::EventBus', hop: 'putEventsGrant' },
  { actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], targetType: 'AWS::Kinesis::Stream', hop: 'putRecordGrant' },
];

/** The event source mapping hop by the type of the stream or queue it reads. */
export const EVENT_SOURCE_HOPS: Readonly<Record<string, HopKindName>> = {
  'AWS::SQS::Queue': 'sqsEventSource',
  'AWS::Kinesis::Stream': 'kinesisEventSource',
  'AWS::DynamoDB::Table': 'dynamodbEventSource',
  'AWS::DynamoDB::GlobalTable': 'dynamodbEventSource',
};

/** An EventBridge rule's (or schedule's, or pipe's) hop by the type of its target. */
export const EVENTBRIDGE_TARGET_HOPS: Readonly<Record<string, HopKindName>> = {
  'AWS::Lambda::Function': 'eventBridgeToFunction',
  'AWS::SQS::Queue': 'eventBridgeToTarget',
  'AWS::SNS::Topic': 'eventBridgeToTarget',
  'AWS::Events::EventBus': 'eventBridgeToTarget',
  'AWS::StepFunctions::StateMachine': 'eventBridgeToStateMachine',
  'AWS::Kinesis::Stream': 'eventBridgeToStream',
};

/**
 * Resources a message passes through (the map's verdict at the next hop depends on what reached them, so a queue fed by
 * two producers can continue one's trace and not the other's).
 */
export const CARRIER_TYPES: ReadonlySet<string> = new Set([
  'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::Kinesis::Stream', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
  'AWS::Events::Rule', 'AWS::Events::EventBus', 'AWS::S3::Bucket', 'AWS::Scheduler::Schedule', 'AWS::Pipes::Pipe',
]);

/**
 * The message shape a function receives from an SQS queue, by what fed the queue: SNS and EventBridge wrap their
 * message in the queue's body, and Datadog's libraries read it there.
 */
export const SQS_SHAPE_AFTER: Readonly<Record<string, EventShape>> = {
  'AWS::SNS::Topic': 'sns-sqs',
  'AWS::Events::Rule': 'eventbridge-sqs',
};
