import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { MergedTracing } from '../../../lib';
import { ACCOUNT, logicalId, plainFunction, stackIn } from '../../support/fixtures';

const XRAY_WRITE = { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' };
const SECRET_READ = { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow' };

describe('one tracing policy per stack and options', () => {
  test('two functions share one policy attached to both roles, and each waits for it', () => {
    // GIVEN two functions with their own roles in one stack
    const stack = stackIn();
    const secret = new secretsmanager.Secret(stack, 'DatadogKey');
    const a = plainFunction(stack, 'A');
    const b = plainFunction(stack, 'B');
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: secret });
    const template = Template.fromStack(stack);
    // THEN exactly one policy holds the X-Ray writes and the read of that one secret, on both roles
    const policies = template.findResources('AWS::IAM::Policy');
    expect(Object.values<any>(policies)).toHaveLength(1);
    const [policyId, policy] = Object.entries<any>(policies)[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      XRAY_WRITE, { ...SECRET_READ, Resource: { Ref: logicalId(secret) } },
    ]);
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId(a.role!) }, { Ref: logicalId(b.role!) }]);
    // AND both functions depend on it, so the permissions exist before the functions run
    for (const fn of [a, b]) {
      expect(template.toJSON().Resources[logicalId(fn)].DependsOn).toEqual(expect.arrayContaining([policyId]));
    }
  });

  test('functions with other grants keep them in their DefaultPolicy; the tracing grants stay in the shared one', () => {
    // GIVEN a function with a grant of its own
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders/*'] }));
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN two policies: the DefaultPolicy with the user's statement only, and the shared X-Ray one
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .map((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::orders/*' }],
      [XRAY_WRITE],
    ]));
    expect(statements).toHaveLength(2);
  });

  test('no policy at all when X-Ray writes were already granted and there is no API key', () => {
    // GIVEN a function that already has Tracing.ACTIVE (the L2 granted X-Ray writes)
    const stack = stackIn();
    plainFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    // WHEN merged tracing is applied without an API key source
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN only CDK's DefaultPolicy exists, with its one X-Ray statement
    const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[XRAY_WRITE]]);
  });
});

describe('imported roles', () => {
  test('a mutable imported role gets the grants on its own (CDK writes a policy for it)', () => {
    // GIVEN a function whose role is imported (mutable by default)
    const stack = stackIn();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/orders`);
    plainFunction(stack, 'Fn', { role });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySsmArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/datadog/api-key` });
    // THEN a policy on that role name holds the X-Ray writes and the read of that one parameter
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['orders'],
      PolicyDocument: {
        Statement: [
          XRAY_WRITE,
          { Action: 'ssm:GetParameter', Effect: 'Allow', Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/datadog/api-key` },
        ],
      },
    });
  });

  test('an immutable imported role is left alone, as CDK leaves it', () => {
    // GIVEN a function whose role the user asked CDK not to change
    const stack = stackIn();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/orders`, { mutable: false });
    plainFunction(stack, 'Fn', { role });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN no policy is written for it (a shared policy would have attached to it regardless)
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });
});
