import { compliant, FunctionFacts, isIntrinsic, nonCompliant, Rule, shown, unknown } from './rule';
import { datadogTracesOn, DD_TRACE_ENABLED } from '../../datadog/environment';
import { TracingMode } from '../../options';

/** DD_TRACE_ENABLED: on in SERVERLESS (Datadog traces the function), off in HYBRID (X-Ray does). */
export const FunctionTraceEnabled: Rule<FunctionFacts> = {
  name: 'FunctionTraceEnabled',
  severity: 'error',
  check: (fn) => {
    const value = fn.env[DD_TRACE_ENABLED];
    if (isIntrinsic(value)) return unknown(`its ${DD_TRACE_ENABLED}`);
    if (fn.mode === undefined) return unknown(`its tracing mode (${DD_TRACE_ENABLED} is only known at deployment)`);
    const wanted = datadogTracesOn(fn.mode);
    // Datadog's libraries default DD_TRACE_ENABLED to true, which is what SERVERLESS wants.
    const actual = value === undefined ? 'true' : String(value).toLowerCase();
    if (actual === wanted) return compliant(`${DD_TRACE_ENABLED}=${value === undefined ? 'unset (true by default)' : wanted} (${fn.mode})`);
    return nonCompliant(
      `has ${DD_TRACE_ENABLED}=${value === undefined ? 'unset (true)' : shown(value)}, but ${fn.mode} mode needs '${wanted}'` +
      (fn.mode === TracingMode.HYBRID ? ' (X-Ray traces the function; the host side continues the trace).' : ' (Datadog traces the function).'),
      `Set ${DD_TRACE_ENABLED}=${wanted}, or change the expected mode.`);
  },
};
