import { Stack, Stage, Token } from 'aws-cdk-lib';
import { XRayPolicyPlacement } from './rules/XRayResourcePolicyQuota';
import { SynthesizedResource } from './synthesized-resources';

/*
 * Where a synthesized resource stands, in the words the report uses: its deployment unit, its stack, and values of
 * its stack resolved as the template shows them.
 */

/** The deployment unit a resource belongs to: its stage's path, or the app itself. */
export function unitName(stage: Stage | undefined): string {
  return stage?.node.path ? stage.node.path : 'the app';
}

/** The stack a resource is reported under: the top-level stack it deploys with (by name, else artifact id). */
export function reportedStackName(stack: Stack): string {
  let top = stack;
  while (top.nestedStackParent) top = top.nestedStackParent;
  return Token.isUnresolved(top.stackName) ? top.artifactId : top.stackName;
}

/**
 * The env to compare with, as the template shows values: a token (a Lazy, a context lookup) resolved, so `prod` given
 * lazily matches DD_ENV=prod. One only known at deployment (a CfnParameter) compares with nothing.
 */
export function resolvedEnv(stack: Stack, env: string | undefined): string | undefined {
  if (env === undefined || !Token.isUnresolved(env)) return env;
  const resolved = stack.resolve(env);
  return typeof resolved === 'string' ? resolved : undefined;
}

/** An X-Ray resource policy (in a stack's template or a nested stack's), with where its stack deploys. */
export function xrayPolicyPlacement(policy: SynthesizedResource): XRayPolicyPlacement {
  const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  return { path: policy.cfn.node.path, account: known(policy.stack.account), region: known(policy.stack.region) };
}
