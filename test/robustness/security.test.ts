/**
 * Security: the API key never lands in a template in plaintext unless the options opt in, and every
 * IAM statement merged tracing adds is scoped to the one secret / parameter / KMS key it needs
 * (X-Ray writes are the exception AWS imposes: X-Ray has no resource-level permissions), with no
 * wildcard actions. Complements test/lambda/api-key.test.ts with tokens, partitions and whole stacks.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatadogTracedFunction, MergedTracingOptions, MergedTracingStack, TracingMode } from '../../lib';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { ACCOUNT, functionProps, logicalId, plainFunction } from '../support/fixtures';
import { checkTemplate, PLAINTEXT_KEY_SENTINEL, plaintextKeysOptedIn } from '../support/template-checks';

const XRAY_WRITE = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };
const SECRET_READ = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

/** Every IAM statement in the stack, by the role it is attached to. */
function statementsByRole(stack: Stack): Record<string, unknown[]> {
  const byRole: Record<string, unknown[]> = {};
  for (const policy of Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))) {
    for (const role of policy.Properties.Roles) {
      (byRole[role.Ref] ??= []).push(...policy.Properties.PolicyDocument.Statement);
    }
  }
  return byRole;
}

/** One Node function traced with `options(stack)` in a stack of the given region; its variables and statements. */
function traced(options: (stack: Stack) => MergedTracingOptions, region = 'us-east-1') {
  const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region } });
  const fn = plainFunction(stack, 'Fn');
  MergedTracing.applyTo(stack, options(stack));
  return {
    stack,
    vars: Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties.Environment.Variables,
    statements: statementsByRole(stack)[logicalId(fn.role!)],
  };
}

describe('grants are scoped to exactly one resource, also when it is only known at deployment', () => {
  test('secret ARN from a parameter: read access to that parameter\'s value only', () => {
    // GIVEN the secret ARN as a deploy-time parameter
    const { vars, statements } = traced((s) => ({ env: 'prod', apiKeySecretArn: new CfnParameter(s, 'KeyArn').valueAsString }));
    // THEN the variable and the grant both reference the parameter, nothing wider
    expect(vars.DD_API_KEY_SECRET_ARN).toEqual({ Ref: 'KeyArn' });
    expect(statements).toEqual(expect.arrayContaining([XRAY_WRITE, { Effect: 'Allow', Action: SECRET_READ, Resource: { Ref: 'KeyArn' } }]));
    expect(statements).toHaveLength(2);
  });

  test('SSM parameter ARN from a parameter: ssm:GetParameter on that ARN only', () => {
    const { vars, statements } = traced((s) => ({ env: 'prod', apiKeySsmArn: new CfnParameter(s, 'KeyParam').valueAsString }));
    expect(vars.DD_API_KEY_SSM_ARN).toEqual({ Ref: 'KeyParam' });
    expect(statements).toEqual(expect.arrayContaining([XRAY_WRITE, { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: { Ref: 'KeyParam' } }]));
    expect(statements).toHaveLength(2);
  });

  test('a KMS key created in the stack: kms:Decrypt on that key only, and its key policy is not widened', () => {
    // GIVEN a new key in the stack
    let key: kms.Key | undefined;
    const { stack, vars, statements } = traced((s) => {
      key = new kms.Key(s, 'DatadogKeyKey');
      return { env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==', apiKmsKeyEncryptionKey: key };
    });
    // THEN the role may decrypt with that key only
    expect(vars.DD_KMS_API_KEY).toBe('AQICAHhCiphertext0==');
    expect(statements).toEqual(expect.arrayContaining([
      XRAY_WRITE, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [logicalId(key!), 'Arn'] } },
    ]));
    expect(statements).toHaveLength(2);
    // AND the key policy keeps CDK's single account-root statement
    const keyPolicy = Template.fromStack(stack).toJSON().Resources[logicalId(key!)].Properties.KeyPolicy.Statement;
    expect(keyPolicy).toEqual([{
      Action: 'kms:*',
      Effect: 'Allow',
      Resource: '*',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] } },
    }]);
  });

  test('GovCloud: the grant keeps the aws-us-gov ARN it was given', () => {
    const arn = 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/datadog/api-key';
    const { statements } = traced(() => ({ env: 'prod', apiKeySsmArn: arn }), 'us-gov-west-1');
    expect(statements).toEqual(expect.arrayContaining([XRAY_WRITE, { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arn }]));
    expect(statements).toHaveLength(2);
  });

  test('HYBRID mode grants the same, no more', () => {
    const arn = 'arn:aws:ssm:us-east-1:123456789012:parameter/datadog/api-key';
    const { statements } = traced(() => ({ env: 'prod', mode: TracingMode.HYBRID, apiKeySsmArn: arn }));
    expect(statements).toEqual(expect.arrayContaining([XRAY_WRITE, { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arn }]));
    expect(statements).toHaveLength(2);
  });
});

describe('no wildcard actions anywhere merged tracing writes', () => {
  test('a stack with every traced kind of resource: each statement names its actions, and only X-Ray writes use Resource *', () => {
    // GIVEN a MergedTracingStack with a function, a DatadogTracedFunction, a state machine and a REST API, key in a secret
    const app = new App();
    const keyStack = new Stack(app, 'Keys', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const secret = new secretsmanager.Secret(keyStack, 'DatadogKey');
    const stack = new MergedTracingStack(app, 'Shop', { env: { account: ACCOUNT, region: 'us-east-1' }, tracing: { env: 'prod', apiKeySecret: secret } });
    plainFunction(stack, 'Orders');
    new DatadogTracedFunction(stack, 'Payments', functionProps(stack, lambda.Runtime.PYTHON_3_13));
    new sfn.StateMachine(stack, 'Checkout', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Succeed(stack, 'Done')) });
    new apigateway.RestApi(stack, 'Api').root.addMethod('GET', new apigateway.MockIntegration());
    // WHEN synthesized
    const statements = Object.values(statementsByRole(stack)).flat() as Array<{ Action: string | string[]; Resource: unknown }>;
    // THEN no action has a wildcard, and every non-X-Ray statement is on the one secret
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    for (const statement of statements) {
      const onlyXRay = [statement.Action].flat().every((a) => a.startsWith('xray:'));
      if (!onlyXRay) expect(statement).toEqual({ Effect: 'Allow', Action: SECRET_READ, Resource: { 'Fn::ImportValue': expect.stringMatching(/^Keys:ExportsOutputRefDatadogKey/) } });
    }
    expect(new Set(actions)).toEqual(new Set([
      'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', ...SECRET_READ,
    ]));
  });
});

describe('plaintext keys', () => {
  test('opted in: DD_API_KEY holds the key, and the key appears nowhere else in the template', () => {
    // GIVEN two functions and a plaintext key with the opt-in
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    plainFunction(stack, 'A');
    plainFunction(stack, 'B', { runtime: lambda.Runtime.PYTHON_3_13 });
    MergedTracing.applyTo(stack, { env: 'prod', apiKey: PLAINTEXT_KEY_SENTINEL, allowPlaintextApiKey: true });
    // WHEN synthesized
    const template = JSON.stringify(Template.fromStack(stack).toJSON());
    // THEN the key is in the two DD_API_KEY variables and in nothing else (no tags, outputs, metadata)
    expect(template.split(PLAINTEXT_KEY_SENTINEL)).toHaveLength(3);
    expect(template.split(`"DD_API_KEY":"${PLAINTEXT_KEY_SENTINEL}"`)).toHaveLength(3);
    expect(plaintextKeysOptedIn(stack)).toEqual(new Set([PLAINTEXT_KEY_SENTINEL]));
  });

  test('a secret never becomes a dynamic reference or a value in the template', () => {
    // GIVEN a secret in the stack
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: new secretsmanager.Secret(stack, 'DatadogKey') });
    // WHEN synthesized THEN no {{resolve:...}} appears and the template checks find nothing
    const template = Template.fromStack(stack).toJSON();
    expect(JSON.stringify(template)).not.toContain('{{resolve:');
    expect(checkTemplate(template)).toEqual([]);
  });

  test('not opted in, the sentinel key is caught by the template checks wherever it ends up', () => {
    // GIVEN a template where the test key leaked into a tag (simulating a bug)
    const template = {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'key', Value: PLAINTEXT_KEY_SENTINEL }] } },
      },
    };
    // WHEN checked THEN it is reported
    expect(checkTemplate(template)).toEqual([
      'the plaintext test key (PLAINTEXT_KEY_SENTINEL) is in the template, but no options opted in with allowPlaintextApiKey',
    ]);
  });
});
