import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Spread of the workload; every stack gets one REST API and one state machine. */
export const STACK_COUNT = 20;
/** How many of a stack's functions the state machine chains (Step Functions tasks are heavy constructs). */
const TASKS_PER_STATE_MACHINE = 5;

/** Pinned layer versions and API key source, the same for both traced variants. */
export const BENCH_TRACING = {
  env: 'bench',
  service: 'bench-service',
  version: '1.0.0',
  apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog-api-key-AbCdEf',
  nodeLayerVersion: 142,
  pythonLayerVersion: 127,
  extensionLayerVersion: 99,
} as const;

/** What `cdk synth` (CLI 2.1100) passes to every app by default, so the benchmark synthesizes what users do. */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

const ENV = { account: '123456789012', region: 'us-east-1' };

const NODE_CODE = 'exports.handler = async () => ({ statusCode: 200, body: "ok" });';
const PYTHON_CODE = 'def handler(event, context):\n    return {"statusCode": 200, "body": "ok"}\n';

/**
 * Hooks a variant plugs into the shared workload: how a stack is created, whether functions and
 * stages ask for X-Ray themselves, and what happens once a stack's functions exist.
 */
export interface VariantHooks {
  /** The datadog-cdk-constructs variant turns X-Ray on itself; MergedTracing does it for the merged one. */
  readonly xrayByHand: boolean;
  createStack(app: App, id: string, props: StackProps): Stack;
  afterStack?(stack: Stack, functions: lambda.Function[]): void;
  afterApp?(app: App): void;
}

/** Builds the workload: `functionCount` Node/Python functions over STACK_COUNT stacks, with APIs and state machines. */
export function buildApp(functionCount: number, hooks: VariantHooks, outdir: string): App {
  const app = new App({ outdir, context: CLI_CONTEXT });
  // Never an empty stack: a 10-function smoke gets 10 stacks.
  const stacks = Math.min(STACK_COUNT, functionCount);
  for (let s = 0; s < stacks; s++) {
    const count = Math.floor(functionCount / stacks) + (s < functionCount % stacks ? 1 : 0);
    const stack = hooks.createStack(app, `BenchStack${s}`, { env: ENV });
    const functions = addWorkload(stack, count, hooks.xrayByHand);
    hooks.afterStack?.(stack, functions);
  }
  hooks.afterApp?.(app);
  return app;
}

function addWorkload(stack: Stack, count: number, xrayByHand: boolean): lambda.Function[] {
  const functions: lambda.Function[] = [];
  const tracing = xrayByHand ? lambda.Tracing.ACTIVE : undefined;
  for (let i = 0; i < count; i++) {
    const node = i % 2 === 0;
    functions.push(new lambda.Function(stack, `Fn${i}`, {
      runtime: node ? lambda.Runtime.NODEJS_22_X : lambda.Runtime.PYTHON_3_12,
      handler: 'index.handler',
      code: lambda.Code.fromInline(node ? NODE_CODE : PYTHON_CODE),
      memorySize: 256,
      tracing,
    }));
  }
  addRestApi(stack, functions, xrayByHand);
  addStateMachine(stack, functions, xrayByHand);
  return functions;
}

/** One REST API per stack with a GET route per function (the usual API-per-service shape). */
function addRestApi(scope: Construct, functions: lambda.Function[], xrayByHand: boolean): void {
  const api = new apigateway.RestApi(scope, 'Api', {
    deployOptions: xrayByHand ? { tracingEnabled: true } : undefined,
    cloudWatchRole: false,
  });
  functions.forEach((fn, i) => {
    api.root.addResource(`fn${i}`).addMethod('GET', new apigateway.LambdaIntegration(fn));
  });
}

function addStateMachine(scope: Construct, functions: lambda.Function[], xrayByHand: boolean): void {
  const steps = functions.slice(0, TASKS_PER_STATE_MACHINE).map((fn, i) =>
    new tasks.LambdaInvoke(scope, `Step${i}`, { lambdaFunction: fn, outputPath: '$.Payload' }));
  let chain = sfn.Chain.start(steps[0]);
  for (const step of steps.slice(1)) chain = chain.next(step);
  new sfn.StateMachine(scope, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(chain),
    tracingEnabled: xrayByHand ? true : undefined,
  });
}
