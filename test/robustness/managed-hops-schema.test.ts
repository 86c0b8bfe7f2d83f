import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { stackIn } from '../support/fixtures';
import { validateTemplate } from '../support/schema-validation';

/**
 * A stack with an instrumented GraphQL API and topic, and the app's X-Ray resource policy for SNS (in a stack of its
 * own): the three resource types merged tracing writes for them, in one template.
 */
function managedHopsTemplate(): any {
  const stack = stackIn();
  new appsync.CfnGraphQLApi(stack, 'Api', { name: 'orders', authenticationType: 'AWS_IAM' });
  new sns.Topic(stack, 'Orders');
  MergedTracing.applyTo(stack, { env: 'prod', service: 'orders', version: '1.0.0' });
  const template = Template.fromStack(stack).toJSON();
  const policyStack = (stack.node.root as App).node.children.find((c) => Stack.isStack(c) && c.node.id.startsWith('TraceMergingSnsXRayPolicy')) as Stack;
  Object.assign(template.Resources, Template.fromStack(policyStack).toJSON().Resources);
  return template;
}

describe('schema validation of the AppSync, SNS and X-Ray resources merged tracing writes', () => {
  test('an instrumented GraphQL API, topic and X-Ray resource policy are valid', () => {
    // GIVEN / WHEN the template is validated (Template.fromStack already did it through the setup file)
    const template = managedHopsTemplate();
    // THEN all three types are there and nothing is reported
    expect(Object.values(template.Resources).map((r: any) => r.Type).sort())
      .toEqual(['AWS::AppSync::GraphQLApi', 'AWS::SNS::Topic', 'AWS::XRay::ResourcePolicy']);
    expect(validateTemplate(template)).toEqual([]);
  });

  test('the validator knows these types: wrong shapes and a missing required property are reported', () => {
    // GIVEN the same template with a mistake in each resource
    const template = managedHopsTemplate();
    const byType = (type: string) => Object.entries(template.Resources).find(([, r]: [string, any]) => r.Type === type) as [string, any];
    const [apiId, api] = byType('AWS::AppSync::GraphQLApi');
    const [topicId, topic] = byType('AWS::SNS::Topic');
    const [policyId, policy] = byType('AWS::XRay::ResourcePolicy');
    api.Properties.XrayEnabled = 'yes';
    topic.Properties.TracingConfig = { Mode: 'Active' };
    delete policy.Properties.PolicyName;
    // WHEN / THEN
    expect(validateTemplate(template).sort()).toEqual([
      `Resources.${apiId}.Properties.XrayEnabled: expected a boolean, got string "yes"`,
      `Resources.${policyId}.Properties.PolicyName: required by AWS::XRay::ResourcePolicy, missing`,
      `Resources.${topicId}.Properties.TracingConfig: expected a string, got an object`,
    ].sort());
  });
});
