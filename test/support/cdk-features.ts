/**
 * The suite runs on two aws-cdk-lib releases: the dev dependency (the newest 2.x we test) and the peer
 * minimum (`npx projen test:cdk-min`, compat/min). What only the newer one has is reached here, so the suite
 * compiles on both; a test that needs it is skipped on the older one with the reason in its name
 * (compat/min/skipped-reporter.js lists those at the end of the run): never a silent pass.
 */
import { AppProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** The aws-cdk-lib release this run loads. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const CDK_VERSION: string = require('aws-cdk-lib/package.json').version;

/** A `lambda.Runtime` constant by its name (`'PYTHON_3_15'`), or undefined when this aws-cdk-lib has none. */
export function cdkRuntime(constant: string): lambda.Runtime | undefined {
  const value: unknown = Reflect.get(lambda.Runtime, constant);
  return value instanceof lambda.Runtime ? value : undefined;
}

/**
 * `test` when this aws-cdk-lib has the `lambda.Runtime` constant, else `test.skip` named
 * "<name> [skipped on aws-cdk-lib <version>: no Runtime.<constant>]".
 */
export function testWithRuntime(constant: string, name: string, fn: (runtime: lambda.Runtime) => void): void {
  const runtime = cdkRuntime(constant);
  testIfCdkHas(runtime !== undefined, `Runtime.${constant}`, name, () => fn(runtime!));
}

/**
 * `test` when this aws-cdk-lib knows the feature flag (`cxapi.FLAGS`), else `test.skip` named
 * "<name> [skipped on aws-cdk-lib <version>: no feature flag <flag>]".
 */
export function testWithFeatureFlag(flag: string, name: string, fn: () => void): void {
  testIfCdkHas(flag in cxapi.FLAGS, `feature flag ${flag}`, name, fn);
}

/**
 * `test` on aws-cdk-lib `minimum` or newer, else `test.skip` named
 * "<name> [skipped on aws-cdk-lib <version>: no <what>]" (for behaviour older releases get wrong).
 */
export function testWithCdkAtLeast(minimum: string, what: string, name: string, fn: () => void): void {
  testIfCdkHas(compareVersions(CDK_VERSION, minimum) >= 0, `${what} (from ${minimum})`, name, fn);
}

function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function testIfCdkHas(has: boolean, feature: string, name: string, fn: () => void): void {
  if (has) {
    test(name, fn);
  } else {
    test.skip(`${name} [skipped on aws-cdk-lib ${CDK_VERSION}: no ${feature}]`, () => undefined);
  }
}

/**
 * AppProps that turn aws-cdk-lib's built-in CloudFormation validation off. `builtinCloudFormationValidation`
 * is newer than the peer minimum, which ignores it and always validates (reporting warnings only).
 */
export function appPropsWithoutCfnValidation(props: AppProps = {}): AppProps {
  const withFlag: AppProps & { builtinCloudFormationValidation?: boolean } = { ...props, builtinCloudFormationValidation: false };
  return withFlag;
}
