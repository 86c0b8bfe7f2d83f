import { compliant, FunctionFacts, isIntrinsic, literal, nonCompliant, Rule, shown, unknown } from './rule';
import { suggestedTag, tagValueProblem } from '../../datadog/tag-rules';

/** DD_ENV names the Datadog environment; without it, or with another one, traces land apart. */
export const FunctionDdEnv: Rule<FunctionFacts> = {
  name: 'FunctionDdEnv',
  severity: 'error',
  check: (fn) => {
    const value = fn.env.DD_ENV;
    if (value === undefined || value === '') {
      return nonCompliant('has no DD_ENV, so its traces carry no env and do not join the rest of the deployment.',
        `Set DD_ENV${fn.expectedEnv ? ` to '${fn.expectedEnv}'` : ' to the env of this deployment'} (TraceMerging does it from its env option).`);
    }
    if (isIntrinsic(value)) return unknown('its DD_ENV');
    // A token passes the options' check and is first seen resolved here.
    const broken = typeof value === 'string' ? tagValueProblem(value) : undefined;
    if (broken !== undefined && typeof value === 'string') {
      return nonCompliant(`has DD_ENV=${shown(value)}, which ${broken}: Datadog would rewrite it, and its traces would not join the rest of the deployment.`,
        `Give env a value that resolves to '${suggestedTag(value)}'.`);
    }
    if (fn.expectedEnv !== undefined && value !== fn.expectedEnv) {
      return nonCompliant(`has DD_ENV=${shown(value)}, but this deployment's env is '${fn.expectedEnv}'${fn.envOrigins?.expectedIn ? ` (env in ${fn.envOrigins.expectedIn})` : ''}.`,
        envFix(fn, String(value), fn.expectedEnv));
    }
    const tag = envTag(fn.props.Tags);
    if (tag !== undefined && tag !== value) {
      return nonCompliant(`has DD_ENV=${shown(value)} but its env tag is ${shown(tag)}; Datadog's AWS integration and its tracer would disagree.`,
        'Make the env tag and DD_ENV the same (remove the explicit env tag to let merged tracing set it).');
    }
    return compliant(`DD_ENV=${literal(value)}`);
  },
};

/**
 * The fix for a DD_ENV other than the expected one, where the user set it: in the options that instrument the function
 * (they give that value), else in the function's own environment; and, if that value is the right one, where the
 * expected env was given.
 */
function envFix(fn: FunctionFacts, value: string, expected: string): string {
  const origins = fn.envOrigins;
  const own = origins?.instrumentedBy?.env === value
    ? `Set env: '${expected}' in ${origins.instrumentedBy.where} (they give '${value}')`
    : `Set DD_ENV to '${expected}' in the function's environment (it sets '${value}' itself), or remove it and let merged tracing set it`;
  return origins?.expectedIn ? `${own}; or, if '${value}' is right, change env in ${origins.expectedIn}.` : `${own}.`;
}

/** The `env` tag of a resource's Tags list ([{Key, Value}]), if any. */
export function envTag(tags: unknown): unknown {
  if (!Array.isArray(tags)) return undefined;
  return (tags as Array<{ Key?: unknown; Value?: unknown }>).find((t) => t.Key === 'env')?.Value;
}
