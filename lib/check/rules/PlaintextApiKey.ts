import { compliant, FunctionFacts, nonCompliant, notApplicable, Rule } from './rule';
import { API_KEY_SOURCE_VARS, DD_API_KEY } from '../../datadog/environment';

/** A plaintext DD_API_KEY is readable by anyone who can read the function's configuration or template. */
export const PlaintextApiKey: Rule<FunctionFacts> = {
  name: 'PlaintextApiKey',
  severity: 'error',
  check: (fn) => {
    if (fn.env[DD_API_KEY] !== undefined) {
      return nonCompliant('carries the Datadog API key in plaintext (DD_API_KEY), visible in its configuration and template.',
        'Use DD_API_KEY_SECRET_ARN (apiKeySecret), DD_API_KEY_SSM_ARN or DD_KMS_API_KEY instead.');
    }
    const source = API_KEY_SOURCE_VARS.find((k) => fn.env[k] !== undefined);
    return source ? compliant(`API key from ${source}`) : notApplicable;
  },
};
