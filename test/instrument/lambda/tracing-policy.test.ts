import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { MergedTracingOptions } from '../../../lib';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ACCOUNT, ackWarning, logicalId, plainFunction, stackIn } from '../../support/fixtures';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders`;
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`;
const SSM_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/datadog/api-key`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

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

  test.each<[string, (stack: Stack) => Partial<MergedTracingOptions>, string, string]>([
    ['an API key secret ARN', () => ({ apiKeySecretArn: SECRET_ARN }),
      `xray:PutTraceSegments, xray:PutTelemetryRecords on *; secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${SECRET_ARN}`,
      'Lambda refuses Active tracing without the X-Ray actions, and the Datadog extension cannot read its API key'],
    ['an SSM parameter', () => ({ apiKeySsmArn: SSM_ARN }),
      `xray:PutTraceSegments, xray:PutTelemetryRecords on *; ssm:GetParameter on ${SSM_ARN}`,
      'Lambda refuses Active tracing without the X-Ray actions, and the Datadog extension cannot read its API key'],
    ['a KMS-encrypted key', (stack) => ({ apiKmsKey: 'AQICAHhA', apiKmsKeyEncryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN) }),
      `xray:PutTraceSegments, xray:PutTelemetryRecords on *; kms:Decrypt on ${KEY_ARN}`,
      'Lambda refuses Active tracing without the X-Ray actions, and the Datadog extension cannot read its API key'],
    ['no API key source', () => ({}), 'xray:PutTraceSegments, xray:PutTelemetryRecords on *',
      'Lambda refuses Active tracing without the X-Ray actions'],
  ])('an immutable imported role with %s: warning ImmutableRole names the exact actions and resources', (_name, key, needs, consequence) => {
    // GIVEN a function whose role is imported with mutable: false
    const stack = stackIn();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN, { mutable: false });
    plainFunction(stack, 'Fn', { role });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod', ...key(stack) });
    // THEN one warning on the function says what the role must already allow, and where to add it
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('ImmutableRole'));
    expect(warnings.map((w) => w.entry.data)).toEqual([ackWarning('ImmutableRole',
      `This function's role is imported with mutable: false, so merged tracing could not grant it ${needs}. ` +
      `${consequence}. Allow exactly these on the role where it is defined (${ROLE_ARN}), then acknowledge this warning.`)]);
  });

  test('an immutable role with Tracing.ACTIVE set on the L2: the X-Ray actions are named too (CDK dropped the L2\'s own grant)', () => {
    // GIVEN a function with Tracing.ACTIVE whose role is imported with mutable: false
    const stack = stackIn();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN, { mutable: false });
    plainFunction(stack, 'Fn', { role, tracing: lambda.Tracing.ACTIVE });
    // WHEN merged tracing is applied without an API key source
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the warning names the X-Ray actions
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Fn', Match.stringLikeRegexp('ImmutableRole'));
    expect(warnings.map((w) => w.entry.data)).toEqual([ackWarning('ImmutableRole',
      "This function's role is imported with mutable: false, so merged tracing could not grant it xray:PutTraceSegments, xray:PutTelemetryRecords on *. " +
      `Lambda refuses Active tracing without the X-Ray actions. Allow exactly these on the role where it is defined (${ROLE_ARN}), then acknowledge this warning.`)]);
  });

  test('a mutable imported role with Tracing.ACTIVE gets the X-Ray statement once', () => {
    // GIVEN a function with Tracing.ACTIVE and a mutable imported role
    const stack = stackIn();
    plainFunction(stack, 'Fn', { role: iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN), tracing: lambda.Tracing.ACTIVE });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the role's policy holds one X-Ray statement
    const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[XRAY_WRITE]]);
  });

  test('a mutable imported role and a role of the app get no ImmutableRole warning', () => {
    // GIVEN a function with a mutable imported role and one with its own role
    const stack = stackIn();
    plainFunction(stack, 'Imported', { role: iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN) });
    plainFunction(stack, 'Own');
    // WHEN merged tracing is applied  THEN no ImmutableRole warning
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySsmArn: SSM_ARN });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ImmutableRole'))).toEqual([]);
  });
});
