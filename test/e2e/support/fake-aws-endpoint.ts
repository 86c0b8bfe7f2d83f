/**
 * A stand-in for the AWS APIs a producer calls (SQS SendMessage, SNS Publish, EventBridge PutEvents, Kinesis PutRecord,
 * Step Functions StartExecution), on 127.0.0.1: it answers each call the way the service does, with what the SDKs
 * check (SQS's MD5 of the body), and records the message as sent, so a test can read what dd-trace injected into it.
 * It speaks the AWS JSON protocols (X-Amz-Target) and the query protocol (Action=), whichever the SDK uses, over HTTP/1.1
 * at `url` and over cleartext HTTP/2 at `http2Url` (the JavaScript SDK's Kinesis client speaks HTTP/2 only).
 */
import { createHash, randomUUID } from 'crypto';
import * as http from 'http';
import * as http2 from 'http2';
import { AddressInfo } from 'net';
import { ProducerCall } from '../../../lib/check/map/datadog-propagation';


export interface RecordedCall {
  readonly call: ProducerCall | 'unknown';
  /** The request's parameters: the JSON body, or the query protocol's form fields. */
  readonly params: Record<string, any>;
  /** The X-Ray trace header the request carried (X-Amzn-Trace-Id), if any. */
  readonly traceHeader?: string;
}

export interface FakeAwsEndpoint {
  readonly url: string;
  readonly http2Url: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/** By the operation's X-Amz-Target (JSON protocols) or Action (query protocol). */
const CALL_OF: Record<string, ProducerCall> = {
  'AmazonSQS.SendMessage': 'sqs:SendMessage',
  'SendMessage': 'sqs:SendMessage',
  'Publish': 'sns:Publish',
  'SNS_20100331.Publish': 'sns:Publish',
  'AWSEvents.PutEvents': 'events:PutEvents',
  'Kinesis_20131202.PutRecord': 'kinesis:PutRecord',
  'AWSStepFunctions.StartExecution': 'states:StartExecution',
};

const md5 = (text: string) => createHash('md5').update(text, 'utf-8').digest('hex');

/** What the service answers (the fields the SDKs read), in the protocol the request came in. */
function answer(call: ProducerCall | 'unknown', params: Record<string, any>, json: boolean): string {
  const id = randomUUID();
  switch (call) {
    case 'sqs:SendMessage': {
      const digest = md5(String(params.MessageBody ?? ''));
      return json ? JSON.stringify({ MessageId: id, MD5OfMessageBody: digest })
        : `<SendMessageResponse><SendMessageResult><MessageId>${id}</MessageId><MD5OfMessageBody>${digest}</MD5OfMessageBody></SendMessageResult></SendMessageResponse>`;
    }
    case 'sns:Publish':
      return json ? JSON.stringify({ MessageId: id })
        : '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
          + `<MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></PublishResponse>`;
    case 'events:PutEvents': return JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: id }] });
    case 'kinesis:PutRecord': return JSON.stringify({ ShardId: 'shardId-000000000000', SequenceNumber: '49590338271490256608559692538361571095921575989136588898' });
    case 'states:StartExecution':
      return JSON.stringify({ executionArn: `arn:aws:states:us-east-1:123456789012:execution:Orders:${id}`, startDate: Math.floor(Date.now() / 1000) });
    default: return '{}';
  }
}

export async function startFakeAwsEndpoint(): Promise<FakeAwsEndpoint> {
  const calls: RecordedCall[] = [];
  const handle = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf-8');
      const target = req.headers['x-amz-target'];
      const json = typeof target === 'string';
      const params: Record<string, any> = json ? JSON.parse(body || '{}') : Object.fromEntries(new URLSearchParams(body));
      const call: ProducerCall | 'unknown' = (CALL_OF[json ? target : String(params.Action)] as ProducerCall | undefined) ?? 'unknown';
      const traceHeader = req.headers['x-amzn-trace-id'];
      calls.push({ call, params, ...(typeof traceHeader === 'string' ? { traceHeader: decodeURIComponent(traceHeader) } : {}) });
      res.writeHead(call === 'unknown' ? 400 : 200, { 'Content-Type': json ? String(req.headers['content-type']) : 'text/xml' });
      res.end(answer(call, params, json));
    });
  };
  const server = http.createServer(handle);
  const server2 = http2.createServer(handle);
  const listen = (s: http.Server | http2.Http2Server) => new Promise<number>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
  const [port, port2] = await Promise.all([listen(server), listen(server2)]);
  return {
    url: `http://127.0.0.1:${port}`,
    http2Url: `http://127.0.0.1:${port2}`,
    calls,
    async close() {
      server.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => server.close(resolve)),
        new Promise((resolve) => server2.close(resolve)),
      ]);
    },
  };
}

/** Datadog's context as dd-trace injected it into the message a call sent, or undefined when there is none. */
export function injectedContext(recorded: RecordedCall): Record<string, string> | undefined {
  const p = recorded.params;
  const parse = (text: unknown) => (typeof text === 'string' ? JSON.parse(text) : undefined);
  const fromAttribute = (a: any) => (a === undefined ? undefined
    : parse(a.StringValue ?? (a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').toString('utf-8') : undefined)));
  switch (recorded.call) {
    case 'sqs:SendMessage':
      return fromAttribute(p.MessageAttributes?._datadog);
    case 'sns:Publish': {
      if (p.MessageAttributes) return fromAttribute(p.MessageAttributes._datadog);
      // Query protocol: MessageAttributes.entry.N.Name / .Value.DataType / .Value.BinaryValue|StringValue
      const entry = Object.keys(p).find((k) => /^MessageAttributes\.entry\.\d+\.Name$/.test(k) && p[k] === '_datadog');
      if (!entry) return undefined;
      const prefix = entry.slice(0, -'Name'.length);
      return fromAttribute({ StringValue: p[`${prefix}Value.StringValue`], BinaryValue: p[`${prefix}Value.BinaryValue`] });
    }
    case 'events:PutEvents': return parse(p.Entries?.[0]?.Detail)?._datadog;
    case 'kinesis:PutRecord': return parse(Buffer.from(String(p.Data ?? ''), 'base64').toString('utf-8'))?._datadog;
    case 'states:StartExecution': return parse(p.input)?._datadog;
    default: return undefined;
  }
}
