/**
 * The merge for a Go function, proven with Datadog's own Go code: a provided.al2023 function is synthesized in a
 * MergedTracingStack with the serverless-first example's options, and the Go handler of test/e2e/go (wrapped with
 * ddlambda.WrapFunction from datadog-lambda-go, pinned in its go.mod, from the Go module proxy) runs with that
 * function's Environment the way Lambda runs a custom runtime: it polls the Runtime API, whose invocation carries the
 * X-Ray header in `Lambda-Runtime-Trace-Id` (support/go/). It runs in a network namespace with loopback only, beside
 * fakes of the Datadog Extension (its API and trace intake at their own ports) and the X-Ray daemon. The only
 * variables not from the template are GO_RUNTIME_STAND_INS (support/lambda-runtime-env.ts); the merge-off control
 * below is the one labelled deviation.
 */
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildGoFunction, GO_E2E_BUILD, GoInvocationResult, invokeGoLikeLambda, sandboxUnavailable } from './support/go/invoke-go-like-lambda';
import { expectLambdaSpanMergedInto, expectLambdaSpanNotMerged, expectUserSpanUnderLambda, spanNamed } from './support/merged-trace-expectations';
import { providedFunctionsOf, TemplateFunction } from './support/template-function';
import { mergedTraceId, newTraceHeader, XRayTraceHeader } from './support/xray-trace-header';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING } from '../../examples/serverless-first/stack';
import { MergedTracingStack, TracingMode } from '../../lib';

const { account: ACCOUNT, region: REGION } = SERVERLESS_FIRST_ENV;
/** The span the Go handler opens with dd-trace-go. */
const USER_SPAN = 'checkout.price';
const EVENT = { sku: 'e2e-sku-go' };
/** A first build downloads datadog-lambda-go, dd-trace-go and their modules and compiles them (about a minute here). */
const BUILD_TIMEOUT_MS = 600_000;
/** What the library may ask of the extension's trace intake: its trace payloads, the agent's /info, and telemetry. */
const INTAKE_PATHS = ['GET /info', 'POST /v0.4/traces', 'POST /telemetry/proxy/api/v2/apmtelemetry'];

beforeAll(() => {
  const unavailable = sandboxUnavailable();
  if (unavailable) throw new Error(`the Go suite needs user and network namespaces (unshare): ${unavailable}`);
  buildGoFunction(BUILD_TIMEOUT_MS);
}, BUILD_TIMEOUT_MS);

/** A MergedTracingStack with the example's options in `mode` and one Go function; that function as synthesized. */
function goFunction(mode: TracingMode): TemplateFunction {
  const stack = new MergedTracingStack(new App(), 'GoFunction', { env: SERVERLESS_FIRST_ENV, tracing: { ...SERVERLESS_FIRST_TRACING, mode } });
  new lambda.Function(stack, 'Price', {
    runtime: lambda.Runtime.PROVIDED_AL2023,
    architecture: lambda.Architecture.X86_64,
    handler: 'bootstrap',
    code: lambda.Code.fromAsset(GO_E2E_BUILD),
  });
  const functions = providedFunctionsOf(stack);
  expect(functions).toHaveLength(1);
  return functions[0];
}

function invoke(fn: TemplateFunction, header: XRayTraceHeader, deviations?: Record<string, string>): Promise<GoInvocationResult> {
  return invokeGoLikeLambda(fn, { event: EVENT, traceHeader: header.header, region: REGION, account: ACCOUNT, deviations });
}

/** What every run must show whatever the mode: the handler answered, in a sandbox with nothing but loopback. */
function expectCleanRun(run: GoInvocationResult) {
  expect(run.outcome).toEqual({ result: { price: 42, sku: EVENT.sku } });
  expect(run.stoppedAfterResponse).toBe(true);
  expect(run.killed).toBe(false);
  expect(run.interfaces).toEqual(['lo']);
  expect(run.agentRequests.filter((r) => r.error !== undefined || !INTAKE_PATHS.includes(`${r.method} ${r.path}`))).toEqual([]);
}

describe('Go, SERVERLESS: the function joins the X-Ray trace Lambda started', () => {
  let fn: TemplateFunction;
  let header: XRayTraceHeader;
  let run: GoInvocationResult;

  beforeAll(async () => {
    // GIVEN the Go function as synthesized, and the trace header Lambda passes for one sampled request
    fn = goFunction(TracingMode.SERVERLESS);
    header = newTraceHeader(fn.tracingMode === 'Active');
    // WHEN its bootstrap runs as Lambda runs a custom runtime, beside the extension
    run = await invoke(fn, header);
  });

  test('Go: the run is clean, the handler is the bootstrap (no redirect), and merging is on in the template', () => {
    expectCleanRun(run);
    expect(fn.handler).toBe('bootstrap');
    expect(fn.environment).toMatchObject({ DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true' });
    expect(header.sampled).toBe(true);
  });

  test('Go: aws.lambda trace id = low 63 bits of the X-Ray Root, parent = the X-Ray Parent, parent source xray', () => {
    // datadog-lambda-go (convertXrayTraceContextFromLambdaContext) reads the header the runtime client took from
    // Lambda-Runtime-Trace-Id; the generated ids have bit 63 set, so keeping 64 bits would fail here.
    expectLambdaSpanMergedInto(run, header);
  });

  test("Go: the handler's own span is a child of aws.lambda in the same trace, and so is every other span", () => {
    expectUserSpanUnderLambda(run, header, USER_SPAN, 'price-order');
  });

  test('Go: the library hands the merged trace id and its span id to the extension, which keeps its own aws.lambda span', () => {
    // With the extension, datadog-lambda-go uses universal instrumentation (its default): the extension creates the
    // aws.lambda span it keeps from these headers and drops the library's (resource dd-tracer-serverless-span).
    const lambdaSpan = spanNamed(run, 'aws.lambda');
    expect(lambdaSpan.resource).toBe('dd-tracer-serverless-span');
    expect(run.extensionRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /lambda/start-invocation', 'POST /lambda/end-invocation']);
    expect(run.extensionRequests[1].datadogHeaders).toMatchObject({
      'x-datadog-trace-id': String(mergedTraceId(header)),
      'x-datadog-span-id': String(lambdaSpan.span_id),
    });
  });

  test("Go: env, service and version from the example's options are on the spans", () => {
    for (const name of ['aws.lambda', USER_SPAN]) {
      const span = spanNamed(run, name);
      expect(span.service).toBe(SERVERLESS_FIRST_TRACING.service);
      expect(span.meta).toMatchObject({ env: SERVERLESS_FIRST_TRACING.env, version: SERVERLESS_FIRST_TRACING.version });
    }
  });
});

describe('Go, negative control: the same template with merging off is NOT merged', () => {
  let header: XRayTraceHeader;
  let run: GoInvocationResult;

  beforeAll(async () => {
    // GIVEN the SERVERLESS template
    const fn = goFunction(TracingMode.SERVERLESS);
    expect(fn.environment.DD_MERGE_XRAY_TRACES).toBe('true');
    header = newTraceHeader(true);
    // WHEN it runs with DD_MERGE_XRAY_TRACES flipped. DELIBERATE DEVIATION from the template, the only one in this
    // suite: it shows the assertions above fail when the template does not turn merging on.
    run = await invoke(fn, header, { DD_MERGE_XRAY_TRACES: 'false' });
  });

  test('Go: aws.lambda starts a trace of its own: another trace id, no parent, no xray parent source', () => {
    expectCleanRun(run);
    expectLambdaSpanNotMerged(run, header, USER_SPAN);
  });
});

describe('Go, HYBRID: Lambda traces stay in X-Ray, no dd-trace-go spans', () => {
  let fn: TemplateFunction;
  let run: GoInvocationResult;

  beforeAll(async () => {
    // GIVEN the Go function synthesized in HYBRID mode; WHEN it runs
    fn = goFunction(TracingMode.HYBRID);
    run = await invoke(fn, newTraceHeader(fn.tracingMode === 'Active'));
  });

  test('Go: no span reaches the extension and the library starts no invocation there; the handler still answers', () => {
    expectCleanRun(run);
    expect(fn.environment).toMatchObject({ DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false' });
    expect(run.spans).toEqual([]);
    expect(run.extensionRequests.filter((r) => r.path.includes('invocation'))).toEqual([]);
  });

  test('Go: the function still carries env, service and version (from the template)', () => {
    expect(run.env).toMatchObject({
      DD_ENV: SERVERLESS_FIRST_TRACING.env,
      DD_SERVICE: SERVERLESS_FIRST_TRACING.service,
      DD_VERSION: SERVERLESS_FIRST_TRACING.version,
    });
  });
});
