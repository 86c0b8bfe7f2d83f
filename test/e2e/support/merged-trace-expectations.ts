/**
 * What a merged trace looks like in the spans a function sent, whatever its runtime: the assertions the
 * Node.js and Python end-to-end suites share.
 */
import { AgentSpan } from './fake-datadog-agent';
import { InvocationResult } from './invoke-like-lambda';
import { mergedParentId, mergedTraceId, XRayTraceHeader } from './xray-trace-header';

/** The one span called `name`; throws with what the run printed when there is none or more than one. */
export function spanNamed(run: InvocationResult, name: string): AgentSpan {
  const found = run.spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name} span, got ${found.length}: ${run.spans.map((s) => s.name).join(', ') || 'none'}\n${run.stdout}\n${run.stderr}`);
  return found[0];
}

/** aws.lambda adopted the X-Ray context: trace id = low 63 bits of the Root, parent = the Parent, source xray. */
export function expectLambdaSpanMergedInto(run: InvocationResult, header: XRayTraceHeader): void {
  const lambdaSpan = spanNamed(run, 'aws.lambda');
  expect(lambdaSpan.trace_id).toBe(mergedTraceId(header));
  expect(lambdaSpan.parent_id).toBe(mergedParentId(header));
  expect(lambdaSpan.meta['_dd.parent_source']).toBe('xray');
}

/** The handler's own span sits under aws.lambda in the merged trace, and no span is in another trace. */
export function expectUserSpanUnderLambda(run: InvocationResult, header: XRayTraceHeader, userSpanName: string, resource: string): void {
  const lambdaSpan = spanNamed(run, 'aws.lambda');
  const userSpan = spanNamed(run, userSpanName);
  expect(userSpan.trace_id).toBe(mergedTraceId(header));
  expect(userSpan.parent_id).toBe(lambdaSpan.span_id);
  expect(userSpan.resource).toBe(resource);
  expect(new Set(run.spans.map((s) => s.trace_id))).toEqual(new Set([mergedTraceId(header)]));
}

/**
 * The negative control: with merging off, aws.lambda starts a trace of its own (another trace id, no parent, no
 * parent source) and the handler's span still follows it: only the link to X-Ray is gone.
 */
export function expectLambdaSpanNotMerged(run: InvocationResult, header: XRayTraceHeader, userSpanName: string): void {
  const lambdaSpan = spanNamed(run, 'aws.lambda');
  expect(lambdaSpan.trace_id).not.toBe(mergedTraceId(header));
  expect(lambdaSpan.parent_id).toBe(0n);
  expect(lambdaSpan.meta['_dd.parent_source']).toBeUndefined();
  expect(spanNamed(run, userSpanName).trace_id).toBe(lambdaSpan.trace_id);
}
