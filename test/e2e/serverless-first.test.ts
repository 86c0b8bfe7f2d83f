/**
 * The merge, proven with Datadog's own runtime code instead of template assertions: the example's
 * stack is synthesized in-process, its Node.js function (Handler, Environment, inline code) is run in a
 * child Node process the way Lambda + the Datadog layer run it (support/invoke-like-lambda.ts), and
 * what datadog-lambda-js and dd-trace send is read back from a fake Datadog agent and a fake X-Ray
 * daemon on 127.0.0.1. The only environment variables not taken from the template are named, with why,
 * in support/lambda-runtime-env.ts; the merge-off control below is the one labelled deviation.
 */
import { App, Stack } from 'aws-cdk-lib';
import { restApiEvent, restApiRouteTo } from './support/api-gateway-event';
import { invokeLikeLambda, InvocationResult } from './support/invoke-like-lambda';
import { expectLambdaSpanMergedInto, expectLambdaSpanNotMerged, expectUserSpanUnderLambda, spanNamed } from './support/merged-trace-expectations';
import { nodeFunctionsOf, TemplateFunction } from './support/template-function';
import { mergedTraceId, newTraceHeader, XRayTraceHeader } from './support/xray-trace-header';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { TracingMode } from '../../lib';

const { account: ACCOUNT, region: REGION } = SERVERLESS_FIRST_ENV;
/** The span the example's handler opens with dd-trace. */
const USER_SPAN = 'checkout.validate';
/** datadog-lambda-js's invocation metric, written to stdout (DD_FLUSH_TO_LOG): proof the redirect wrapped the handler. */
const INVOCATION_METRIC = '"m":"aws.lambda.enhanced.invocations"';

interface Synthesized {
  readonly stack: Stack;
  readonly fn: TemplateFunction;
}

/** The example's stack class in a fresh App, with the example's options in `mode`. */
function synthesizeExample(mode: TracingMode): Synthesized {
  const stack = new ServerlessFirstStack(new App(), 'ServerlessFirst', {
    env: SERVERLESS_FIRST_ENV,
    tracing: { ...SERVERLESS_FIRST_TRACING, mode },
  });
  const functions = nodeFunctionsOf(stack);
  expect(functions).toHaveLength(1);
  return { stack, fn: functions[0] };
}

/** Lambda samples a request for X-Ray when the function's tracing is Active (PassThrough alone never does). */
function headerFor(fn: TemplateFunction): XRayTraceHeader {
  return newTraceHeader(fn.tracingMode === 'Active');
}

/** What every run must show whatever the mode: the handler answered, and nothing tried to leave 127.0.0.1. */
function expectCleanRun(run: InvocationResult) {
  expect(run.outcome).toEqual({ result: { statusCode: 200, body: expect.any(String) } });
  expect(run.killed).toBe(false);
  expect(run.exitCode).toBe(0);
  expect(run.networkRefusals).toEqual([]);
  // The fake agent saw decodable v0.4 trace payloads only (no telemetry, remote config or profiling calls).
  expect(run.agentRequests.filter((r) => r.path !== '/v0.4/traces' || r.error !== undefined)).toEqual([]);
}

describe('SERVERLESS: the function joins the X-Ray trace Lambda started', () => {
  let synthesized: Synthesized;
  let header: XRayTraceHeader;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the example stack as synthesized, and the trace header Lambda sets for one sampled request
    synthesized = synthesizeExample(TracingMode.SERVERLESS);
    header = headerFor(synthesized.fn);
    // WHEN its function runs as Lambda + the Datadog layer run it
    run = await invokeLikeLambda(synthesized.fn, { event: { path: '/orders' }, traceHeader: header.header, region: REGION, account: ACCOUNT });
  });

  test('the run is clean, through the Datadog handler redirect', () => {
    expectCleanRun(run);
    expect(synthesized.fn.handler).toBe('/opt/nodejs/node_modules/datadog-lambda-js/handler.handler');
    expect(run.stdout).toContain(INVOCATION_METRIC);
    // Lambda sampled the request only because the template turns active tracing on.
    expect(header.sampled).toBe(true);
  });

  test('aws.lambda: trace id = low 63 bits of the X-Ray Root, parent = the X-Ray Parent, parent source xray', () => {
    expectLambdaSpanMergedInto(run, header);
  });

  test("the handler's own span is a child of aws.lambda in the same trace, and so is every other span", () => {
    expectUserSpanUnderLambda(run, header, USER_SPAN, 'validate-order');
  });

  test("env, service and version from the example's options are on the spans", () => {
    for (const name of ['aws.lambda', USER_SPAN]) {
      const span = spanNamed(run, name);
      expect(span.service).toBe(SERVERLESS_FIRST_TRACING.service);
      expect(span.meta).toMatchObject({
        env: SERVERLESS_FIRST_TRACING.env,
        service: SERVERLESS_FIRST_TRACING.service,
        version: SERVERLESS_FIRST_TRACING.version,
      });
    }
  });

  test('the datadog-metadata subsegment reaches the X-Ray daemon over UDP, under the Lambda segment', () => {
    expect(run.xray).toHaveLength(1);
    const [datagram] = run.xray;
    expect(datagram.header).toBe('{"format": "json", "version": 1}');
    expect(datagram.segment).toMatchObject({
      name: 'datadog-metadata',
      type: 'subsegment',
      trace_id: header.root,
      parent_id: header.parent,
    });
  });
});

describe('negative control: the same template with merging off is NOT merged', () => {
  let header: XRayTraceHeader;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the SERVERLESS template
    const { fn } = synthesizeExample(TracingMode.SERVERLESS);
    expect(fn.environment.DD_MERGE_XRAY_TRACES).toBe('true');
    header = headerFor(fn);
    // WHEN it runs with DD_MERGE_XRAY_TRACES flipped. DELIBERATE DEVIATION from the template, the only one
    // in this suite: it shows the assertions above fail when the template does not turn merging on.
    run = await invokeLikeLambda(fn, {
      event: { path: '/orders' },
      traceHeader: header.header,
      region: REGION,
      account: ACCOUNT,
      deviations: { DD_MERGE_XRAY_TRACES: 'false' },
    });
  });

  test('aws.lambda starts a trace of its own: another trace id, no parent, no xray parent source', () => {
    expectCleanRun(run);
    expectLambdaSpanNotMerged(run, header, USER_SPAN);
  });
});

describe('HYBRID: Lambda traces stay in X-Ray, no dd-trace spans', () => {
  let synthesized: Synthesized;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the example stack synthesized in HYBRID mode
    synthesized = synthesizeExample(TracingMode.HYBRID);
    // WHEN its function runs
    run = await invokeLikeLambda(synthesized.fn, {
      event: { path: '/orders' },
      traceHeader: headerFor(synthesized.fn).header,
      region: REGION,
      account: ACCOUNT,
    });
  });

  test('no span reaches the agent, and the handler still runs through the Datadog redirect', () => {
    expectCleanRun(run);
    expect(run.spans).toEqual([]);
    expect(run.agentRequests).toEqual([]);
    expect(run.stdout).toContain(INVOCATION_METRIC);
  });

  test('the function still carries env, service and version (from the template)', () => {
    expect(run.env).toMatchObject({
      DD_ENV: SERVERLESS_FIRST_TRACING.env,
      DD_SERVICE: SERVERLESS_FIRST_TRACING.service,
      DD_VERSION: SERVERLESS_FIRST_TRACING.version,
    });
    expect(synthesized.fn.environment).toMatchObject({ DD_ENV: SERVERLESS_FIRST_TRACING.env, DD_TRACE_ENABLED: 'false' });
  });
});

describe('API Gateway event carrying Datadog headers: the event context wins over X-Ray', () => {
  const ddTraceId = 4611686018427387905n + BigInt(Math.floor(Math.random() * 1e9));
  const ddParentId = 2305843009213693953n + BigInt(Math.floor(Math.random() * 1e9));
  let header: XRayTraceHeader;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the SERVERLESS template, and the event its REST API route delivers for a request from a
    // Datadog-traced client (API Gateway also passes its own X-Ray header along)
    const { stack, fn } = synthesizeExample(TracingMode.SERVERLESS);
    const route = restApiRouteTo(stack, fn.logicalId);
    header = headerFor(fn);
    const event = restApiEvent(route, ACCOUNT, REGION, {
      'x-datadog-trace-id': ddTraceId.toString(),
      'x-datadog-parent-id': ddParentId.toString(),
      'x-datadog-sampling-priority': '1',
      'X-Amzn-Trace-Id': `Root=${header.root}`,
    }, { sku: 'e2e-1' });
    // WHEN the function runs with it
    run = await invokeLikeLambda(fn, { event, traceHeader: header.header, region: REGION, account: ACCOUNT });
  });

  test('every span is in the trace of the headers, not the X-Ray one', () => {
    expectCleanRun(run);
    expect(new Set(run.spans.map((s) => s.trace_id))).toEqual(new Set([ddTraceId]));
    expect(ddTraceId).not.toBe(mergedTraceId(header));
  });

  test('the inferred API Gateway span continues the caller; aws.lambda, its child, names the event as parent source', () => {
    const gatewaySpan = spanNamed(run, 'aws.apigateway');
    const lambdaSpan = spanNamed(run, 'aws.lambda');
    expect(gatewaySpan.parent_id).toBe(ddParentId);
    expect(lambdaSpan.parent_id).toBe(gatewaySpan.span_id);
    expect(lambdaSpan.meta['_dd.parent_source']).toBe('event');
    expect(spanNamed(run, USER_SPAN).parent_id).toBe(lambdaSpan.span_id);
  });
});
