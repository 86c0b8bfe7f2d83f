import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as xray from 'aws-cdk-lib/aws-xray';
import { DatadogTracedFunction, TraceMerging } from '../../../lib';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { MAX_XRAY_RESOURCE_POLICIES, xrayPolicyQuotaBreaches } from '../../../lib/check/rules/XRayResourcePolicyQuota';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ACCOUNT, functionProps } from '../../support/fixtures';
import { violations } from '../validation';

const EAST = { account: ACCOUNT, region: 'us-east-1' };

/** A user's own X-Ray resource policy (for CloudWatch Logs, EventBridge, ...). */
function ownPolicy(stack: Stack, id: string): xray.CfnResourcePolicy {
  return new xray.CfnResourcePolicy(stack, id, { policyName: id, policyDocument: '{"Version":"2012-10-17","Statement":[]}' });
}

describe('XRayResourcePolicyQuota (pure)', () => {
  test('five per account and region are fine; the sixth is a breach naming all six', () => {
    // GIVEN five, then six, policies in one account and region  WHEN counted  THEN the sixth breaches
    const five = [1, 2, 3, 4, 5].map((i) => ({ path: `S${i}/P`, ...EAST }));
    expect(MAX_XRAY_RESOURCE_POLICIES).toBe(5);
    expect(xrayPolicyQuotaBreaches(five)).toEqual([]);
    const six = [...five, { path: 'S6/P', ...EAST }];
    expect(xrayPolicyQuotaBreaches(six)).toEqual([{ environment: `account ${ACCOUNT}, region us-east-1`, policies: six }]);
  });

  test('other accounts and regions count apart', () => {
    // GIVEN three in us-east-1 and three in eu-west-1  WHEN counted  THEN no breach
    const spread = [
      ...[1, 2, 3].map((i) => ({ path: `E${i}/P`, ...EAST })),
      ...[1, 2, 3].map((i) => ({ path: `W${i}/P`, account: ACCOUNT, region: 'eu-west-1' })),
    ];
    expect(xrayPolicyQuotaBreaches(spread)).toEqual([]);
  });

  test('an environment-agnostic policy counts wherever it could land', () => {
    // GIVEN five in us-east-1 and one environment-agnostic  WHEN counted  THEN us-east-1 breaches (its own group holds one)
    const policies = [...[1, 2, 3, 4, 5].map((i) => ({ path: `S${i}/P`, ...EAST })), { path: 'Agnostic/P' }];
    expect(xrayPolicyQuotaBreaches(policies).map((b) => b.environment)).toEqual([`account ${ACCOUNT}, region us-east-1`]);
  });
});

describe('XRayResourcePolicyQuota when checks are off', () => {
  /** Six X-Ray resource policies in one account and region: the user's five and merged tracing's one for SNS. */
  function sixPolicies(): App {
    const app = new App();
    [1, 2, 3, 4, 5].forEach((i) => ownPolicy(new Stack(app, `Own${i}`, { env: EAST }), 'Policy'));
    new sns.Topic(new Stack(app, 'Topics', { env: EAST }), 'Orders');
    return app;
  }
  const quotaViolations = (app: App) => violations(app).filter((v) => v.ruleName === 'cdk-trace-merging:XRayResourcePolicyQuota');

  test('TraceMerging.applyTo with { enabled: false }: nothing is checked, the quota neither', () => {
    const app = sixPolicies();
    TraceMerging.applyTo(app, { env: 'prod' }, { enabled: false });
    expect(quotaViolations(app)).toEqual([]);
  });

  test('one DatadogTracedFunction\'s own check turned off does not turn off the app\'s', () => {
    const app = sixPolicies();
    const stack = new Stack(app, 'Fn', { env: EAST });
    new DatadogTracedFunction(stack, 'Fn', { ...functionProps(stack, lambda.Runtime.NODEJS_22_X), mergedTracing: { env: 'prod' }, checks: { enabled: false } });
    TraceMerging.applyTo(app, { env: 'prod' });
    expect(quotaViolations(app)).toHaveLength(1);
  });
});

describe('XRayResourcePolicyQuota in the checker: every template of the app counts', () => {
  test('the user\'s own five policies plus merged tracing\'s one: synthesis fails naming all six', () => {
    // GIVEN five stacks with a policy of the user's each and a stack with a traced topic, one account and region
    const app = new App();
    const own = [1, 2, 3, 4, 5].map((i) => ownPolicy(new Stack(app, `Own${i}`, { env: EAST }), 'Policy'));
    new sns.Topic(new Stack(app, 'Topics', { env: EAST }), 'Orders');
    // WHEN merged tracing instruments and checks the app
    MergedTracing.applyTo(app, { env: 'prod' });
    MergedTracingChecker.applyTo(app);
    // THEN one error, on all six policies
    const found = violations(app).filter((v) => v.ruleName === 'cdk-trace-merging:XRayResourcePolicyQuota');
    const paths = [...own.map((p) => p.node.path), `TraceMergingSnsXRayPolicy-${ACCOUNT}-us-east-1/SnsActiveTracing`];
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].violatingConstructs.map((c) => c.constructPath).sort()).toEqual([...paths].sort());
    expect(found[0].description).toBe(
      `This app deploys 6 X-Ray resource policies to account ${ACCOUNT}, region us-east-1 (${paths.join(', ')}), ` +
      'but X-Ray allows 5 per account and region: PutResourcePolicy fails with PolicyCountLimitExceededException and the deployment ' +
      'that adds the next one fails. [cdk-trace-merging:XRayResourcePolicyQuota]');
    expect(found[0].suggestedFix).toBe(
      'Merge the policies into fewer (merged tracing needs one per account and region for all SNS topics; set createSnsXRayResourcePolicy: false ' +
      'where the account already has one), or deploy them to other accounts or regions.');
  });

  test('policies in nested stacks count too', () => {
    // GIVEN six policies, three of them in nested stacks, in one checked stack
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: EAST });
    for (const i of [1, 2, 3]) ownPolicy(stack, `Top${i}`);
    for (const i of [1, 2, 3]) ownPolicy(new NestedStack(stack, `Nested${i}`), 'Policy');
    MergedTracingChecker.applyTo(stack);
    // WHEN / THEN
    const found = violations(app).filter((v) => v.ruleName === 'cdk-trace-merging:XRayResourcePolicyQuota');
    expect(found.map((v) => v.violatingConstructs.length)).toEqual([6]);
  });

  test('five is within the quota: no finding', () => {
    // GIVEN five policies of the user's in one account and region  WHEN checked  THEN nothing
    const app = new App();
    for (const i of [1, 2, 3, 4, 5]) ownPolicy(new Stack(app, `Own${i}`, { env: EAST }), 'Policy');
    MergedTracingChecker.applyTo(app);
    expect(violations(app).filter((v) => v.ruleName === 'cdk-trace-merging:XRayResourcePolicyQuota')).toEqual([]);
  });

  test('downgradeToWarning makes it a warning', () => {
    // GIVEN six policies and a checker that downgrades the rule  WHEN checked  THEN a warning
    const app = new App();
    for (const i of [1, 2, 3, 4, 5, 6]) ownPolicy(new Stack(app, `Own${i}`, { env: EAST }), 'Policy');
    MergedTracingChecker.applyTo(app, { downgradeToWarning: ['XRayResourcePolicyQuota'] });
    expect(violations(app).filter((v) => v.ruleName === 'cdk-trace-merging:XRayResourcePolicyQuota').map((v) => v.severity)).toEqual(['warning']);
  });
});
