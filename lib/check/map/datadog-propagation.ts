/**
 * What the Datadog Lambda library of each runtime takes as the parent of its `aws.lambda` span, for each kind of event
 * a hop delivers, in SERVERLESS mode (in HYBRID, `DD_TRACE_ENABLED=false`, it sends no span at all: the function's
 * trace is X-Ray's). These rows are facts of Datadog's code, not of AWS's: test/e2e/consumer-context.test.ts feeds
 * each event to datadog-lambda-js and datadog_lambda (the releases of the default layers) and fails when a row says
 * otherwise. When nothing in the event is taken, the span joins the function's own X-Ray trace (DD_MERGE_XRAY_TRACES).
 */

import { FAMILIES, RuntimeFamily, runtimeRow } from '../../datadog/runtimes';

/** A kind of event a function receives from a hop (the `event` of its invocation). */
export type EventShape = 'sqs' | 'sns' | 'sns-sqs' | 'eventbridge' | 'eventbridge-sqs' | 'kinesis' | 'dynamodb' | 's3' | 'stepfunctions';

/** The runtimes whose Datadog library the e2e suite runs for these events. */
export type ContextLanguage = 'node' | 'python';

/**
 * - `taken`: the library takes it as the span's parent, so the upstream trace continues;
 * - `ignored`: the message can hold it, but the library does not read it there;
 * - `no-place`: this kind of event has nowhere to carry it.
 */
export type Reading = 'taken' | 'ignored' | 'no-place';

export interface ConsumerReading {
  /** Datadog's own context (`_datadog`), as dd-trace injects it into the message. */
  readonly datadogContext: Reading;
  /**
   * An SQS `AWSTraceHeader` whose Root carries Datadog's ids after eight zeros: what dd-trace-java injects with its
   * `xray` propagation style. A plain X-Ray header is never taken (its ids are not Datadog's).
   */
  readonly paddedXRayHeader: Reading;
  /** Whether the span gets a span pointer (a link to the span that wrote the item or object). */
  readonly spanPointer: boolean;
}

const both = (reading: ConsumerReading): Record<ContextLanguage, ConsumerReading> => ({ node: reading, python: reading });

export const CONSUMER_READINGS: Readonly<Record<EventShape, Readonly<Record<ContextLanguage, ConsumerReading>>>> = {
  'sqs': both({ datadogContext: 'taken', paddedXRayHeader: 'taken', spanPointer: false }),
  'sns': both({ datadogContext: 'taken', paddedXRayHeader: 'no-place', spanPointer: false }),
  'sns-sqs': both({ datadogContext: 'taken', paddedXRayHeader: 'taken', spanPointer: false }),
  'eventbridge': both({ datadogContext: 'taken', paddedXRayHeader: 'no-place', spanPointer: false }),
  'eventbridge-sqs': {
    node: { datadogContext: 'taken', paddedXRayHeader: 'ignored', spanPointer: false },
    python: { datadogContext: 'taken', paddedXRayHeader: 'taken', spanPointer: false },
  },
  'kinesis': both({ datadogContext: 'taken', paddedXRayHeader: 'no-place', spanPointer: false }),
  'dynamodb': both({ datadogContext: 'no-place', paddedXRayHeader: 'no-place', spanPointer: true }),
  's3': both({ datadogContext: 'no-place', paddedXRayHeader: 'no-place', spanPointer: true }),
  'stepfunctions': both({ datadogContext: 'taken', paddedXRayHeader: 'no-place', spanPointer: false }),
};

/** The runtime families whose Datadog library the suite runs. */
const LANGUAGE_OF_FAMILY: ReadonlyMap<RuntimeFamily, ContextLanguage> = new Map<RuntimeFamily, ContextLanguage>([
  [FAMILIES.NODE, 'node'], [FAMILIES.PYTHON, 'python'],
]);

/** The language whose Datadog library a Lambda runtime (`nodejs22.x`, `python3.13`) loads, when the suite runs it. */
export function contextLanguageOf(runtime: string | undefined): ContextLanguage | undefined {
  const row = runtime === undefined ? undefined : runtimeRow(runtime);
  return row && LANGUAGE_OF_FAMILY.get(row.family);
}

/** The AWS calls through which a function hands a message on (its grant names the action). */
export type ProducerCall = 'sqs:SendMessage' | 'sns:Publish' | 'events:PutEvents' | 'kinesis:PutRecord' | 'states:StartExecution';

/**
 * Whether dd-trace, in a SERVERLESS function of each runtime, puts Datadog's context into what the call sends (a message
 * attribute, the event's detail, the record's JSON data, the execution's input). In HYBRID (`DD_TRACE_ENABLED=false`)
 * it never does. test/e2e/producer-context.test.ts runs each call against a fake endpoint and fails when a row says
 * otherwise.
 */
export const PRODUCER_INJECTS: Readonly<Record<ProducerCall, Readonly<Record<ContextLanguage, boolean>>>> = {
  'sqs:SendMessage': { node: true, python: true },
  'sns:Publish': { node: true, python: true },
  'events:PutEvents': { node: true, python: true },
  'kinesis:PutRecord': { node: true, python: true },
  'states:StartExecution': { node: true, python: true },
};

/**
 * Whether the AWS SDK of each runtime sends the function's X-Ray header (`_X_AMZN_TRACE_ID`) with every call it makes in
 * Lambda (X-Amzn-Trace-Id: the SDKs' recursion detection), whatever Datadog does: what lets SQS keep it as
 * AWSTraceHeader and SNS, EventBridge and Step Functions pass it on. test/e2e/producer-context.test.ts checks it for every
 * call, in both modes.
 */
export const SDK_SENDS_XRAY_HEADER: Readonly<Record<ContextLanguage, boolean>> = { node: true, python: true };
