import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { PARAM } from './facts';
import { GraphqlApiTracing } from '../../../lib/check/rules/GraphqlApiTracing';
import { Properties } from '../../../lib/check/rules/rule';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { stackIn } from '../../support/fixtures';

describe('GraphqlApiTracing', () => {
  test('on is compliant, off or absent is not, a deploy-time value is unknown', () => {
    // GIVEN GraphQL APIs with X-Ray on, off, absent and from a parameter / WHEN checked / THEN
    expect(GraphqlApiTracing.check({ XrayEnabled: true })).toEqual({ outcome: 'compliant', wired: 'X-Ray tracing on the GraphQL API' });
    expect(GraphqlApiTracing.check({ XrayEnabled: 'true' })).toEqual({ outcome: 'compliant', wired: 'X-Ray tracing on the GraphQL API' });
    const off = {
      outcome: 'non-compliant',
      problem: 'has X-Ray tracing off, so its Lambda resolvers start traces of their own and the GraphQL request is missing from the merged trace.',
      fix: 'Set xrayEnabled: true on the API or apply TraceMerging.',
    };
    expect(GraphqlApiTracing.check({ XrayEnabled: false })).toEqual(off);
    expect(GraphqlApiTracing.check({ Name: 'orders', AuthenticationType: 'AWS_IAM' })).toEqual(off);
    expect(GraphqlApiTracing.check({ XrayEnabled: PARAM })).toEqual({ outcome: 'unknown', what: 'whether X-Ray tracing is on (XrayEnabled)' });
  });

  test('is an error: without it the resolvers\' traces do not join the request', () => {
    expect(GraphqlApiTracing.severity).toBe('error');
  });
});

describe('GraphqlApiTracing on synthesized GraphQL APIs', () => {
  test('an API MergedTracing instrumented is compliant; one elsewhere in the app, left alone, is not', () => {
    // GIVEN two stacks of one app, MergedTracing applied to the first only
    const app = new App();
    const traced = new appsync.CfnGraphQLApi(stackIn('us-east-1', {}, app), 'Api', { name: 'orders', authenticationType: 'AWS_IAM' });
    const untraced = new appsync.CfnGraphQLApi(new Stack(app, 'Other'), 'Api', { name: 'legacy', authenticationType: 'AWS_IAM' });
    MergedTracing.applyTo(Stack.of(traced), { env: 'prod' });
    // WHEN the rule reads each API's synthesized properties
    const propsOf = (api: appsync.CfnGraphQLApi) =>
      (Object.values(Template.fromStack(Stack.of(api)).findResources('AWS::AppSync::GraphQLApi'))[0] as { Properties?: Properties }).Properties ?? {};
    // THEN
    expect(GraphqlApiTracing.check(propsOf(traced)).outcome).toBe('compliant');
    expect(GraphqlApiTracing.check(propsOf(untraced)).outcome).toBe('non-compliant');
  });
});
