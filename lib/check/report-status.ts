import { ReportStatus } from './report-entry';
import { MergeSupport } from '../datadog/runtimes';
import { TracingMode } from '../options';

/** What a resource is for merged traces, before any finding. */
export type ResourceNature =
  /** A Lambda function; `merge` undefined when the runtime is unknown (a token, a container image). */
  | { readonly kind: 'function'; readonly mode?: TracingMode; readonly merge?: MergeSupport }
  /** X-Ray only by nature (REST API stage, state machine); `tracingRule` is the rule that checks X-Ray is on. */
  | { readonly kind: 'xray-only'; readonly tracingRule: string }
  /** A service without X-Ray (API Gateway HTTP / WebSocket API); `rule` is the finding that says so. */
  | { readonly kind: 'no-xray'; readonly rule: string }
  /** The host side: traced by the Datadog Agent (an ECS task, an EC2 instance or Auto Scaling group). */
  | { readonly kind: 'host' };

/** The findings of one resource that decide its status (rule names, without the id prefix). */
export interface StatusInput {
  readonly nature: ResourceNature;
  /** Non-compliant rules, not acknowledged. */
  readonly missing: readonly string[];
  /** Rules only known at deployment, not acknowledged. */
  readonly unknown: readonly string[];
  /** Acknowledged findings (rules or instrumenting findings). */
  readonly acknowledged: readonly string[];
  /** Instrumenting findings that mean something is missing (ImmutableRole), not acknowledged. */
  readonly missingGrants: readonly string[];
}

/** The report status of one resource: see ReportStatus for the meaning of each. */
export function statusOf(input: StatusInput): ReportStatus {
  const { nature } = input;
  if (nature.kind === 'xray-only' && input.missing.includes(nature.tracingRule)) return 'not-traced';
  // A service without X-Ray is not traced by nature: its own finding says so, and is no gap of wiring.
  const missing = nature.kind === 'no-xray' ? input.missing.filter((m) => m !== nature.rule) : input.missing;
  if (missing.length > 0 || input.missingGrants.length > 0) return 'incomplete';
  if (nature.kind === 'no-xray') return input.acknowledged.includes(nature.rule) ? 'acknowledged' : 'not-traced';
  if (input.unknown.length > 0) return 'unknown';
  if (input.acknowledged.length > 0) return 'acknowledged';
  switch (nature.kind) {
    case 'xray-only': return 'xray-traced';
    case 'host': return 'datadog-traced';
    case 'function':
      // HYBRID's contract: X-Ray traces the function, Datadog does not (DD_TRACE_ENABLED=false).
      if (nature.mode === TracingMode.HYBRID) return 'xray-traced';
      if (nature.mode === undefined || nature.merge === undefined) return 'unknown';
      return MERGE_STATUS[nature.merge];
  }
}

const MERGE_STATUS: Record<MergeSupport, ReportStatus> = {
  [MergeSupport.MERGES]: 'merged',
  [MergeSupport.IN_CODE]: 'needs-code',
  [MergeSupport.NONE]: 'traced-not-merged',
};
