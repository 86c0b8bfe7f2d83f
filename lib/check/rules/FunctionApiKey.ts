import { FunctionFacts, nonCompliant, notApplicable, Rule } from './rule';
import { API_KEY_SOURCE_VARS, DD_API_KEY } from '../../datadog/environment';
import { TracingMode } from '../../options';

/**
 * A SERVERLESS function sends its traces through the Datadog extension, which needs an API key: without one no trace
 * reaches Datadog, so the function is not merged whatever else is wired. A HYBRID function's traces are X-Ray's
 * (Datadog reads them through its AWS integration), so the key is not what decides them there.
 */
export const FunctionApiKey: Rule<FunctionFacts> = {
  name: 'FunctionApiKey',
  severity: 'warning',
  toldOnStackBy: 'NoApiKey',
  check: (fn) => {
    if (fn.mode !== TracingMode.SERVERLESS) return notApplicable;
    // A key's source is what PlaintextApiKey reports as wired (or refuses, when it is plaintext).
    if ([...API_KEY_SOURCE_VARS, DD_API_KEY].some((k) => fn.env[k] !== undefined)) return notApplicable;
    return nonCompliant(
      `has no Datadog API key (none of ${[...API_KEY_SOURCE_VARS, DD_API_KEY].join(', ')}), so the Datadog extension sends no trace: nothing of it reaches Datadog.`,
      'Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the merged-tracing options, or set one of those variables on the function.');
  },
};
