/**
 * The events AWS delivers to a function for each kind of hop, in the shapes AWS documents them (each builder names
 * its page), with a place for the context a producer upstream may have left: Datadog's (`_datadog`, which dd-trace
 * injects), or X-Ray's header (`AWSTraceHeader`, which SQS records when the sender's call carried one).
 */
import { EventShape } from '../../../lib/check/map/datadog-propagation';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:orders`;

/** Datadog's context as dd-trace injects it (Datadog-style headers). */
export interface DatadogContext {
  readonly traceId: bigint;
  readonly parentId: bigint;
}

/** What the producer left in the message: Datadog's context, an X-Ray header for SQS's AWSTraceHeader, or neither. */
export interface UpstreamContext {
  readonly datadog?: DatadogContext;
  readonly awsTraceHeader?: string;
}

const headersOf = (c: DatadogContext) => ({
  'x-datadog-trace-id': c.traceId.toString(),
  'x-datadog-parent-id': c.parentId.toString(),
  'x-datadog-sampling-priority': '1',
});

/** https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (example standard queue message event) */
function sqsRecord(body: string, upstream: UpstreamContext, datadogAttribute = true) {
  return {
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
    receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
      ...(upstream.awsTraceHeader !== undefined ? { AWSTraceHeader: upstream.awsTraceHeader } : {}),
    },
    messageAttributes: upstream.datadog && datadogAttribute
      ? { _datadog: { stringValue: JSON.stringify(headersOf(upstream.datadog)), stringListValues: [], binaryListValues: [], dataType: 'String' } }
      : {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: REGION,
  };
}

/** https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html (notification), as SNS delivers it */
function snsNotification(upstream: UpstreamContext) {
  return {
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: TOPIC_ARN,
    Subject: 'order',
    Message: '{"order":"e2e-1"}',
    Timestamp: '2026-12-05T12:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:1`,
    MessageAttributes: upstream.datadog ? { _datadog: { Type: 'String', Value: JSON.stringify(headersOf(upstream.datadog)) } } : {},
  };
}

/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html, `_datadog` in `detail` as dd-trace puts it. */
function eventBridgeEvent(upstream: UpstreamContext) {
  return {
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'OrderPlaced',
    'source': 'com.example.orders',
    'account': ACCOUNT,
    'time': '2026-12-05T12:00:00Z',
    'region': REGION,
    'resources': [],
    'detail': { order: 'e2e-1', ...(upstream.datadog ? { _datadog: headersOf(upstream.datadog) } : {}) },
  };
}

/** The event of each hop kind into a function, carrying what `upstream` left where that kind of message can hold it. */
export const EVENT_OF: Record<EventShape, (upstream: UpstreamContext) => unknown> = {
  'sqs': (u) => ({ Records: [sqsRecord('{"order":"e2e-1"}', u)] }),
  // https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
  'sns': (u) => ({
    Records: [{
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      EventSource: 'aws:sns',
      Sns: snsNotification(u),
    }],
  }),
  // SNS to SQS without raw delivery: the queue's message body is the SNS notification, attributes inside it.
  'sns-sqs': (u) => ({ Records: [sqsRecord(JSON.stringify(snsNotification(u)), { awsTraceHeader: u.awsTraceHeader }, false)] }),
  'eventbridge': (u) => eventBridgeEvent(u),
  // An EventBridge rule with an SQS target: the queue's message body is the event.
  'eventbridge-sqs': (u) => ({ Records: [sqsRecord(JSON.stringify(eventBridgeEvent(u)), { awsTraceHeader: u.awsTraceHeader }, false)] }),
  // https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html; dd-trace puts `_datadog` into a JSON record's data.
  'kinesis': (u) => ({
    Records: [{
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: Buffer.from(JSON.stringify({ order: 'e2e-1', ...(u.datadog ? { _datadog: headersOf(u.datadog) } : {}) })).toString('base64'),
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
      awsRegion: REGION,
      eventSourceARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders`,
    }],
  }),
  // https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html: a record has no place for a producer's context.
  'dynamodb': () => ({
    Records: [{
      eventID: 'c4ca4238a0b923820dcc509a6f75849b',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: 1428537600,
        Keys: { Id: { N: '101' } },
        NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
        SequenceNumber: '4421584500000000017450439091',
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders/stream/2026-12-05T00:00:00.000`,
    }],
  }),
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html: no place either.
  's3': () => ({
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: REGION,
      eventTime: '2026-12-05T12:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'EXAMPLE' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/abcdefghijklmno' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'order-upload',
        bucket: { name: 'orders-bucket', ownerIdentity: { principalId: 'EXAMPLE' }, arn: 'arn:aws:s3:::orders-bucket' },
        object: { key: 'orders/e2e-1.json', size: 1024, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
      },
    }],
  }),
  // A Step Functions Lambda task whose payload carries Datadog's context object, the way Datadog's docs have the task
  // pass it (`"_datadog": {"Execution.$": "$$.Execution", "State.$": "$$.State", "StateMachine.$": "$$.StateMachine"}`),
  // plus the root context a dd-traced producer put into the execution's input when it started it.
  'stepfunctions': (u) => ({
    order: 'e2e-1',
    ...(u.datadog ? {
      _datadog: {
        'Execution': {
          Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Orders:e2e-1`,
          StartTime: '2026-12-05T12:00:00.000Z',
          Name: 'e2e-1',
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-sfn`,
          RedriveCount: 0,
        },
        'StateMachine': { Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Orders`, Name: 'Orders' },
        'State': { Name: 'PriceOrder', EnteredTime: '2026-12-05T12:00:01.000Z', RetryCount: 0 },
        'serverless-version': 'v1',
        'x-datadog-trace-id': u.datadog.traceId.toString(),
        'x-datadog-tags': '_dd.p.tid=6751b0c000000000',
      },
    } : {}),
  }),
};
