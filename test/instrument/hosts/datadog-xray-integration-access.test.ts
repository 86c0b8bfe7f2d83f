import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DatadogXRayIntegrationAccess } from '../../../lib';

const XRAY_READ = {
  Sid: 'DatadogXRayIntegration',
  Action: ['xray:BatchGetTraces', 'xray:GetTraceSummaries'],
  Effect: 'Allow',
  Resource: '*',
};

function newStack(): Stack {
  return new Stack(new App(), 'Integration', { env: { account: '123456789012', region: 'us-east-1' } });
}

describe('DatadogXRayIntegrationAccess', () => {
  test('grants the two X-Ray read actions to an imported integration role, and nothing else', () => {
    // GIVEN the role the Datadog AWS integration assumes, created outside this app
    const stack = newStack();
    const role = iam.Role.fromRoleName(stack, 'DatadogRole', 'DatadogIntegrationRole');

    // WHEN
    new DatadogXRayIntegrationAccess(stack, 'XRayAccess', { role });

    // THEN one policy on that role, with exactly that statement
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['DatadogIntegrationRole'],
      PolicyDocument: { Version: '2012-10-17', Statement: [XRAY_READ] },
    });
  });

  test('attaches its own policy to a role defined in the same app', () => {
    // GIVEN
    const stack = newStack();
    const role = new iam.Role(stack, 'DatadogRole', { assumedBy: new iam.AccountPrincipal('464622532012') });

    // WHEN
    const access = new DatadogXRayIntegrationAccess(stack, 'XRayAccess', { role });

    // THEN
    expect(access.statement.toStatementJson()).toEqual(XRAY_READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: [XRAY_READ] },
    });
  });

  test('fails on a role imported as immutable, naming the fix', () => {
    // GIVEN a role this app may not change
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'DatadogRole', 'arn:aws:iam::123456789012:role/DatadogIntegrationRole', { mutable: false });

    // WHEN / THEN
    expect(() => new DatadogXRayIntegrationAccess(stack, 'XRayAccess', { role })).toThrow(
      '[cdk-trace-merging] Integration/XRayAccess: role Integration/DatadogRole takes no policies (it was imported with mutable: false). ' +
      'Import the Datadog integration role with mutable: true, or add xray:BatchGetTraces and xray:GetTraceSummaries where the role is defined.');
  });
});
