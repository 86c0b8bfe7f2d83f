/**
 * The merge for the example's Python function (the hop Step Functions invokes), proven with Datadog's own
 * Python code: the example's stack is synthesized in-process, its Python function (Handler, Environment,
 * inline code) is run in a child Python process the way Lambda + the Datadog Python layer run it
 * (support/invoke-python-like-lambda.ts: `datadog_lambda.handler.handler` loading DD_LAMBDA_HANDLER, the
 * X-Ray header in _X_AMZN_TRACE_ID), with the datadog-lambda release of the pinned layer and its ddtrace,
 * and what they send is read back from the fake Datadog agent and fake X-Ray daemon on 127.0.0.1.
 * The only environment variables not taken from the template are PYTHON_RUNTIME_STAND_INS
 * (support/lambda-runtime-env.ts); the merge-off control below is the one labelled deviation.
 */
import { App } from 'aws-cdk-lib';
import { InvocationResult } from './support/invoke-like-lambda';
import { invokePythonLikeLambda, preparePythonE2eVenv, PYTHON_E2E_INSTALL_TIMEOUT_MS } from './support/invoke-python-like-lambda';
import { expectLambdaSpanMergedInto, expectLambdaSpanNotMerged, expectUserSpanUnderLambda, spanNamed } from './support/merged-trace-expectations';
import { pythonFunctionsOf, TemplateFunction } from './support/template-function';
import { newTraceHeader, XRayTraceHeader } from './support/xray-trace-header';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { TracingMode } from '../../lib';

const { account: ACCOUNT, region: REGION } = SERVERLESS_FIRST_ENV;
/** The span the example's Python handler opens with ddtrace. */
const USER_SPAN = 'checkout.price';
/** datadog_lambda's invocation metric, written to stdout (DD_FLUSH_TO_LOG): proof the redirect wrapped the handler. */
const INVOCATION_METRIC = /"m": ?"aws\.lambda\.enhanced\.invocations"/;
/** The event the state machine's PriceOrder task passes on (the order). */
const EVENT = { sku: 'e2e-sku-1' };
/** A first install downloads datadog-lambda and ddtrace from PyPI. */

beforeAll(() => {
  // The layer's code: datadog-lambda and ddtrace, into the git-ignored virtualenv (a no-op when current).
  preparePythonE2eVenv();
}, PYTHON_E2E_INSTALL_TIMEOUT_MS);

/** The example's stack class in a fresh App, with the example's options in `mode`; its one Python function. */
function pythonFunctionOfExample(mode: TracingMode): TemplateFunction {
  const stack = new ServerlessFirstStack(new App(), 'ServerlessFirst', {
    env: SERVERLESS_FIRST_ENV,
    tracing: { ...SERVERLESS_FIRST_TRACING, mode },
  });
  const functions = pythonFunctionsOf(stack);
  expect(functions).toHaveLength(1);
  return functions[0];
}

/** Lambda samples a request for X-Ray when the function's tracing is Active (PassThrough alone never does). */
function headerFor(fn: TemplateFunction): XRayTraceHeader {
  return newTraceHeader(fn.tracingMode === 'Active');
}

function invoke(fn: TemplateFunction, header: XRayTraceHeader, deviations?: Record<string, string>): Promise<InvocationResult> {
  return invokePythonLikeLambda(fn, { event: EVENT, traceHeader: header.header, region: REGION, account: ACCOUNT, deviations });
}

/** What every run must show whatever the mode: the handler answered, and nothing tried to leave 127.0.0.1. */
function expectCleanRun(run: InvocationResult) {
  expect(run.outcome).toEqual({ result: { price: 42, sku: EVENT.sku } });
  expect(run.killed).toBe(false);
  expect(run.exitCode).toBe(0);
  expect(run.networkRefusals).toEqual([]);
  // The fake agent saw decodable trace payloads only, in ddtrace's default v0.5 protocol (no telemetry,
  // remote config or profiling calls), and ddtrace's start-up question which endpoints the agent has
  // (GET /info, which the extension answers in AWS).
  expect(run.agentRequests.filter((r) => !(r.method === 'POST' && r.path === '/v0.5/traces' && r.error === undefined)
    && !(r.method === 'GET' && r.path === '/info'))).toEqual([]);
}

describe('Python, SERVERLESS: the function joins the X-Ray trace Lambda started', () => {
  let fn: TemplateFunction;
  let header: XRayTraceHeader;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the example stack as synthesized, and the trace header Lambda sets for one sampled request
    fn = pythonFunctionOfExample(TracingMode.SERVERLESS);
    header = headerFor(fn);
    // WHEN its Python function runs as Lambda + the Datadog Python layer run it
    run = await invoke(fn, header);
  });

  test('Python: the run is clean, through the Datadog handler redirect', () => {
    expectCleanRun(run);
    expect(fn.handler).toBe('datadog_lambda.handler.handler');
    expect(fn.environment.DD_LAMBDA_HANDLER).toBe('index.handler');
    expect(run.stdout).toMatch(INVOCATION_METRIC);
    expect(header.sampled).toBe(true);
  });

  test('Python: aws.lambda trace id = low 63 bits of the X-Ray Root, parent = the X-Ray Parent, parent source xray', () => {
    // datadog_lambda (tracing.py, _convert_xray_trace_id) takes the Root's last 16 hex digits AND 0x7FFFFFFFFFFFFFFF:
    // the same number as the low 63 bits of its last 24 (what mergedTraceId computes). The generated ids have
    // bit 63 set, so a library keeping 64 bits would fail here.
    expectLambdaSpanMergedInto(run, header);
  });

  test("Python: the handler's own span is a child of aws.lambda in the same trace, and so is every other span", () => {
    expectUserSpanUnderLambda(run, header, USER_SPAN, 'price-order');
  });

  test("Python: env, service and version from the example's options are on the spans", () => {
    for (const name of ['aws.lambda', USER_SPAN]) {
      const span = spanNamed(run, name);
      expect(span.service).toBe(SERVERLESS_FIRST_TRACING.service);
      expect(span.meta).toMatchObject({ env: SERVERLESS_FIRST_TRACING.env, version: SERVERLESS_FIRST_TRACING.version });
    }
  });

  test('Python: no datadog-metadata subsegment is sent to the X-Ray daemon for this event', () => {
    // Unlike datadog-lambda-js, datadog_lambda (wrapper.py) sends the subsegment only when the Datadog context
    // came from the event or the event has trigger tags (API Gateway, SQS, ...); the state machine's task
    // payload has neither. The merge above does not depend on it.
    expect(run.xray).toEqual([]);
  });
});

describe('Python, negative control: the same template with merging off is NOT merged', () => {
  let header: XRayTraceHeader;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the SERVERLESS template
    const fn = pythonFunctionOfExample(TracingMode.SERVERLESS);
    expect(fn.environment.DD_MERGE_XRAY_TRACES).toBe('true');
    header = headerFor(fn);
    // WHEN it runs with DD_MERGE_XRAY_TRACES flipped. DELIBERATE DEVIATION from the template, the only one
    // in this suite: it shows the assertions above fail when the template does not turn merging on.
    run = await invoke(fn, header, { DD_MERGE_XRAY_TRACES: 'false' });
  });

  test('Python: aws.lambda starts a trace of its own: another trace id, no parent, no xray parent source', () => {
    expectCleanRun(run);
    expectLambdaSpanNotMerged(run, header, USER_SPAN);
  });
});

describe('Python, HYBRID: Lambda traces stay in X-Ray, no ddtrace spans', () => {
  let fn: TemplateFunction;
  let run: InvocationResult;

  beforeAll(async () => {
    // GIVEN the example stack synthesized in HYBRID mode; WHEN its Python function runs
    fn = pythonFunctionOfExample(TracingMode.HYBRID);
    run = await invoke(fn, headerFor(fn));
  });

  test('Python: no span reaches the agent, and the handler still runs through the Datadog redirect', () => {
    expectCleanRun(run);
    expect(fn.environment).toMatchObject({ DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false' });
    expect(run.spans).toEqual([]);
    expect(run.agentRequests.filter((r) => r.path !== '/info')).toEqual([]);
    expect(run.stdout).toMatch(INVOCATION_METRIC);
  });

  test('Python: the function still carries env, service and version (from the template)', () => {
    expect(run.env).toMatchObject({
      DD_ENV: SERVERLESS_FIRST_TRACING.env,
      DD_SERVICE: SERVERLESS_FIRST_TRACING.service,
      DD_VERSION: SERVERLESS_FIRST_TRACING.version,
    });
  });
});
