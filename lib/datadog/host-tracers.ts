/**
 * The dd-trace of a host (ECS container, EC2 instance), by language (HostTracer's `language`): whether it can put
 * X-Ray's trace header on the calls the host makes. Only then can a HYBRID host's trace reach a function X-Ray traces, because the function reads
 * no Datadog context in HYBRID (DD_TRACE_ENABLED=false).
 */

/** What one language's tracer can inject, and where that is shown. */
export interface HostTracerRow {
  /** Whether it has an X-Ray propagation style (`xray` in DD_TRACE_PROPAGATION_STYLE_INJECT). */
  readonly injectsXRayHeader: boolean;
  /** Where that is said or shown. */
  readonly source: string;
  /** `run`: test/e2e/host-tracers.test.ts runs the tracer; `documented`: only its code or documentation says it. */
  readonly proof: 'run' | 'documented';
}

const PROPAGATION_DOCS = 'https://docs.datadoghq.com/tracing/trace_collection/trace_context_propagation/';

export const HOST_TRACERS: Readonly<Record<string, HostTracerRow>> = {
  // dd-java-agent is not served by the Maven registry this project can reach: its X-Ray injector is read, not run.
  java: {
    injectsXRayHeader: true,
    source: 'https://github.com/DataDog/dd-trace-java/blob/master/dd-trace-core/src/main/java/datadog/trace/core/propagation/XRayHttpCodec.java',
    proof: 'documented',
  },
  nodejs: { injectsXRayHeader: false, source: 'test/e2e/host-tracers.test.ts', proof: 'run' },
  python: { injectsXRayHeader: false, source: 'test/e2e/host-tracers.test.ts', proof: 'run' },
  go: { injectsXRayHeader: false, source: PROPAGATION_DOCS, proof: 'documented' },
  dotnet: { injectsXRayHeader: false, source: PROPAGATION_DOCS, proof: 'documented' },
  ruby: { injectsXRayHeader: false, source: PROPAGATION_DOCS, proof: 'documented' },
  php: { injectsXRayHeader: false, source: PROPAGATION_DOCS, proof: 'documented' },
};

/**
 * The injection styles a Java host gets: dd-trace-java's defaults (datadog, tracecontext) and X-Ray's. The header
 * carries Datadog's ids (`Root=1-00000000-00000000<trace id>`), which the Datadog Lambda library reads from an SQS
 * message's AWSTraceHeader.
 */
export const JAVA_INJECT_STYLES = 'datadog,tracecontext,xray';

/** The DD_TRACE_PROPAGATION_STYLE_INJECT a host of this tracer language gets: X-Ray's style where it has one, else none. */
export function injectStylesFor(language: string | undefined): string | undefined {
  return language !== undefined && HOST_TRACERS[language].injectsXRayHeader ? JAVA_INJECT_STYLES : undefined;
}
