import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatadogEcsTracing, MergedTracingOptions, TracingMode } from '../../../lib';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ACCOUNT, ackWarning, logicalId, plainFunction, stackIn, synthError } from '../../support/fixtures';
import { roleCanDecrypt } from '../../support/kms-decrypt';

const XRAY_STATEMENT = { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' };
const SECRET_READ = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
const COMPLETE_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';
const PARTIAL_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key';
const SSM_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/datadog/api-key';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** One function traced with `options(stack)`; returns its variables and its role's statements. */
function wired(options: (stack: Stack) => MergedTracingOptions, environment?: Record<string, string>) {
  const stack = stackIn();
  const fn = plainFunction(stack, 'Fn', { environment });
  MergedTracing.applyTo(stack, options(stack));
  const template = Template.fromStack(stack);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(fn.role!) }] } });
  return {
    stack,
    vars: template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables,
    statements: Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement),
  };
}

/** The role holds exactly these statements, in any order. */
function expectStatements(actual: unknown[], expected: unknown[]): void {
  expect(actual).toHaveLength(expected.length);
  expect(actual).toEqual(expect.arrayContaining(expected));
}

describe('Datadog API key: one source, grants scoped to that one resource', () => {
  test('apiKeySecret: DD_API_KEY_SECRET_ARN and read access to that secret only', () => {
    // GIVEN a secret in the stack
    let secret: secretsmanager.Secret | undefined;
    const { stack, vars, statements } = wired((s) => {
      secret = new secretsmanager.Secret(s, 'DatadogKey');
      return { env: 'prod', apiKeySecret: secret };
    });
    // THEN
    const ref = { Ref: logicalId(secret!) };
    expect(vars.DD_API_KEY_SECRET_ARN).toEqual(ref);
    expectStatements(statements, [XRAY_STATEMENT, { Action: SECRET_READ, Effect: 'Allow', Resource: ref }]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-trace-merging:NoApiKey'));
  });

  test('apiKeySecretArn (complete ARN): read access to exactly that ARN', () => {
    const { vars, statements } = wired(() => ({ env: 'prod', apiKeySecretArn: COMPLETE_SECRET_ARN }));
    expect(vars.DD_API_KEY_SECRET_ARN).toBe(COMPLETE_SECRET_ARN);
    expectStatements(statements, [XRAY_STATEMENT, { Action: SECRET_READ, Effect: 'Allow', Resource: COMPLETE_SECRET_ARN }]);
  });

  test('apiKeySecretArn (partial ARN, no suffix): read access to that name with Secrets Manager\'s 6-character suffix', () => {
    const { vars, statements } = wired(() => ({ env: 'prod', apiKeySecretArn: PARTIAL_SECRET_ARN }));
    expect(vars.DD_API_KEY_SECRET_ARN).toBe(PARTIAL_SECRET_ARN);
    expectStatements(statements, [XRAY_STATEMENT, { Action: SECRET_READ, Effect: 'Allow', Resource: `${PARTIAL_SECRET_ARN}-??????` }]);
  });

  test('apiKeySsmArn: DD_API_KEY_SSM_ARN and ssm:GetParameter on that parameter only', () => {
    const { vars, statements } = wired(() => ({ env: 'prod', apiKeySsmArn: SSM_ARN }));
    expect(vars.DD_API_KEY_SSM_ARN).toBe(SSM_ARN);
    expectStatements(statements, [XRAY_STATEMENT, { Action: 'ssm:GetParameter', Effect: 'Allow', Resource: SSM_ARN }]);
  });

  test('apiKmsKey: DD_KMS_API_KEY and kms:Decrypt on that key only', () => {
    const { vars, statements } = wired((s) => ({
      env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==', apiKmsKeyEncryptionKey: kms.Key.fromKeyArn(s, 'Key', KEY_ARN),
    }));
    expect(vars.DD_KMS_API_KEY).toBe('AQICAHhCiphertext0==');
    expectStatements(statements, [XRAY_STATEMENT, { Action: 'kms:Decrypt', Effect: 'Allow', Resource: KEY_ARN }]);
  });

  test('apiKey with allowPlaintextApiKey: DD_API_KEY and no grant', () => {
    const { vars, statements } = wired(() => ({ env: 'prod', apiKey: 'abc123', allowPlaintextApiKey: true }));
    expect(vars.DD_API_KEY).toBe('abc123');
    expect(statements).toEqual([XRAY_STATEMENT]);
  });

  test('exactly one key variable is set', () => {
    const { vars } = wired(() => ({ env: 'prod', apiKeySsmArn: SSM_ARN }));
    expect(Object.keys(vars).filter((k) => /API_KEY/.test(k))).toEqual(['DD_API_KEY_SSM_ARN']);
  });

  test('two functions reading one secret ARN share one imported secret', () => {
    // GIVEN two functions
    const stack = stackIn();
    plainFunction(stack, 'A');
    plainFunction(stack, 'B', { runtime: lambda.Runtime.PYTHON_3_13 });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecretArn: COMPLETE_SECRET_ARN });
    Template.fromStack(stack);
    // THEN
    expect(stack.node.children.filter((c) => c.node.id.startsWith('DatadogApiKeySecret'))).toHaveLength(1);
  });

  test('no key source: one NoApiKey warning per stack, however many functions', () => {
    // GIVEN two functions and no key
    const stack = stackIn();
    plainFunction(stack, 'A');
    plainFunction(stack, 'B');
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the stack carries the warning once, the functions none
    const warnings = Annotations.fromStack(stack).findWarning('*', ackWarning('NoApiKey',
      'No Datadog API key source is set, so the Datadog extension cannot send traces unless the functions get one ' +
      'some other way. Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the merged-tracing options.'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack']);
  });

  test('a key variable the user set plus a key source in the options is refused', () => {
    const stack = stackIn();
    plainFunction(stack, 'Fn', { environment: { DD_API_KEY_SECRET_ARN: COMPLETE_SECRET_ARN } });
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySsmArn: SSM_ARN });
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Stack/Fn: already sets DD_API_KEY_SECRET_ARN, and the merged-tracing options give another Datadog API key source. ' +
      "Remove DD_API_KEY_SECRET_ARN from the function's environment, or remove the API key from the options. Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('a key variable the user set with no key source in the options is kept', () => {
    const { vars } = wired(() => ({ env: 'prod' }), { DD_API_KEY_SECRET_ARN: COMPLETE_SECRET_ARN });
    expect(vars.DD_API_KEY_SECRET_ARN).toBe(COMPLETE_SECRET_ARN);
  });
});

describe('a secret encrypted with the app\'s own KMS key: every reader can decrypt it', () => {
  /** Secrets Manager's kms:Decrypt for the role, scoped to the one key and to Secrets Manager in us-east-1. */
  const decryptStatement = (keyArn: unknown) => ({
    Action: 'kms:Decrypt',
    Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    Effect: 'Allow',
    Resource: keyArn,
  });

  /** The key's ARN as the consuming template imports it from the key's stack. */
  function importedKeyArn(keyStack: Stack, key: kms.Key): unknown {
    const outputs = Template.fromStack(keyStack).toJSON().Outputs;
    const [, output] = Object.entries<any>(outputs).find(([, o]) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [logicalId(key), 'Arn'] }))!;
    return { 'Fn::ImportValue': output.Export.Name };
  }

  test('baseline: what secret.grantRead gives a plain role in the key\'s stack can decrypt (the evaluator agrees with CDK)', () => {
    // GIVEN a key, a secret encrypted with it and a plain role, in one stack
    const stack = stackIn();
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'DatadogKey', { encryptionKey: key });
    const role = new iam.Role(stack, 'Plain', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // WHEN CDK's own grant is used
    secret.grantRead(role);
    // THEN the key's policy names the role
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(roleCanDecrypt({
      keyTemplate: resources,
      keyLogicalId: logicalId(key),
      roleTemplate: resources,
      roleLogicalId: logicalId(role),
      keyArnInRoleTemplate: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
    })).toBe(true);
  });

  test('apiKeySecret with encryptionKey in the function\'s stack: the role\'s policy allows kms:Decrypt on that key through Secrets Manager', () => {
    // GIVEN a secret encrypted with a key of the app, in the function's stack
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'DatadogKey', { encryptionKey: key });
    // WHEN the function is traced with it
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: secret });
    // THEN the key's policy only delegates to IAM (it names the account, not the role), and IAM allows the role
    const resources = Template.fromStack(stack).toJSON().Resources;
    const keyArn = { 'Fn::GetAtt': [logicalId(key), 'Arn'] };
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(fn.role!) }] } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expectStatements(statements, [XRAY_STATEMENT, { Action: SECRET_READ, Effect: 'Allow', Resource: { Ref: logicalId(secret) } }, decryptStatement(keyArn)]);
    expect(roleCanDecrypt({
      keyTemplate: resources, keyLogicalId: logicalId(key), roleTemplate: resources, roleLogicalId: logicalId(fn.role!), keyArnInRoleTemplate: keyArn,
    })).toBe(true);
  });

  test('apiKeySecret with encryptionKey in another stack: the function\'s role can decrypt', () => {
    // GIVEN the secret and its key in a shared stack of the same app
    const app = new App();
    const shared = stackIn('us-east-1', {}, app);
    const key = new kms.Key(shared, 'Key');
    const secret = new secretsmanager.Secret(shared, 'DatadogKey', { encryptionKey: key });
    const stack = new Stack(app, 'Functions', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const fn = plainFunction(stack, 'Fn');
    // WHEN the function is traced with it
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: secret });
    // THEN
    expect(roleCanDecrypt({
      keyTemplate: Template.fromStack(shared).toJSON().Resources,
      keyLogicalId: logicalId(key),
      roleTemplate: Template.fromStack(stack).toJSON().Resources,
      roleLogicalId: logicalId(fn.role!),
      keyArnInRoleTemplate: importedKeyArn(shared, key),
    })).toBe(true);
  });

  test('the ECS Agent\'s execution role can decrypt, and its own policy allows it too', () => {
    // GIVEN the secret and its key beside a Fargate task
    const stack = stackIn();
    const key = new kms.Key(stack, 'Key');
    const secret = new secretsmanager.Secret(stack, 'DatadogKey', { encryptionKey: key });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('example/app:1') });
    // WHEN the task is traced with it
    new DatadogEcsTracing(stack, 'Tracing', { taskDefinition: task, mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecret: secret } });
    // THEN the execution role can decrypt, and does not depend on the key's policy naming it
    const resources = Template.fromStack(stack).toJSON().Resources;
    const keyArn = { 'Fn::GetAtt': [logicalId(key), 'Arn'] };
    expect(roleCanDecrypt({
      keyTemplate: resources,
      keyLogicalId: logicalId(key),
      roleTemplate: resources,
      roleLogicalId: logicalId(task.executionRole!),
      keyArnInRoleTemplate: keyArn,
    })).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(task.executionRole!) }],
      PolicyDocument: { Statement: Match.arrayWith([decryptStatement(keyArn)]) },
    });
  });

  test('a secret without encryptionKey adds no KMS statement', () => {
    const { statements } = wired((s) => ({ env: 'prod', apiKeySecret: new secretsmanager.Secret(s, 'DatadogKey') }));
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('kms:'))).toEqual([]);
  });
});
