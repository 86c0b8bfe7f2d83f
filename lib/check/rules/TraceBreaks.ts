/**
 * A hop of the trace map (lib/check/map) where one request's merged trace breaks: an HTTP API in front
 * of a function, a Kinesis stream feeding one, X-Ray off upstream, a runtime Datadog does not merge.
 * Like EnvMismatch it reads more than one resource, so the checker raises it once the map is drawn,
 * on the hop's target, naming the upstream resource and the reason. A warning: some breaks are by design
 * (a stream batch is a new request), and the user acknowledges those.
 */
export const TraceBreaksRule = { name: 'TraceBreaks', severity: 'warning' as const };

/** The finding's description and fix for a break on the hop from `from` into the resource it is reported on. */
export function traceBreaksMessage(from: string, via: string, reason: string): { readonly problem: string; readonly fix: string } {
  return {
    problem: `is where the merged trace from ${from} breaks (${via}): ${reason}.`,
    fix: 'See the trace map in trace-merging-report.md; fix the hop, or acknowledge this warning where the break is by design '
      + "(Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:TraceBreaks', reason })).",
  };
}
