/**
 * Datadog's side of every hop out of a function, proven by running Datadog's code: a Node.js and a Python function of a
 * synthesized MergedTracingStack, run the way Lambda and the Datadog layer run them, send a message through each call a
 * grant can name (SQS SendMessage, SNS Publish, EventBridge PutEvents, Kinesis PutRecord, Step Functions
 * StartExecution) with the SDK the Lambda runtime provides, to a fake endpoint on 127.0.0.1 that records what was sent.
 * PRODUCER_INJECTS (lib/check/map/datadog-propagation.ts) must say exactly where dd-trace put Datadog's context into the
 * message: in SERVERLESS, the function's own trace; in HYBRID, nowhere. SDK_SENDS_XRAY_HEADER must say that the SDK sent
 * the invocation's X-Ray header with each call, in both modes.
 */
import { FakeAwsEndpoint, injectedContext, startFakeAwsEndpoint } from './support/fake-aws-endpoint';
import { InvocationResult } from './support/invoke-like-lambda';
import { preparePythonE2eVenv, PYTHON_E2E_INSTALL_TIMEOUT_MS } from './support/invoke-python-like-lambda';
import { nodeAndPythonFunctions, requestIdOf, runWarm } from './support/node-and-python-functions';
import { TemplateFunction } from './support/template-function';
import { newTraceHeader } from './support/xray-trace-header';
import { TracingMode } from '../../lib';
import { ContextLanguage, PRODUCER_INJECTS, ProducerCall, SDK_SENDS_XRAY_HEADER } from '../../lib/check/map/datadog-propagation';

const CALLS = Object.keys(PRODUCER_INJECTS) as ProducerCall[];

/** Each call with a JSON message (Kinesis and Step Functions carry Datadog's context only inside a JSON object). */
const NODE_PRODUCER = `
const sqs = require('@aws-sdk/client-sqs');
const sns = require('@aws-sdk/client-sns');
const events = require('@aws-sdk/client-eventbridge');
const kinesis = require('@aws-sdk/client-kinesis');
const sfn = require('@aws-sdk/client-sfn');
const ARN = 'arn:aws:%s:us-east-1:123456789012:%s';
exports.handler = async (event) => {
  const config = { endpoint: event.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e' } };
  const body = JSON.stringify({ order: 'e2e-1' });
  switch (event.call) {
    case 'sqs:SendMessage': await new sqs.SQSClient(config).send(new sqs.SendMessageCommand({
      QueueUrl: event.endpoint + '/123456789012/orders', MessageBody: body })); break;
    case 'sns:Publish': await new sns.SNSClient(config).send(new sns.PublishCommand({ TopicArn: ARN.replace('%s', 'sns').replace('%s', 'orders'), Message: body })); break;
    case 'events:PutEvents': await new events.EventBridgeClient(config).send(new events.PutEventsCommand({
      Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: body }] })); break;
    case 'kinesis:PutRecord': await new kinesis.KinesisClient({ ...config, endpoint: event.http2Endpoint }).send(new kinesis.PutRecordCommand({
      StreamName: 'orders', PartitionKey: '1', Data: Buffer.from(body) })); break;
    case 'states:StartExecution': await new sfn.SFNClient(config).send(new sfn.StartExecutionCommand({
      stateMachineArn: ARN.replace('%s', 'states').replace('%s', 'stateMachine:Orders'), input: body })); break;
    default: throw new Error('unknown call ' + event.call);
  }
  return { ok: true };
};
`;

const PYTHON_PRODUCER = `
import json
import boto3

def handler(event, context):
    client = lambda service: boto3.client(service, endpoint_url=event["endpoint"], region_name="us-east-1",
                                          aws_access_key_id="AKIDE2E", aws_secret_access_key="e2e")
    body = json.dumps({"order": "e2e-1"})
    call = event["call"]
    if call == "sqs:SendMessage":
        client("sqs").send_message(QueueUrl=event["endpoint"] + "/123456789012/orders", MessageBody=body)
    elif call == "sns:Publish":
        client("sns").publish(TopicArn="arn:aws:sns:us-east-1:123456789012:orders", Message=body)
    elif call == "events:PutEvents":
        client("events").put_events(Entries=[{"Source": "com.example.orders", "DetailType": "OrderPlaced", "Detail": body}])
    elif call == "kinesis:PutRecord":
        client("kinesis").put_record(StreamName="orders", PartitionKey="1", Data=body.encode())
    elif call == "states:StartExecution":
        client("stepfunctions").start_execution(stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:Orders", input=body)
    else:
        raise ValueError("unknown call " + call)
    return {"ok": True}
`;

const PRODUCERS: Record<ContextLanguage, string> = { node: NODE_PRODUCER, python: PYTHON_PRODUCER };

interface Run {
  readonly result: InvocationResult;
  /** What each call sent, in CALLS's order. */
  readonly sent: ReadonlyArray<Record<string, string> | undefined>;
  /** The X-Ray header each call carried, and the one Lambda set for its invocation. */
  readonly headers: ReadonlyArray<{ readonly sent?: string; readonly invocation: string }>;
}

/** Every call as one warm invocation after another, each recorded by the fake endpoint. */
async function runAll(language: ContextLanguage, fn: TemplateFunction, endpoint: FakeAwsEndpoint): Promise<Run> {
  endpoint.calls.length = 0;
  const invocations = CALLS.map((call) => ({
    event: { call, endpoint: endpoint.url, http2Endpoint: endpoint.http2Url },
    traceHeader: newTraceHeader(true).header,
  }));
  const result = await runWarm(language, fn, invocations);
  expect(endpoint.calls.map((c) => c.call)).toEqual(CALLS);
  const headers = endpoint.calls.map((c, n) => ({ sent: c.traceHeader, invocation: invocations[n].traceHeader }));
  return { result, sent: endpoint.calls.map(injectedContext), headers };
}

/** Every call carried the X-Ray header Lambda set for its invocation exactly where SDK_SENDS_XRAY_HEADER says. */
function expectXRayHeaders(run: Run, language: ContextLanguage) {
  expect(run.headers.map((h) => h.sent === h.invocation)).toEqual(CALLS.map(() => SDK_SENDS_XRAY_HEADER[language]));
}

function expectCleanRun(run: Run) {
  expect(run.result.killed).toBe(false);
  expect(run.result.exitCode).toBe(0);
  expect(run.result.networkRefusals).toEqual([]);
  expect(run.result.outcomes).toEqual(CALLS.map(() => ({ result: { ok: true } })));
}

let endpoint: FakeAwsEndpoint;
beforeAll(async () => {
  preparePythonE2eVenv();
  endpoint = await startFakeAwsEndpoint();
}, PYTHON_E2E_INSTALL_TIMEOUT_MS);
afterAll(() => endpoint.close());

describe.each(['node', 'python'] as const)('%s, SERVERLESS: dd-trace injects where the table says', (language) => {
  let run: Run;

  beforeAll(async () => {
    // GIVEN a SERVERLESS producer of this runtime, as synthesized
    const fn = nodeAndPythonFunctions(TracingMode.SERVERLESS, PRODUCERS)[language];
    // WHEN it makes each call
    run = await runAll(language, fn, endpoint);
  }, 60_000);

  test('every invocation answered, and nothing left 127.0.0.1', () => {
    expectCleanRun(run);
  });

  test("the SDK sent each call with the invocation's X-Ray header (what SQS keeps and SNS, EventBridge, Step Functions pass on)", () => {
    expectXRayHeaders(run, language);
  });

  test.each(CALLS.map((call, n) => [call, n] as const))('%s', (call, n) => {
    const context = run.sent[n];
    // THEN Datadog's context is in the message exactly where the table says, and it is the function's own trace
    expect(context !== undefined).toBe(PRODUCER_INJECTS[call][language]);
    if (context === undefined) return;
    const requestId = requestIdOf(language, n);
    const lambdaSpans = run.result.spans.filter((s) => s.name === 'aws.lambda' && s.meta.request_id === requestId);
    expect(lambdaSpans).toHaveLength(1);
    expect(context['x-datadog-trace-id']).toBe(lambdaSpans[0].trace_id.toString());
  });
});

describe.each(['node', 'python'] as const)('%s, HYBRID: dd-trace injects nothing', (language) => {
  test('THEN no call carries Datadog context', async () => {
    // GIVEN a HYBRID producer of this runtime (DD_TRACE_ENABLED=false); WHEN it makes each call
    const run = await runAll(language, nodeAndPythonFunctions(TracingMode.HYBRID, PRODUCERS)[language], endpoint);
    expectCleanRun(run);
    expect(run.sent).toEqual(CALLS.map(() => undefined));
    // The X-Ray header is the SDK's doing, not Datadog's: it goes in HYBRID too.
    expectXRayHeaders(run, language);
  }, 60_000);
});
