import * as path from 'path';
import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ackWarning, stackIn, synthError } from '../../support/fixtures';

const SCHEMA = appsync.SchemaFile.fromAsset(path.join(__dirname, 'schema.graphql'));
const TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.2.3' }];

function graphqlApi(stack: Stack, props: Partial<appsync.GraphqlApiProps> = {}): appsync.GraphqlApi {
  return new appsync.GraphqlApi(stack, 'Api', { name: 'orders', definition: appsync.Definition.fromSchema(SCHEMA), ...props });
}

function cfnGraphqlApi(stack: Stack, props: Partial<appsync.CfnGraphQLApiProps> = {}): appsync.CfnGraphQLApi {
  return new appsync.CfnGraphQLApi(stack, 'CfnApi', { name: 'orders', authenticationType: 'AWS_IAM', ...props });
}

describe('AppSync GraphQL APIs', () => {
  test('an L2 GraphqlApi gets XrayEnabled true and the env/service/version tags', () => {
    // GIVEN a GraphQL API without X-Ray
    const stack = stackIn();
    graphqlApi(stack);
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '1.2.3' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::AppSync::GraphQLApi', { Name: 'orders', XrayEnabled: true, Tags: TAGS });
  });

  test('an L1 CfnGraphQLApi gets the same', () => {
    // GIVEN an L1 API
    const stack = stackIn();
    cfnGraphqlApi(stack);
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '1.2.3' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::AppSync::GraphQLApi', {
      Name: 'orders', AuthenticationType: 'AWS_IAM', XrayEnabled: true, Tags: TAGS,
    });
  });

  test('AppSync needs no IAM resource in the template for X-Ray (its service-linked role writes the segments)', () => {
    // GIVEN an API alone in a stack
    const stack = stackIn();
    cfnGraphqlApi(stack);
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the template holds the API and nothing else
    expect(Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type)).toEqual(['AWS::AppSync::GraphQLApi']);
  });

  test('xrayEnabled: true set by the user is kept', () => {
    const stack = stackIn();
    graphqlApi(stack, { xrayEnabled: true });
    MergedTracing.applyTo(stack, { env: 'prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true });
  });

  test('an explicit xrayEnabled: false is refused, on the L2 and on the L1', () => {
    // GIVEN APIs with X-Ray off on purpose
    const l2 = stackIn();
    graphqlApi(l2, { xrayEnabled: false });
    MergedTracing.applyTo(l2, { env: 'prod' });
    const l1 = stackIn();
    cfnGraphqlApi(l1, { xrayEnabled: false });
    MergedTracing.applyTo(l1, { env: 'prod' });
    // WHEN / THEN
    const problem = 'has X-Ray tracing turned off (xrayEnabled: false); merged traces need it on to join its Lambda resolvers to the GraphQL request. ' +
      'Remove xrayEnabled from the API props (merged tracing turns it on) or set it to true, or exclude the API.';
    expect(synthError(l2)).toBe(`[cdk-trace-merging] Stack/Api/Resource: ${problem}`);
    expect(synthError(l1)).toBe(`[cdk-trace-merging] Stack/CfnApi: ${problem}`);
  });

  test('xrayEnabled from a parameter is left alone with a warning', () => {
    // GIVEN an L1 API whose X-Ray setting is a deploy-time parameter
    const stack = stackIn();
    const param = new CfnParameter(stack, 'XRay', { type: 'String', allowedValues: ['true', 'false'] });
    cfnGraphqlApi(stack, { xrayEnabled: param.valueAsString as unknown as boolean });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the parameter stays and the warning says why
    Template.fromStack(stack).hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: { Ref: 'XRay' } });
    Annotations.fromStack(stack).hasWarning('/Stack/CfnApi', ackWarning('GraphqlApiTracingUnknown',
      'X-Ray tracing of this GraphQL API is only known at deployment; merged traces need it on. Set xrayEnabled: true.'));
  });

  test('an API excluded by path keeps xrayEnabled: false and gets no tags', () => {
    // GIVEN an API with X-Ray off, excluded
    const stack = stackIn();
    graphqlApi(stack, { xrayEnabled: false });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Api'] });
    // THEN
    const [api] = Object.values(Template.fromStack(stack).findResources('AWS::AppSync::GraphQLApi')) as any[];
    expect(api.Properties.XrayEnabled).toBe(false);
    expect(api.Properties.Tags).toBeUndefined();
  });
});
