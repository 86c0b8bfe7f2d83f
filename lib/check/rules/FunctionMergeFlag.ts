import { compliant, FunctionFacts, isIntrinsic, nonCompliant, notApplicable, Rule, shown, unknown } from './rule';
import { datadogTracesOn } from '../../datadog/environment';
import { MERGE_ENV_VARS, MERGE_XRAY_TRACES } from '../../datadog/runtimes';
import { TracingMode } from '../../options';

/**
 * The flag that makes the Datadog library continue the X-Ray trace. Its name depends on the runtime
 * (Ruby reads DD_MERGE_DATADOG_XRAY_TRACES); the runtime table says which. Java and .NET read none,
 * so no flag is required there (MergedTracing warns MergeNotSupported instead).
 */
export const FunctionMergeFlag: Rule<FunctionFacts> = {
  name: 'FunctionMergeFlag',
  severity: 'error',
  check: (fn) => {
    if (fn.runtimeUnknown) return unknown('its runtime, which decides the merge flag\'s name');
    if (fn.row && !fn.isImage && fn.row.family.mergeEnvVar === undefined) return notApplicable;
    if (fn.mode === undefined) return unknown('its tracing mode (DD_TRACE_ENABLED is only known at deployment)');
    // Container images: the runtime is unknown, either name may be the right one.
    const names = fn.isImage || !fn.row ? MERGE_ENV_VARS : [fn.row.family.mergeEnvVar!];
    const name = names.find((n) => fn.env[n] !== undefined) ?? names[0] ?? MERGE_XRAY_TRACES;
    const value = fn.env[name];
    if (isIntrinsic(value)) return unknown(`its ${name}`);
    const wanted = datadogTracesOn(fn.mode);
    // The libraries default the flag to false, which is what HYBRID wants.
    const actual = value === undefined ? 'false' : String(value).toLowerCase();
    if (actual === wanted) return compliant(`${name}=${value === undefined ? 'unset (false by default)' : wanted}`);
    const otherName = MERGE_ENV_VARS.find((n) => !names.includes(n) && fn.env[n] !== undefined);
    return nonCompliant(
      `has ${name}=${value === undefined ? 'unset (false)' : shown(value)}, but ${fn.mode} mode needs '${wanted}'` +
      (otherName ? ` (it sets ${otherName}, which ${fn.row?.family.name ?? 'this runtime'} does not read).` : '.') +
      (fn.mode === TracingMode.SERVERLESS ? ' Datadog would start a new trace instead of continuing the X-Ray one.' : ''),
      `Set ${name}=${wanted}${otherName ? ` instead of ${otherName}` : ''}.`);
  },
};
