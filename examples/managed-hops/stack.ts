/**
 * Managed hops: AppSync GraphQL API -> Lambda resolver (Node.js) -> SNS topic -> Lambda subscriber (Node.js).
 * MergedTracingStack turns X-Ray on for the GraphQL API and (active tracing) for the topic, adds the X-Ray
 * resource policy SNS needs to send the topic's segments, and instruments both functions for Datadog.
 * app.ts wires it into an App.
 */
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MergedTracingOptions, MergedTracingStack, MergedTracingStackProps, TracingMode } from '../../lib';

// The resolver publishes with the AWS SDK of the Node.js runtime. In Lambda the SDK sends the function's
// X-Ray trace header (_X_AMZN_TRACE_ID) with the request, which is how SNS continues the trace.
const RESOLVER_HANDLER = `
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const sns = new SNSClient({});
exports.handler = async (event) => {
  const order = { id: String(Date.now()), sku: event.arguments.sku, status: 'PLACED' };
  await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC_ARN, Message: JSON.stringify(order) }));
  return order;
};
`;

const SHIPPER_HANDLER = `
exports.handler = async (event) => {
  const orders = event.Records.map((record) => JSON.parse(record.Sns.Message));
  return { shipped: orders.map((order) => order.id) };
};
`;

/** The app's one stack: the GraphQL API, the topic and both functions are merged-traced through MergedTracingStack. */
export class ManagedHopsStack extends MergedTracingStack {
  constructor(scope: Construct, id: string, props: MergedTracingStackProps) {
    super(scope, id, props);

    const orders = new sns.Topic(this, 'OrdersTopic');

    const shipper = new lambda.Function(this, 'ShipperFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SHIPPER_HANDLER),
    });
    orders.addSubscription(new subscriptions.LambdaSubscription(shipper));

    const resolver = new lambda.Function(this, 'PlaceOrderFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(RESOLVER_HANDLER),
      timeout: Duration.seconds(10),
      environment: { ORDERS_TOPIC_ARN: orders.topicArn },
    });
    orders.grantPublish(resolver);

    const api = new appsync.GraphqlApi(this, 'OrdersApi', {
      name: 'orders',
      definition: appsync.Definition.fromFile(path.join(__dirname, 'schema.graphql')),
      authorizationConfig: { defaultAuthorization: { authorizationType: appsync.AuthorizationType.IAM } },
    });
    api.addLambdaDataSource('PlaceOrder', resolver).createResolver('PlaceOrderResolver', {
      typeName: 'Mutation',
      fieldName: 'placeOrder',
    });
  }
}

/** The options the app deploys with (app.ts replaces the API key secret from context when given). */
export const MANAGED_HOPS_TRACING: MergedTracingOptions = {
  env: 'prod',
  service: 'orders',
  version: '1.0.0',
  mode: TracingMode.SERVERLESS,
  apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
};

/** The environment the app deploys to. */
export const MANAGED_HOPS_ENV = { account: '123456789012', region: 'us-east-1' };
