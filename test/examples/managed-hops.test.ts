import * as fs from 'fs';
import { ExampleAssembly, exampleAssembly, resourcesOfType } from './example-assemblies';
import { MANAGED_HOPS_TRACING } from '../../examples/managed-hops/stack';
import { expectedSnsXRayPolicy } from '../support/sns-xray-policy';

// GIVEN the managed-hops example, WHEN the real CDK CLI synthesizes it (once per test run, shared: example-assemblies.ts).
let synth: ExampleAssembly;
beforeAll(() => {
  synth = exampleAssembly('managed-hops');
});

const { env, service, version } = MANAGED_HOPS_TRACING;
const TAGS = [{ Key: 'env', Value: env }, { Key: 'service', Value: service }, { Key: 'version', Value: version }];
const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';

function template() {
  return synth.template('ManagedHops');
}

/** The logical id of the only resource of a type. */
function onlyId(type: string): string {
  const found = resourcesOfType(template(), type);
  expect(found).toHaveLength(1);
  return found[0].id;
}

describe('examples/managed-hops (AppSync -> Lambda -> SNS -> Lambda), synthesized by the cdk CLI', () => {
  test('the GraphQL API has X-Ray on and the shared tags', () => {
    // THEN
    const [api] = resourcesOfType(template(), 'AWS::AppSync::GraphQLApi');
    expect(api.Properties).toEqual({ Name: 'orders', AuthenticationType: 'AWS_IAM', XrayEnabled: true, Tags: TAGS });
  });

  test('the topic has active tracing and the shared tags', () => {
    // THEN
    const [topic] = resourcesOfType(template(), 'AWS::SNS::Topic');
    expect(topic.Properties).toEqual({ TracingConfig: 'Active', Tags: TAGS });
  });

  test('the app\'s one X-Ray resource policy lets SNS write the segments of the account\'s topics in the region; the stack deploys after it', () => {
    // THEN the example's stack holds none: the policy stack of its account and region does
    const policyStack = 'TraceMergingSnsXRayPolicy-123456789012-us-east-1';
    expect(resourcesOfType(template(), 'AWS::XRay::ResourcePolicy')).toEqual([]);
    const [policy] = resourcesOfType(synth.template(policyStack), 'AWS::XRay::ResourcePolicy');
    expect(policy.Properties.PolicyName).toBe(`SnsActiveTracing-${policyStack}`);
    const [separator, parts] = policy.Properties.PolicyDocument['Fn::Join'];
    const document = JSON.parse(parts.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, "'"))).join(separator));
    expect(document).toEqual(expectedSnsXRayPolicy('123456789012', "arn:{'Ref':'AWS::Partition'}:sns:us-east-1:123456789012:*"));
    const manifest = JSON.parse(fs.readFileSync(`${synth.outdir}/manifest.json`, 'utf-8'));
    expect(manifest.artifacts.ManagedHops.dependencies).toContain(policyStack);
  });

  test('the resolver and the subscriber are Node.js functions merged-traced by Datadog', () => {
    // THEN
    const functions = resourcesOfType(template(), 'AWS::Lambda::Function');
    expect(functions.map((f) => f.id).sort()).toEqual([expect.stringMatching(/^PlaceOrderFunction/), expect.stringMatching(/^ShipperFunction/)]);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Handler).toBe(NODE_HANDLER);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        DD_ENV: env, DD_SERVICE: service, DD_VERSION: version, DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true', DD_LAMBDA_HANDLER: 'index.handler',
      });
      expect(fn.Properties.Layers).toEqual([
        'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:142',
        'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99',
      ]);
      expect(fn.Properties.Tags).toEqual(TAGS);
    }
  });

  test('the hops are wired: the API resolves placeOrder with the resolver function, the topic delivers to the subscriber', () => {
    // THEN
    const resolverFn = resourcesOfType(template(), 'AWS::Lambda::Function').find((f) => f.id.startsWith('PlaceOrderFunction'))!;
    const shipperFn = resourcesOfType(template(), 'AWS::Lambda::Function').find((f) => f.id.startsWith('ShipperFunction'))!;
    const [dataSource] = resourcesOfType(template(), 'AWS::AppSync::DataSource');
    expect(dataSource.Properties).toMatchObject({ Name: 'PlaceOrder', Type: 'AWS_LAMBDA', LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': [resolverFn.id, 'Arn'] } } });
    const [resolver] = resourcesOfType(template(), 'AWS::AppSync::Resolver');
    expect(resolver.Properties).toMatchObject({ TypeName: 'Mutation', FieldName: 'placeOrder', DataSourceName: 'PlaceOrder' });
    const [subscription] = resourcesOfType(template(), 'AWS::SNS::Subscription');
    expect(subscription.Properties).toMatchObject({
      Protocol: 'lambda', TopicArn: { Ref: onlyId('AWS::SNS::Topic') }, Endpoint: { 'Fn::GetAtt': [shipperFn.id, 'Arn'] },
    });
    expect(resolverFn.Properties.Environment.Variables.ORDERS_TOPIC_ARN).toEqual({ Ref: onlyId('AWS::SNS::Topic') });
  });

  test('synthesis is clean: no CloudFormation validation findings, no warnings', () => {
    // THEN
    expect(synth.validationReport().pluginReports).toEqual([]);
    expect(synth.output).not.toMatch(/WARNING|ERROR/);
  });

  test('the trace map: AppSync -> resolver -> topic -> shipper, one trace end to end', () => {
    // THEN every hop continues, and the one path is one trace
    const map = synth.traceMap();
    expect(map.edges).toEqual([
      { from: 'ManagedHops/OrdersApi', to: 'ManagedHops/PlaceOrderFunction', via: 'AppSync Lambda data source', trace: 'continues', carriedBy: ['X-Ray header'] },
      // The resolver is a SERVERLESS Node.js function: dd-trace puts Datadog's context into what it publishes, and the
      // shipper's library continues it; SNS passes the X-Ray header on as well.
      { from: 'ManagedHops/OrdersTopic', to: 'ManagedHops/ShipperFunction', via: 'SNS subscription', trace: 'continues', carriedBy: ['Datadog context', 'X-Ray header'] },
      { from: 'ManagedHops/PlaceOrderFunction', to: 'ManagedHops/OrdersTopic', via: 'sns:Publish grant', trace: 'continues', carriedBy: ['Datadog context', 'X-Ray header'] },
    ]);
    expect(map.paths).toEqual([{
      through: ['ManagedHops/OrdersApi', 'ManagedHops/PlaceOrderFunction', 'ManagedHops/OrdersTopic', 'ManagedHops/ShipperFunction'], trace: 'continues',
    }]);
    expect(map.markdown).toMatchSnapshot();
  });
});
