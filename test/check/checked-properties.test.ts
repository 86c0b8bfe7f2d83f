import { App, Aws, CfnParameter, CfnResource, Fn, ScopedAws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { LambdaAndHostsStack } from '../../examples/lambda-and-hosts/stack';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { MergedTracing, TracingMode } from '../../lib';
import { checkedProperties } from '../../lib/check/checked-properties';
import { plainFunction } from '../support/fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf';

/** Every CloudFormation resource under a scope. */
function resourcesOf(scope: IConstruct): CfnResource[] {
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

/** The logical id synthesis writes, overrides (an API deployment's content hash) included. */
function idOf(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId);
}

/**
 * The stand-ins put back to what synthesis writes: { Ref: path } and { Fn::GetAtt: [path, attr] }
 * name a resource by construct path; the template names it by logical id.
 */
function withLogicalIds(stack: Stack, value: unknown): unknown {
  const byPath = new Map(resourcesOf(stack).map((r) => [r.node.path, idOf(r)]));
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const entries = Object.entries(v);
    if (entries.length === 1 && entries[0][0] === 'Ref' && byPath.has(entries[0][1] as string)) {
      return { Ref: byPath.get(entries[0][1] as string) };
    }
    if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt' && byPath.has((entries[0][1] as string[])[0])) {
      const [path, attribute] = entries[0][1] as string[];
      return { 'Fn::GetAtt': [byPath.get(path), attribute] };
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
  };
  return walk(value);
}

/** Asserts that every resource's checked properties are its template properties, stand-ins aside. */
function expectSameAsTemplate(stack: Stack): number {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Properties?: object }> };
  const resources = resourcesOf(stack);
  for (const resource of resources) {
    const expected = template.Resources[idOf(resource)]?.Properties ?? {};
    expect({ path: resource.node.path, properties: withLogicalIds(stack, checkedProperties(resource)) })
      .toEqual({ path: resource.node.path, properties: expected });
  }
  return resources.length;
}

describe('checkedProperties', () => {
  test('is what synthesis writes for every resource of the serverless-first example', () => {
    // GIVEN the example app, synthesized (aspects have run)
    const stack = new ServerlessFirstStack(new App(), 'ServerlessFirst', { env: SERVERLESS_FIRST_ENV, tracing: SERVERLESS_FIRST_TRACING });
    // WHEN / THEN every resource's checked properties equal its template properties
    expect(expectSameAsTemplate(stack)).toBeGreaterThan(15);
  });

  test('is what synthesis writes in an environment-agnostic stack: layer ARNs joined from the partition and a mapping', () => {
    // GIVEN the hybrid example, environment-agnostic, with hosts, a VPC and Fn::GetAZs
    const stack = new LambdaAndHostsStack(new App(), 'LambdaAndHosts', {
      tracing: { env: 'prod', service: 'orders', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN },
      datadogIntegrationRoleName: 'DatadogIntegrationRole',
    });
    // WHEN / THEN
    expect(expectSameAsTemplate(stack)).toBeGreaterThan(20);
  });

  test('strings that mix literals, pseudo parameters, parameters and overrides resolve as synthesis resolves them', () => {
    // GIVEN a function whose environment mixes every kind of token, and an escape-hatch override
    const app = new App();
    const stack = new Stack(app, 'Mixed');
    const stage = new CfnParameter(stack, 'Stage', { default: 'dev' });
    const fn = plainFunction(stack, 'Fn', {
      environment: {
        REGIONAL: `svc-${Aws.REGION}-${stage.valueAsString}`,
        SCOPED: `${new ScopedAws(stack).accountId}:${Aws.PARTITION}`,
        JOINED: Fn.join('-', ['a', Aws.STACK_NAME, 'b']),
        NUMBER: `${Aws.URL_SUFFIX}/${42}`,
      },
    });
    (fn.node.defaultChild as CfnResource).addPropertyOverride('Environment.Variables.OVERRIDDEN', Aws.ACCOUNT_ID);
    MergedTracing.applyTo(stack, { env: 'dev', apiKeySecretArn: SECRET_ARN });
    // WHEN / THEN
    expect(expectSameAsTemplate(stack)).toBeGreaterThan(2);
  });

  test('a reference to another resource becomes a stand-in naming its construct path, also inside a string', () => {
    // GIVEN a function whose role and one variable reference other resources of the stack
    const stack = new Stack(new App(), 'Refs');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const fn = plainFunction(stack, 'Fn', { environment: { TARGET: `${bucket.bucketArn}/incoming`, NAME: bucket.bucketName } });
    // WHEN
    const props = checkedProperties(fn.node.defaultChild as CfnResource);
    // THEN
    expect(props.Role).toEqual({ 'Fn::GetAtt': ['Refs/Fn/ServiceRole/Resource', 'Arn'] });
    expect(props.Environment).toEqual({
      Variables: {
        TARGET: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Refs/Bucket/Resource', 'Arn'] }, '/incoming']] },
        NAME: { Ref: 'Refs/Bucket/Resource' },
      },
    });
  });

  test('a REST API stage is read without resolving its deployment (whose logical id hashes the whole API)', () => {
    // GIVEN a REST API with one method
    const stack = new Stack(new App(), 'Api');
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: true } });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    // WHEN
    const props = checkedProperties(api.deploymentStage.node.defaultChild as CfnResource);
    // THEN the deployment is a stand-in and the rest is literal
    expect(props).toEqual({
      DeploymentId: { Ref: 'Api/Api/Deployment/Resource' },
      RestApiId: { Ref: 'Api/Api/Resource' },
      StageName: 'prod',
      TracingEnabled: true,
    });
  });
});
