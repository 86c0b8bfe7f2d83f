import { Token } from 'aws-cdk-lib';

/**
 * Datadog's FIPS mode. The Node.js and Python libraries read DD_LAMBDA_FIPS_MODE and, when it is unset,
 * turn FIPS mode on in AWS GovCloud (US) only (datadog-lambda-js src/utils/fips.ts, datadog-lambda-python
 * datadog_lambda/fips.py: region starting with `us-gov-`). FIPS mode needs the FIPS build of the extension.
 */
export const DD_LAMBDA_FIPS_MODE = 'DD_LAMBDA_FIPS_MODE';
const GOVCLOUD_REGION_PREFIX = 'us-gov-';

/** What the Datadog libraries assume by themselves in a partition: FIPS mode in GovCloud only. */
export function libraryDefaultFipsInPartition(partition: string): boolean {
  return partition === 'aws-us-gov';
}

/** What the Datadog libraries assume by themselves in this (concrete) region. */
export function libraryDefaultFips(region: string): boolean {
  return region.startsWith(GOVCLOUD_REGION_PREFIX);
}

/**
 * Whether a stack's functions run in FIPS mode: the option, else what the libraries assume in the
 * stack's region. Undefined when only the partition can tell (environment-agnostic stack, option not given).
 */
export function fipsFor(region: string, option: boolean | undefined): boolean | undefined {
  if (option !== undefined) return option;
  return Token.isUnresolved(region) ? undefined : libraryDefaultFips(region);
}

/**
 * DD_LAMBDA_FIPS_MODE, set only where the option differs from what the libraries assume in the region
 * (`false` in GovCloud, `true` elsewhere). An environment-agnostic stack with the option given gets it
 * always: the value then equals the libraries' default in one partition and is needed in the other.
 */
export function fipsModeEnvironment(region: string, option: boolean | undefined): Record<string, string> {
  if (option === undefined) return {};
  if (!Token.isUnresolved(region) && libraryDefaultFips(region) === option) return {};
  return { [DD_LAMBDA_FIPS_MODE]: String(option) };
}
