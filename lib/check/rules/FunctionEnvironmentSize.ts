import { compliant, FunctionFacts, nonCompliant, Rule, unknown } from './rule';
import { MAX_ENVIRONMENT_BYTES } from '../../datadog/lambda-limits';

/** Room left for a value only known at deployment (an ARN, a name) before we call the size unknown. */
const DEPLOY_TIME_VALUE_ALLOWANCE = 256;

/**
 * Lambda counts the keys and values of all variables against 4 KB. Values only known at deployment
 * count as zero: the total is then a lower bound, so over the limit is certain, and within
 * DEPLOY_TIME_VALUE_ALLOWANCE bytes of it per such value is unknown.
 */
export const FunctionEnvironmentSize: Rule<FunctionFacts> = {
  name: 'FunctionEnvironmentSize',
  severity: 'error',
  check: (fn) => {
    let bytes = 0;
    let deployTimeValues = 0;
    for (const [key, value] of Object.entries(fn.env)) {
      bytes += Buffer.byteLength(key);
      if (typeof value === 'string') bytes += Buffer.byteLength(value);
      else deployTimeValues++;
    }
    if (bytes > MAX_ENVIRONMENT_BYTES) {
      return nonCompliant(`carries at least ${bytes} bytes of environment variables, over Lambda's limit of ${MAX_ENVIRONMENT_BYTES}; the deployment fails.`,
        'Move large values to SSM Parameter Store or Secrets Manager.');
    }
    if (bytes + deployTimeValues * DEPLOY_TIME_VALUE_ALLOWANCE > MAX_ENVIRONMENT_BYTES) {
      return unknown(`the size of its environment (${bytes} bytes plus ${deployTimeValues} values known only at deployment)`);
    }
    return compliant(`${bytes} of ${MAX_ENVIRONMENT_BYTES} environment bytes`);
  },
};
