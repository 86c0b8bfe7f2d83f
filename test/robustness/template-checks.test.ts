import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { errorOf, plainFunction, stackIn } from '../support/fixtures';
import { compactSpec, validateTemplate } from '../support/schema-validation';
import { checkTemplate, PLAINTEXT_KEY_SENTINEL } from '../support/template-checks';

const HEADER = 'Synthesized templates fail the suite-wide template checks (test/support/template-checks.ts):\n  ';

describe('schema validation of templates', () => {
  test('a valid function template has no problems', () => {
    // GIVEN a plain function
    const stack = stackIn();
    plainFunction(stack, 'Fn');
    // WHEN its template is validated (Template.fromStack already did it through the setup file)
    const problems = validateTemplate(Template.fromStack(stack).toJSON());
    // THEN nothing is reported
    expect(problems).toEqual([]);
  });

  test('unknown types, unknown properties, wrong shapes and missing required properties are reported with their paths', () => {
    // GIVEN a hand-written template with one of each mistake
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Bucket: 'b', S3Key: 'k' },
            Role: { 'Fn::GetAtt': ['R', 'Arn'] },
            TracingConfig: { Mode: 'Active', Sampling: 1 },
            Layers: 'arn:aws:lambda:us-east-1:1:layer:x:1',
            MemorySize: 'lots',
            Environment: { Variables: { OK: { Ref: 'AWS::Region' }, BAD: ['a'] } },
          },
        },
        Queue: { Type: 'AWS::SQS::Queu' },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Value: 'v' } },
        Custom: { Type: 'Custom::Anything', Properties: { ServiceToken: 'x', Whatever: [1] } },
      },
    };
    // WHEN it is validated
    const problems = validateTemplate(template);
    // THEN each mistake is named, intrinsics and custom resources pass
    expect(problems).toEqual([
      "Resources.Fn.Properties.TracingConfig.Sampling: property type TracingConfig has no property 'Sampling'",
      'Resources.Fn.Properties.Layers: expected an array, got string "arn:aws:lambda:us-east-1:1:layer:x:1"',
      'Resources.Fn.Properties.MemorySize: expected a integer, got string "lots"',
      'Resources.Fn.Properties.Environment.Variables.BAD: expected a string, got an array',
      "Resources.Queue.Type: 'AWS::SQS::Queu' is not a CloudFormation resource type",
      'Resources.Param.Properties.Type: required by AWS::SSM::Parameter, missing',
    ]);
  });

  test('the compact spec knows the resource types merged tracing touches', () => {
    // GIVEN the compact spec WHEN looked up THEN the properties we write exist
    const spec = compactSpec();
    expect(Object.keys(spec.resources['AWS::Lambda::Function'])).toEqual(expect.arrayContaining(['TracingConfig', 'Layers', 'Environment', 'Handler', 'Tags']));
    expect(Object.keys(spec.resources['AWS::StepFunctions::StateMachine'])).toEqual(expect.arrayContaining(['TracingConfiguration', 'Tags']));
    expect(Object.keys(spec.resources['AWS::ApiGateway::Stage'])).toContain('TracingEnabled');
  });
});

describe('the example apps pass the checks', () => {
  test('examples/serverless-first built in-process (test/examples.test.ts synthesizes it through the CLI, outside this hook)', () => {
    // GIVEN the example stack with the example's options
    const stack = new ServerlessFirstStack(new App(), 'Checkout', { env: SERVERLESS_FIRST_ENV, tracing: SERVERLESS_FIRST_TRACING });
    // WHEN synthesized THEN the template is valid and leaks no key
    expect(checkTemplate(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

describe('the suite-wide check on every synthesis', () => {
  test('Template.fromStack fails on a property CloudFormation does not have', () => {
    // GIVEN a function with an escape-hatch property that does not exist
    const stack = stackIn();
    const fn = plainFunction(stack, 'Fn');
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig.Sampling', 1);
    // WHEN its template is read THEN the setup file's check fails the synthesis
    expect(errorOf(() => Template.fromStack(stack))).toBe(
      `${HEADER}Stack: Resources.Fn9270CBC0.Properties.TracingConfig.Sampling: property type TracingConfig has no property 'Sampling'`);
  });

  test('app.synth() fails on a resource type CloudFormation does not have', () => {
    // GIVEN a bogus resource type in a stack
    const app = new App();
    new CfnResource(new Stack(app, 'Bogus'), 'Thing', { type: 'AWS::Nothing::Here' });
    // WHEN the app is synthesized THEN the check names the stack and resource
    expect(errorOf(() => app.synth())).toBe(`${HEADER}Bogus: Resources.Thing.Type: 'AWS::Nothing::Here' is not a CloudFormation resource type`);
  });

  test('nested stack templates are checked too', () => {
    // GIVEN a nested stack with a property CloudFormation does not have
    const stack = stackIn();
    const nested = new NestedStack(stack, 'Inner');
    const fn = plainFunction(nested, 'Fn');
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Tracing', 'Active');
    // WHEN synthesized THEN the nested template file is named
    expect(errorOf(() => Template.fromStack(stack))).toBe(
      `${HEADER}StackInner4EF075CC.nested.template.json: Resources.Fn9270CBC0.Properties.Tracing: AWS::Lambda::Function has no property 'Tracing'`);
  });

  test('a DD_API_KEY in plaintext that no options opted in to fails the synthesis', () => {
    // GIVEN a function that carries the plaintext key itself, outside merged tracing
    const stack = stackIn();
    plainFunction(stack, 'Fn', { environment: { DD_API_KEY: PLAINTEXT_KEY_SENTINEL } });
    // WHEN synthesized THEN both the variable and the sentinel are reported
    expect(errorOf(() => Template.fromStack(stack))).toBe(HEADER + [
      'Stack: Resources.Fn9270CBC0 environment DD_API_KEY: a Datadog API key in plaintext, but no merged-tracing options opted in with allowPlaintextApiKey',
      'Stack: the plaintext test key (PLAINTEXT_KEY_SENTINEL) is in the template, but no options opted in with allowPlaintextApiKey',
    ].join('\n  '));
  });

  test('a secret resolved into an environment variable is reported', () => {
    // GIVEN a template whose function env var is a Secrets Manager dynamic reference
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { ZipFile: 'x' },
            Role: 'r',
            Environment: { Variables: { DD_KEY: '{{resolve:secretsmanager:dd:SecretString:::}}' } },
          },
        },
      },
    };
    // WHEN checked THEN the leak is named
    expect(checkTemplate(template)).toEqual([
      'Resources.Fn environment DD_KEY: a secret resolved into an environment variable (readable in plaintext in the console)',
    ]);
  });
});
