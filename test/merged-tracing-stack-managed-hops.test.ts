import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MergedTracingStack } from '../lib';
import { ACCOUNT } from './support/fixtures';

const ENV = { account: ACCOUNT, region: 'us-east-1' };

describe('MergedTracingStack with AppSync and SNS', () => {
  test('a GraphQL API and a topic come out with X-Ray on; excluded ones are left as they were', () => {
    // GIVEN a MergedTracingStack with a GraphQL API and a topic, and an excluded pair set to off
    const stack = new MergedTracingStack(new App(), 'Stack', {
      env: ENV,
      tracing: { env: 'prod', excludeConstructPaths: ['Stack/Legacy'] },
    });
    new appsync.CfnGraphQLApi(stack, 'Api', { name: 'orders', authenticationType: 'AWS_IAM' });
    new sns.Topic(stack, 'Orders');
    const legacy = new Construct(stack, 'Legacy');
    new appsync.CfnGraphQLApi(legacy, 'Api', { name: 'legacy', authenticationType: 'AWS_IAM', xrayEnabled: false });
    new sns.Topic(legacy, 'Topic', { tracingConfig: sns.TracingConfig.PASS_THROUGH });
    // WHEN
    const template = Template.fromStack(stack);
    // THEN
    const apis = Object.values(template.findResources('AWS::AppSync::GraphQLApi')) as any[];
    expect(apis.map((a) => [a.Properties.Name, a.Properties.XrayEnabled])).toEqual([['orders', true], ['legacy', false]]);
    const topics = Object.values(template.findResources('AWS::SNS::Topic')) as any[];
    expect(topics.map((t) => t.Properties.TracingConfig)).toEqual(['Active', 'PassThrough']);
    // and SNS may write segments under the app's X-Ray resource policy of this account and region, which the stack deploys after
    expect(stack.dependencies.map((s) => s.stackName)).toEqual([`TraceMergingSnsXRayPolicy-${ACCOUNT}-us-east-1`]);
  });
});
