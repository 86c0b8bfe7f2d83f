/**
 * Datadog's side of every hop into a function, proven by running Datadog's code: each event AWS delivers (SQS, SNS,
 * SNS → SQS, EventBridge, EventBridge → SQS, Kinesis, DynamoDB streams, S3, Step Functions), with Datadog's context in
 * it, with a plain X-Ray `AWSTraceHeader`, with a Datadog-padded one, or with neither, is fed to a Node.js and a Python
 * function of a synthesized MergedTracingStack, run the way Lambda and the Datadog layer run them
 * (support/invoke-like-lambda.ts, the releases of the default layers). The `aws.lambda` span's trace id and parent
 * must be what CONSUMER_READINGS (lib/check/map/datadog-propagation.ts, the table the trace map's verdicts come from)
 * says: the upstream context where a row says `taken`, the function's own X-Ray trace otherwise. One execution
 * environment per runtime and mode runs every event as a warm invocation, so the suite costs four processes.
 */
import { randomBytes } from 'crypto';
import { EVENT_OF, UpstreamContext } from './support/aws-events';
import { AgentSpan } from './support/fake-datadog-agent';
import { InvocationResult } from './support/invoke-like-lambda';
import { preparePythonE2eVenv, PYTHON_E2E_INSTALL_TIMEOUT_MS } from './support/invoke-python-like-lambda';
import { nodeAndPythonFunctions, requestIdOf, runWarm } from './support/node-and-python-functions';
import { TemplateFunction } from './support/template-function';
import { mergedParentId, mergedTraceId, newTraceHeader, XRayTraceHeader } from './support/xray-trace-header';
import { TracingMode } from '../../lib';
import { CONSUMER_READINGS, ContextLanguage, EventShape, Reading } from '../../lib/check/map/datadog-propagation';


/** What the producer upstream left in the message. */
type Variant = 'datadog context' | 'plain X-Ray header' | 'padded X-Ray header' | 'nothing';
const VARIANTS: readonly Variant[] = ['datadog context', 'plain X-Ray header', 'padded X-Ray header', 'nothing'];
const SHAPES = Object.keys(CONSUMER_READINGS) as EventShape[];

interface Case {
  readonly shape: EventShape;
  readonly variant: Variant;
  readonly upstream: UpstreamContext;
  /** The ids a padded header or Datadog's context carries (for the padded header: its Root's last 16 hex digits). */
  readonly upstreamIds?: { readonly traceId: bigint; readonly parentId: bigint };
  /** The X-Ray header Lambda sets for this invocation (the function's own trace: a new one after SQS or a stream). */
  readonly lambdaHeader: XRayTraceHeader;
}

const random63 = () => BigInt(`0x${randomBytes(8).toString('hex')}`) % 2n ** 63n;

function caseOf(shape: EventShape, variant: Variant): Case {
  const lambdaHeader = newTraceHeader(true);
  switch (variant) {
    case 'datadog context': {
      const ids = { traceId: random63(), parentId: random63() };
      return { shape, variant, upstream: { datadog: ids }, upstreamIds: ids, lambdaHeader };
    }
    case 'plain X-Ray header':
      return { shape, variant, upstream: { awsTraceHeader: newTraceHeader(true).header }, lambdaHeader };
    case 'padded X-Ray header': {
      // dd-trace-java's xray style: Root = 1-<epoch>-00000000<64-bit trace id>, Parent = the span id.
      const ids = { traceId: random63(), parentId: random63() };
      const hex = (n: bigint) => n.toString(16).padStart(16, '0');
      const header = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-00000000${hex(ids.traceId)};Parent=${hex(ids.parentId)};Sampled=1`;
      return { shape, variant, upstream: { awsTraceHeader: header }, upstreamIds: ids, lambdaHeader };
    }
    case 'nothing':
      return { shape, variant, upstream: {}, lambdaHeader };
  }
}

/** The reading of the table that decides the case: Datadog's context, the padded header, or nothing in the event. */
function readingFor(c: Case, language: ContextLanguage): Reading {
  const row = CONSUMER_READINGS[c.shape][language];
  if (c.variant === 'datadog context') return row.datadogContext;
  if (c.variant === 'padded X-Ray header') return row.paddedXRayHeader;
  return 'ignored';
}

const CASES: Case[] = SHAPES.flatMap((shape) => VARIANTS.map((variant) => caseOf(shape, variant)));

const CONSUMERS: Record<ContextLanguage, string> = {
  node: 'exports.handler = async () => ({ ok: true });',
  python: 'def handler(event, context):\n    return {"ok": True}\n',
};

/** Every case as one warm invocation after another in one execution environment. */
function runAll(language: ContextLanguage, fn: TemplateFunction): Promise<InvocationResult> {
  return runWarm(language, fn, CASES.map((c) => ({ event: EVENT_OF[c.shape](c.upstream), traceHeader: c.lambdaHeader.header })));
}

/** The aws.lambda span of invocation `n`, told apart by its request id. */
function lambdaSpanOf(run: InvocationResult, language: ContextLanguage, n: number): AgentSpan {
  const requestId = requestIdOf(language, n);
  const found = run.spans.filter((s) => s.name === 'aws.lambda' && s.meta.request_id === requestId);
  if (found.length !== 1) throw new Error(`invocation ${n}: ${found.length} aws.lambda spans\n${run.stdout}\n${run.stderr}`);
  return found[0];
}

/**
 * Where an invocation joins its trace: up from its aws.lambda span through the spans the library infers for the
 * managed service in front of it (aws.sqs, aws.sns, aws.eventbridge, ...), to the first parent that is none of them.
 */
function entryOf(run: InvocationResult, lambdaSpan: AgentSpan): { traceId: bigint; parentId: bigint; through: string[] } {
  const byId = new Map(run.spans.filter((s) => s.trace_id === lambdaSpan.trace_id).map((s) => [s.span_id, s]));
  const through = ['aws.lambda'];
  let span = lambdaSpan;
  for (let parent = byId.get(span.parent_id); parent; parent = byId.get(span.parent_id)) {
    through.push(parent.name);
    span = parent;
  }
  return { traceId: span.trace_id, parentId: span.parent_id, through };
}

function expectCleanRun(run: InvocationResult) {
  expect(run.killed).toBe(false);
  expect(run.exitCode).toBe(0);
  expect(run.networkRefusals).toEqual([]);
  expect(run.outcomes).toEqual(CASES.map(() => ({ result: { ok: true } })));
}

beforeAll(() => {
  preparePythonE2eVenv();
}, PYTHON_E2E_INSTALL_TIMEOUT_MS);

describe.each(['node', 'python'] as const)('%s, SERVERLESS: the aws.lambda span takes what the table says', (language) => {
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN a SERVERLESS function of this runtime, as synthesized
    const fn = nodeAndPythonFunctions(TracingMode.SERVERLESS, CONSUMERS)[language];
    expect(fn.environment).toMatchObject({ DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true' });
    // WHEN every event runs through it
    run = await runAll(language, fn);
  }, 60_000);

  test('every invocation answered, and nothing left 127.0.0.1', () => {
    expectCleanRun(run);
  });

  test.each(CASES.map((c, n) => [c.shape, c.variant, n] as const))('%s with %s', (_shape, _variant, n) => {
    const c = CASES[n];
    const span = lambdaSpanOf(run, language, n);
    const { traceId, parentId } = entryOf(run, span);
    // THEN the upstream's ids where the table says the library takes them, else the function's own X-Ray trace
    if (readingFor(c, language) === 'taken') {
      // One trace: the upstream's trace id. The parent is the upstream's span, except that Step Functions' is the task
      // (an id Datadog derives from the execution), and that datadog_lambda, merging, hangs the function under its own
      // X-Ray segment for SQS, SNS and Kinesis events (the trace id, not the parent, is what makes it one trace).
      expect(traceId).toBe(c.upstreamIds!.traceId);
      if (c.shape !== 'stepfunctions') expect([c.upstreamIds!.parentId, mergedParentId(c.lambdaHeader)]).toContain(parentId);
      expect(span.meta['_dd.parent_source']).not.toBe('xray');
    } else {
      expect({ traceId, parentId, source: span.meta['_dd.parent_source'] })
        .toEqual({ traceId: mergedTraceId(c.lambdaHeader), parentId: mergedParentId(c.lambdaHeader), source: 'xray' });
    }
  });

  test.each(SHAPES)('%s: a span pointer exactly where the table says', (shape) => {
    const n = CASES.findIndex((c) => c.shape === shape && c.variant === 'nothing');
    const span = lambdaSpanOf(run, language, n);
    // On the span the library infers for the service (Node.js) or on aws.lambda (Python): any span of the invocation.
    const pointers = run.spans.filter((s) => s.trace_id === span.trace_id)
      .flatMap((s) => (s.meta['_dd.span_links'] === undefined ? [] : JSON.parse(s.meta['_dd.span_links']) as Array<{ attributes?: Record<string, string> }>))
      .filter((l) => l.attributes?.['link.kind'] === 'span-pointer');
    expect(pointers.length > 0).toBe(CONSUMER_READINGS[shape][language].spanPointer);
  });
});

describe.each(['node', 'python'] as const)('%s, HYBRID: the library sends no span, whatever the event holds', (language) => {
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN a HYBRID function of this runtime (DD_TRACE_ENABLED=false)
    const fn = nodeAndPythonFunctions(TracingMode.HYBRID, CONSUMERS)[language];
    expect(fn.environment).toMatchObject({ DD_TRACE_ENABLED: 'false' });
    // WHEN every event runs through it
    run = await runAll(language, fn);
  }, 60_000);

  test("THEN every invocation answered, and the function's trace is X-Ray's alone: no span reached the agent", () => {
    expectCleanRun(run);
    expect(run.spans).toEqual([]);
  });
});
