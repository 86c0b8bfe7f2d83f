import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ACCOUNT, plainFunction } from '../../support/fixtures';
import { reportedMap, ReportedMap } from '../validation';

export const ENV = { account: ACCOUNT, region: 'us-east-1' };
export const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-api-key-AbCdEf`;
export const PARTNER_ARN = 'arn:aws:lambda:us-east-1:999999999999:function:partner';
/** The managed-hops example's GraphQL schema (a GraphQL API needs one). */
export const SCHEMA = path.join(__dirname, '..', '..', '..', 'examples', 'managed-hops', 'schema.graphql');

/**
 * One stack with every kind of hop the trace map knows, each made by the L2 construct a user would write:
 * a REST API and an HTTP API in front of functions, a state machine started by one function and invoking
 * another, a topic, a queue, a schedule, an AppSync data source, Kinesis and DynamoDB streams, a Java
 * and a Ruby function, an ECS task and an imported function, joined by grants. Tracing is applied by the caller.
 */
export function everyHopStack(app: App, id = 'Shop'): Stack {
  const stack = new Stack(app, id, { env: ENV });
  const orders = plainFunction(stack, 'Orders');
  const pricing = plainFunction(stack, 'Pricing', { runtime: lambda.Runtime.PYTHON_3_13 });
  const shipper = plainFunction(stack, 'Shipper');
  const worker = plainFunction(stack, 'Worker');
  const resolver = plainFunction(stack, 'Resolver');
  const clicks = plainFunction(stack, 'Clicks');
  const auditor = plainFunction(stack, 'Auditor');
  const ledger = plainFunction(stack, 'Ledger', { runtime: lambda.Runtime.JAVA_21 });
  const billing = plainFunction(stack, 'Billing', { runtime: lambda.Runtime.RUBY_3_3 });

  new apigateway.LambdaRestApi(stack, 'Api', { handler: orders });
  new apigatewayv2.HttpApi(stack, 'Http', { defaultIntegration: new integrations.HttpLambdaIntegration('Quote', pricing) });

  const flow = new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Price', { lambdaFunction: pricing })),
  });
  flow.grantStartExecution(orders);

  const topic = new sns.Topic(stack, 'Topic');
  topic.addSubscription(new subscriptions.LambdaSubscription(shipper));
  topic.grantPublish(orders);

  const queue = new sqs.Queue(stack, 'Queue');
  worker.addEventSource(new sources.SqsEventSource(queue));
  queue.grantSendMessages(orders);

  new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new targets.LambdaFunction(worker)] });

  const graph = new appsync.GraphqlApi(stack, 'Graph', { name: 'orders', definition: appsync.Definition.fromFile(SCHEMA) });
  graph.addLambdaDataSource('Resolve', resolver);

  const stream = new kinesis.Stream(stack, 'ClickStream');
  clicks.addEventSource(new sources.KinesisEventSource(stream, { startingPosition: lambda.StartingPosition.LATEST }));
  const table = new dynamodb.Table(stack, 'Audit', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_IMAGE,
  });
  auditor.addEventSource(new sources.DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));

  pricing.grantInvoke(orders);
  ledger.grantInvoke(orders);
  billing.grantInvoke(orders);
  lambda.Function.fromFunctionAttributes(stack, 'Partner', { functionArn: PARTNER_ARN, skipPermissions: true }).grantInvoke(orders);

  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22') });
  orders.grantInvoke(task.taskRole);
  return stack;
}

/** The report's map of `app`, instrumented by MergedTracing (SERVERLESS, env prod) and checked. */
export function mapOfTracedApp(app: App): ReportedMap {
  MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app);
  return reportedMap(app);
}

/**
 * One stack with the hops between services (not only functions): a function putting events on a bus whose rule feeds a
 * queue and a state machine, that state machine's tasks sending to a queue and publishing to a topic, and a bucket
 * notifying a function. Tracing is applied by the caller.
 */
export function serviceHopsStack(app: App, id = 'Services'): Stack {
  const stack = new Stack(app, id, { env: ENV });
  const bus = new events.EventBus(stack, 'Bus');
  const queue = new sqs.Queue(stack, 'Queue');
  const topic = new sns.Topic(stack, 'Topic');
  const flow = new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.SqsSendMessage(stack, 'Send', { queue, messageBody: sfn.TaskInput.fromText('order') })
      .next(new tasks.SnsPublish(stack, 'Publish', { topic, message: sfn.TaskInput.fromText('order') }))),
  });
  bus.grantPutEventsTo(plainFunction(stack, 'Checkout'));
  new events.Rule(stack, 'Placed', { eventBus: bus, eventPattern: { source: ['shop'] }, targets: [new targets.SqsQueue(queue), new targets.SfnStateMachine(flow)] });
  plainFunction(stack, 'Fulfil').addEventSource(new sources.SqsEventSource(queue));
  const bucket = new s3.Bucket(stack, 'Uploads');
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(plainFunction(stack, 'Thumbnail')));
  return stack;
}
