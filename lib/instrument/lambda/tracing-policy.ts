import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { apiKeyReadNeeds, grantApiKeyRead } from './api-key';
import { acknowledgeNagFinding, XRAY_WILDCARD_REASON } from '../../common/cdk-nag';
import { warnWhileInstrumenting } from '../../common/findings';
import { landedInPolicy } from '../../common/landed-in-policy';
import { TracingConfig } from '../../config';

export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/**
 * Grants an instrumented function what merged tracing needs: X-Ray writes (unless the L2 already
 * granted them) and reading the Datadog API key, each scoped as narrowly as the resource allows.
 *
 * Roles this app creates share ONE policy per stack and options. Why not each role's DefaultPolicy:
 * a function with no other grants would get an AWS::IAM::Policy of its own, one resource per function
 * that CDK must resolve, validate and write (about a tenth of synth time at 1,000 functions, see
 * docs/benchmark.md) and that counts against CloudFormation's 500-resource limit.
 * Imported roles keep per-role grants, so CDK's own rules apply: a policy for a mutable import, nothing
 * for one imported with `mutable: false` (a shared policy would attach to it regardless).
 */
export function grantTracingPermissions(fn: lambda.Function, config: TracingConfig, needsXRay: boolean): void {
  const role = fn.role;
  if (role instanceof iam.Role) {
    if (!needsXRay && config.apiKey.kind === 'none') return;
    const policy = sharedPolicy(role, config, needsXRay);
    policy.attachToRole(role);
    fn.node.defaultChild!.node.addDependency(policy);
    return;
  }
  // Imported roles: the grants land in a policy of their own, or nowhere for `mutable: false`; then say
  // exactly what the role must already allow.
  // Asked even when the L2 already asked for X-Ray (Tracing.ACTIVE): an immutable role dropped that request too,
  // and a mutable one gets the same statement once (CDK removes duplicate statements).
  const xrayMissing = !(role && landedInPolicy(role.addToPrincipalPolicy(xrayStatement()).policyDependable));
  const keyMissing = !grantApiKeyRead(fn, fn, config.apiKey);
  if (!xrayMissing && !keyMissing) return;
  const needs = [...(xrayMissing ? [`${XRAY_WRITE_ACTIONS.join(', ')} on *`] : []), ...(keyMissing ? [apiKeyReadNeeds(config.apiKey)!] : [])];
  const consequences = [
    ...(xrayMissing ? ['Lambda refuses Active tracing without the X-Ray actions'] : []),
    ...(keyMissing ? ['the Datadog extension cannot read its API key'] : []),
  ];
  warnWhileInstrumenting(fn, 'ImmutableRole',
    `This function's role is imported with mutable: false, so merged tracing could not grant it ${needs.join('; ')}. ` +
    `${capitalized(consequences.join(', and '))}. Allow exactly these on the role where it is defined (${roleName(role)}), then acknowledge this warning.`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How the message names an imported role: its ARN when literal, else its construct path. */
function roleName(role: iam.IRole | undefined): string {
  if (!role) return 'its role';
  return Token.isUnresolved(role.roleArn) ? role.node.path : role.roleArn;
}

function xrayStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
}

function sharedPolicy(role: iam.Role, config: TracingConfig, needsXRay: boolean): iam.Policy {
  const stack = Stack.of(role);
  const id = `DatadogMergedTracingPolicy${needsXRay ? 'XRay' : ''}${config.signatureDigest}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof iam.Policy) return existing;
  const policy = new iam.Policy(stack, id, { statements: needsXRay ? [xrayStatement()] : [] });
  if (needsXRay) acknowledgeNagFinding(policy, 'AwsSolutions-IAM5', XRAY_WILDCARD_REASON, 'Resource::*');
  // Grants through the key's own construct (secret, KMS key) keep their scoping and KMS handling.
  grantApiKeyRead(new PolicyPrincipal(policy, stack), stack, config.apiKey);
  return policy;
}

/** A principal whose grants land in one shared policy. */
class PolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction = 'sts:AssumeRole';
  public readonly principalAccount: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;

  constructor(private readonly policy: iam.Policy, stack: Stack) {
    this.principalAccount = stack.account;
    this.policyFragment = new iam.AccountPrincipal(stack.account).policyFragment;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
}
