/**
 * What each kind of hop does with the X-Ray trace header, from AWS's documentation (the `doc` of each
 * row). This table is the only place the map's verdicts come from: a hop kind not in it is never drawn,
 * so nothing is ever called "continues" without a row saying why.
 */

/** Whether the merged trace continues across a hop. */
export type Trace = 'continues' | 'breaks' | 'unknown';

/**
 * - `always`: the service passes the trace header on;
 * - `never`: it does not, so the trace starts again at the target (`reason` says why);
 * - `when-source-traced` / `when-target-traced`: it does when X-Ray tracing is on for that end
 *   (a REST API stage, a state machine, an AppSync API).
 */
export type Carries = 'always' | 'never' | 'when-source-traced' | 'when-target-traced';

export interface HopKind {
  /** The mechanism, as `via` in the report. */
  readonly via: string;
  readonly carries: Carries;
  /** For `never`: why the trace breaks. */
  readonly reason?: string;
  /** AWS's documentation of what the service does with the trace header. */
  readonly doc: string;
}

const LAMBDA_XRAY = 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html';
const STEP_FUNCTIONS_XRAY = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html';
const SNS_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sns.html';
const SQS_XRAY = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html';

export const HOP_KINDS = {
  restIntegration: { via: 'REST API integration', carries: 'when-source-traced', doc: 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html' },
  httpIntegration: {
    via: 'HTTP API integration',
    carries: 'never',
    reason: 'HTTP and WebSocket APIs have no X-Ray tracing: no trace header reaches the function, so its trace starts there',
    doc: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html',
  },
  snsSubscription: { via: 'SNS subscription', carries: 'always', doc: SNS_XRAY },
  sqsEventSource: { via: 'SQS event source mapping (AWSTraceHeader)', carries: 'always', doc: SQS_XRAY },
  kinesisEventSource: {
    via: 'Kinesis event source mapping',
    carries: 'never',
    reason: 'Kinesis records carry no trace header: each batch the function reads starts a new trace',
    doc: LAMBDA_XRAY,
  },
  dynamodbEventSource: {
    via: 'DynamoDB stream event source mapping',
    carries: 'never',
    reason: 'DynamoDB stream records carry no trace header: each batch the function reads starts a new trace',
    doc: LAMBDA_XRAY,
  },
  eventBridgeTarget: { via: 'EventBridge rule target', carries: 'always', doc: 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-eventbridge.html' },
  appSyncDataSource: { via: 'AppSync Lambda data source', carries: 'when-source-traced', doc: 'https://docs.aws.amazon.com/appsync/latest/devguide/x-ray-tracing.html' },
  stateMachineTask: { via: 'state machine task', carries: 'when-source-traced', doc: STEP_FUNCTIONS_XRAY },
  startExecutionGrant: { via: 'states:StartExecution grant', carries: 'when-target-traced', doc: STEP_FUNCTIONS_XRAY },
  publishGrant: { via: 'sns:Publish grant', carries: 'always', doc: SNS_XRAY },
  sendMessageGrant: { via: 'sqs:SendMessage grant', carries: 'always', doc: SQS_XRAY },
  invokeGrant: { via: 'lambda:InvokeFunction grant', carries: 'always', doc: LAMBDA_XRAY },
} satisfies Record<string, HopKind>;

export type HopKindName = keyof typeof HOP_KINDS;

/** The IAM actions whose grant is a hop, each with the resource type it reaches. */
export const GRANT_HOPS: ReadonlyArray<{ readonly actions: readonly string[]; readonly targetType: string; readonly hop: HopKindName }> = [
  { actions: ['lambda:InvokeFunction'], targetType: 'AWS::Lambda::Function', hop: 'invokeGrant' },
  { actions: ['states:StartExecution', 'states:StartSyncExecution'], targetType: 'AWS::StepFunctions::StateMachine', hop: 'startExecutionGrant' },
  { actions: ['sns:Publish'], targetType: 'AWS::SNS::Topic', hop: 'publishGrant' },
  { actions: ['sqs:SendMessage'], targetType: 'AWS::SQS::Queue', hop: 'sendMessageGrant' },
];

/** The event source mapping hop by the type of the stream or queue it reads. */
export const EVENT_SOURCE_HOPS: Readonly<Record<string, HopKindName>> = {
  'AWS::SQS::Queue': 'sqsEventSource',
  'AWS::Kinesis::Stream': 'kinesisEventSource',
  'AWS::DynamoDB::Table': 'dynamodbEventSource',
  'AWS::DynamoDB::GlobalTable': 'dynamodbEventSource',
};
