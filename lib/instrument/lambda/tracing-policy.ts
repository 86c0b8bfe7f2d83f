import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { grantApiKeyRead } from './api-key';
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
  if (!needsXRay && config.apiKey.kind === 'none') return;
  if (role instanceof iam.Role) {
    const policy = sharedPolicy(role, config, needsXRay);
    policy.attachToRole(role);
    fn.node.defaultChild!.node.addDependency(policy);
    return;
  }
  if (needsXRay) fn.addToRolePolicy(xrayStatement());
  grantApiKeyRead(fn, fn, config.apiKey);
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
