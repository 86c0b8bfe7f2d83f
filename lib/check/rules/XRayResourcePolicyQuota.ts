/**
 * X-Ray allows an account five resource policies (PutResourcePolicy fails with PolicyCountLimitExceededException
 * past that). Like EnvMismatch this rule compares resources: the checker collects every AWS::XRay::ResourcePolicy
 * of every template of the app, the user's own included, and calls this once.
 */
export const XRayResourcePolicyQuotaRule = { name: 'XRayResourcePolicyQuota', severity: 'error' as const };

export const MAX_XRAY_RESOURCE_POLICIES = 5;

/** One X-Ray resource policy of the app, and where its stack deploys (undefined: only known at deployment). */
export interface XRayPolicyPlacement {
  readonly path: string;
  readonly account?: string;
  readonly region?: string;
}

/** An account and region the app would give more policies than X-Ray allows, and those policies. */
export interface XRayPolicyQuotaBreach {
  readonly environment: string;
  readonly policies: readonly XRayPolicyPlacement[];
}

/**
 * The environments over the quota. A policy of an environment-agnostic stack may land in any account or region,
 * so it counts in every environment of the app it could land in, and in its own.
 */
export function xrayPolicyQuotaBreaches(policies: readonly XRayPolicyPlacement[]): XRayPolicyQuotaBreach[] {
  const environments = new Map<string, XRayPolicyPlacement>();
  for (const p of policies) environments.set(environmentName(p), p);
  const breaches: XRayPolicyQuotaBreach[] = [];
  for (const [environment, where] of environments) {
    const landing = policies.filter((p) => couldLandIn(p, where));
    if (landing.length > MAX_XRAY_RESOURCE_POLICIES) breaches.push({ environment, policies: landing });
  }
  return breaches;
}

function couldLandIn(policy: XRayPolicyPlacement, where: XRayPolicyPlacement): boolean {
  const fits = (own: string | undefined, target: string | undefined) => own === undefined || own === target;
  return fits(policy.account, where.account) && fits(policy.region, where.region);
}

function environmentName(p: XRayPolicyPlacement): string {
  return `account ${p.account ?? '(any: environment-agnostic)'}, region ${p.region ?? '(any: environment-agnostic)'}`;
}

/** The finding for one breach, naming every policy. */
export function xrayPolicyQuotaMessage(breach: XRayPolicyQuotaBreach): { problem: string; fix: string } {
  return {
    problem: `This app deploys ${breach.policies.length} X-Ray resource policies to ${breach.environment} ` +
      `(${breach.policies.map((p) => p.path).join(', ')}), but X-Ray allows ${MAX_XRAY_RESOURCE_POLICIES} per account and region: ` +
      'PutResourcePolicy fails with PolicyCountLimitExceededException and the deployment that adds the next one fails.',
    fix: 'Merge the policies into fewer (merged tracing needs one per account and region for all SNS topics; set createSnsXRayResourcePolicy: false where the account already has one), or deploy them to other accounts or regions.',
  };
}
