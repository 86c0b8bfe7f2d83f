/**
 * The two ways a trace crosses a hop, as the map judges them: X-Ray's header (what the AWS service does with it) and
 * Datadog's context (what dd-trace injects and the Datadog library reads: the tables the e2e suite proves). Verdicts
 * follow each producer's trace through queues and topics.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, SECRET_ARN } from './hops-of-constructs';
import { TracingMode } from '../../../lib';
import { HOP_KINDS } from '../../../lib/check/map/hop-kinds';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { plainFunction } from '../../support/fixtures';
import { reportEntries, reportedMap, ReportedMap } from '../validation';

const SQS_LINKED = HOP_KINDS.sqsEventSource.xrayReason;
const HYBRID_NO_CONTEXT = 'Legacy/Batch runs in HYBRID mode (DD_TRACE_ENABLED=false), so dd-trace puts no Datadog context into its messages';

/** A SERVERLESS stack (Orders) and a HYBRID one (Legacy), both env prod, checked together. */
function twoModesApp(build: (orders: Stack, legacy: Stack) => void): ReportedMap {
  const app = new App();
  const orders = new Stack(app, 'Orders', { env: ENV });
  const legacy = new Stack(app, 'Legacy', { env: ENV });
  build(orders, legacy);
  MergedTracing.applyTo(orders, { env: 'prod', apiKeySecretArn: SECRET_ARN });
  MergedTracing.applyTo(legacy, { env: 'prod', apiKeySecretArn: SECRET_ARN, mode: TracingMode.HYBRID });
  MergedTracingChecker.applyTo(app);
  return reportedMap(app);
}

const edge = (map: ReportedMap, from: string, to: string) => {
  const found = map.edges.filter((e) => e.from === from && e.to === to);
  if (found.length !== 1) throw new Error(`${found.length} edges ${from} -> ${to}: ${JSON.stringify(map.edges, undefined, 1)}`);
  const { from: _f, to: _t, ...rest } = found[0];
  return rest;
};

describe('a queue fed by a SERVERLESS and a HYBRID function', () => {
  // GIVEN Orders/Web (SERVERLESS, Node.js) and Legacy/Batch (HYBRID) both send to Orders/Queue, which Orders/Worker reads
  const map = twoModesApp((orders, legacy) => {
    const queue = new sqs.Queue(orders, 'Queue');
    plainFunction(orders, 'Worker').addEventSource(new sources.SqsEventSource(queue));
    queue.grantSendMessages(plainFunction(orders, 'Web'));
    queue.grantSendMessages(plainFunction(legacy, 'Batch'));
  });

  test("THEN the SERVERLESS producer's message carries Datadog's context and the SDK's X-Ray header; the HYBRID one's the header only", () => {
    expect(edge(map, 'Orders/Web', 'Orders/Queue')).toEqual({
      via: 'sqs:SendMessage grant', trace: 'continues', carriedBy: ['Datadog context', 'X-Ray header'],
    });
    expect(edge(map, 'Legacy/Batch', 'Orders/Queue')).toEqual({ via: 'sqs:SendMessage grant', trace: 'continues', carriedBy: ['X-Ray header'] });
  });

  test("AND the hop into the worker is judged per producer: Web's trace continues by Datadog's context, Batch's is linked", () => {
    expect(edge(map, 'Orders/Queue', 'Orders/Worker')).toEqual({
      via: 'SQS event source mapping',
      trace: 'linked',
      reason: `${SQS_LINKED}; ${HYBRID_NO_CONTEXT}`,
      byOrigin: [
        { origin: 'Legacy/Batch', trace: 'linked', reason: `${SQS_LINKED}; ${HYBRID_NO_CONTEXT}` },
        { origin: 'Orders/Web', trace: 'continues', carriedBy: ['Datadog context'] },
      ],
    });
  });

  test('AND each path says which: one trace from Web, a linked trace from Batch', () => {
    expect(map.paths).toEqual([
      { through: ['Legacy/Batch', 'Orders/Queue', 'Orders/Worker'], trace: 'linked', at: 'Orders/Worker', because: `${SQS_LINKED}; ${HYBRID_NO_CONTEXT}` },
      { through: ['Orders/Web', 'Orders/Queue', 'Orders/Worker'], trace: 'continues' },
    ]);
  });
});

describe('a HYBRID function reading a queue a SERVERLESS function sends to', () => {
  // GIVEN Orders/Web (SERVERLESS) sends to Legacy/Inbox, which Legacy/Reader (HYBRID, DD_TRACE_ENABLED=false) reads
  const map = twoModesApp((orders, legacy) => {
    const inbox = new sqs.Queue(legacy, 'Inbox');
    plainFunction(legacy, 'Reader').addEventSource(new sources.SqsEventSource(inbox));
    inbox.grantSendMessages(plainFunction(orders, 'Web'));
  });

  test("THEN the reader's trace is linked: its Datadog library sends no span, so Datadog's context in the message is not read", () => {
    expect(edge(map, 'Legacy/Inbox', 'Legacy/Reader')).toEqual({ via: 'SQS event source mapping', trace: 'linked', reason: SQS_LINKED });
  });
});

describe('SNS to SQS to a function', () => {
  // GIVEN Orders/Web publishes to a topic; the topic delivers to a queue; Orders/Worker reads the queue
  const map = twoModesApp((orders) => {
    const topic = new sns.Topic(orders, 'Topic');
    const queue = new sqs.Queue(orders, 'Queue');
    topic.addSubscription(new subscriptions.SqsSubscription(queue));
    topic.grantPublish(plainFunction(orders, 'Web'));
    plainFunction(orders, 'Worker').addEventSource(new sources.SqsEventSource(queue));
  });

  test("THEN SNS keeps Datadog's context in the queue's body, and the worker's library reads it there (an SNS-in-SQS event)", () => {
    expect(edge(map, 'Orders/Topic', 'Orders/Queue')).toEqual({ via: 'SNS subscription', trace: 'continues', carriedBy: ['Datadog context', 'X-Ray header'] });
    expect(edge(map, 'Orders/Queue', 'Orders/Worker')).toEqual({ via: 'SQS event source mapping', trace: 'continues', carriedBy: ['Datadog context'] });
    expect(map.paths).toEqual([{ through: ['Orders/Web', 'Orders/Topic', 'Orders/Queue', 'Orders/Worker'], trace: 'continues' }]);
  });
});

describe('an API left out of merged tracing whose stage has X-Ray on', () => {
  // GIVEN a REST API the options exclude, whose stage the user traces with X-Ray themselves
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: ENV });
  new apigateway.LambdaRestApi(stack, 'Api', { handler: plainFunction(stack, 'Fn'), deployOptions: { tracingEnabled: true } });
  MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Shop/Api'] });
  MergedTracingChecker.applyTo(app);
  const map = reportedMap(app);

  test('THEN the hop follows the template: the stage passes the X-Ray header on, so the trace continues', () => {
    expect(reportEntries(app).find((e) => e.path === 'Shop/Api/DeploymentStage.prod')?.status).toBe('excluded');
    expect(edge(map, 'Shop/Api/DeploymentStage.prod', 'Shop/Fn')).toEqual({ via: 'REST API integration', trace: 'continues', carriedBy: ['X-Ray header'] });
  });
});

describe("CDK's own helper functions", () => {
  // GIVEN a bucket whose objects CDK deletes with its own custom resource provider
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: ENV });
  new s3.Bucket(stack, 'Uploads', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
  plainFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X });
  MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app);

  test('THEN the report shows them left alone with no mode (nothing was done to them); the functions it instruments keep theirs', () => {
    const entries = reportEntries(app);
    const internal = entries.filter((e) => e.status === 'cdk-internal');
    expect(internal.length).toBeGreaterThan(0);
    for (const e of internal) expect(e.mode).toBeUndefined();
    expect(entries.find((e) => e.path === 'Shop/Fn')?.mode).toBe('SERVERLESS');
  });
});
