import { AspectPriority, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { resolveTracingConfig, TracingConfig } from '../config';
import { enableStageTracing, warnApiWithoutXRay } from './apigateway/stage-tracing';
import { instrumentGraphqlApi } from './appsync/graphql-api-tracing';
import { tagResource } from './tags';
import { isCdkInternalFunction, isCdkInternalStateMachine } from '../common/cdk-internal-functions';
import { reportingRefusals } from '../common/errors';
import { registerInstrumentingScope } from '../common/instrumenting-scopes';
import { failOnStagesOutOfReach } from '../common/late-stages';
import { nestedStages } from '../common/stages';
import { MergedTracingOptions } from '../options';
import { instrumentFunction } from './lambda/instrument-function';
import { isSelfInstrumenting } from './lambda/self-instrumenting';
import { instrumentTopic } from './sns/topic-tracing';
import { instrumentCfnStateMachine, instrumentStateMachine } from './stepfunctions/state-machine-tracing';
import { warnWhileInstrumenting } from '../common/findings';

/**
 * The CloudFormation types merged tracing touches, written out: reading them from the generated classes
 * (e.g. sns.CfnTopic.CFN_RESOURCE_TYPE_NAME) would load those modules, which is what the type check avoids.
 */
const CFN_TYPES = {
  function: 'AWS::Lambda::Function',
  stateMachine: 'AWS::StepFunctions::StateMachine',
  restStage: 'AWS::ApiGateway::Stage',
  graphqlApi: 'AWS::AppSync::GraphQLApi',
  topic: 'AWS::SNS::Topic',
  httpOrWebSocketApi: 'AWS::ApiGatewayV2::Api',
} as const;

/**
 * Instruments every Lambda function, REST API stage, state machine, AppSync GraphQL API and SNS topic
 * in a scope for merged X-Ray + Datadog traces. A mutating aspect: add it with `AspectPriority.MUTATING`, or use
 * `MergedTracing.applyTo`, which also reaches nested Stages.
 */
export class MergedTracing implements IAspect {
  /**
   * Adds the aspect to `scope` and to every Stage below it (aspects do not cross Stage boundaries).
   * Call it after the Stages are created, e.g. at the end of the app.
   */
  public static applyTo(scope: IConstruct, options: MergedTracingOptions): MergedTracing {
    const aspect = new MergedTracing(options, scope.node.path || 'the app');
    aspect.register(scope);
    for (const target of [scope, ...nestedStages(scope)]) {
      Aspects.of(target).add(aspect, { priority: AspectPriority.MUTATING });
    }
    failOnStagesOutOfReach(scope, (a) => a instanceof MergedTracing, 'TraceMerging.applyTo');
    return aspect;
  }

  private readonly config: TracingConfig;
  private readonly warnedStacks = new Set<Stack>();
  private registered = false;

  /**
   * @param options what to instrument with; validated here, so bad options fail before synthesis.
   */
  constructor(options: MergedTracingOptions);
  /** @internal */
  constructor(options: MergedTracingOptions, where: string);
  constructor(options: MergedTracingOptions, where: string = 'MergedTracing options') {
    this.config = resolveTracingConfig(options, where);
  }

  public visit(node: IConstruct): void {
    // Added with Aspects.of(scope).add: the first node visited is that scope.
    if (!this.registered) this.register(node);
    const instrument = this.instrumenterFor(node);
    // Kind first, exclusions second: the aspect visits every construct of the app, and a construct's
    // path is a walk to the root, so only the few kinds merged tracing touches pay for it.
    // A refused resource is reported with every other one of the app when synthesis validates, not alone.
    if (instrument && !this.config.isExcluded(node.node.path, node)) reportingRefusals(node, instrument);
  }

  /** Tells the app's checkers which scope these options cover: they expect its env and report what it excludes as excluded. */
  private register(scope: IConstruct): void {
    this.registered = true;
    registerInstrumentingScope(scope, {
      env: this.config.env,
      where: `the options given at ${this.config.where}`,
      exclusionOf: (path, construct) => this.config.exclusionOf(path, construct),
    });
  }

  /** What to do to a node merged tracing touches; undefined for every other construct. */
  private instrumenterFor(node: IConstruct): (() => void) | undefined {
    if (node instanceof lambda.Function) return () => this.instrumentLambda(node);
    if (CfnResource.isCfnResource(node)) return this.cfnInstrumenterFor(node);
    if (isImportedFunction(node)) {
      return () => warnWhileInstrumenting(node, 'ImportedFunction',
        'This function is imported, so this app cannot turn on X-Ray or add the Datadog layers to it. ' +
        'Instrument it in the app that defines it (same env tag), or acknowledge this warning.');
    }
    return undefined;
  }

  /**
   * L1 resources, told apart by their CloudFormation type first and their class second: reading a class
   * such as appsync.CfnGraphQLApi loads its aws-cdk-lib module (hundreds of KB), which an app without
   * GraphQL APIs, topics or HTTP APIs should not pay for on every synth.
   */
  private cfnInstrumenterFor(cfn: CfnResource): (() => void) | undefined {
    switch (cfn.cfnResourceType) {
      case CFN_TYPES.stateMachine:
        return cfn instanceof sfn.CfnStateMachine ? () => this.instrumentStateMachineResource(cfn) : undefined;
      case CFN_TYPES.restStage:
        return cfn instanceof apigateway.CfnStage ? () => {
          if (this.nearerOptionsCover(cfn)) return;
          enableStageTracing(cfn);
          // The stage's env tag puts the API hop under the same env as the functions behind it.
          tagResource(cfn, this.config);
        } : undefined;
      case CFN_TYPES.graphqlApi:
        // L2 and L1 alike: the L2 GraphqlApi writes its xrayEnabled prop straight into this resource.
        return cfn instanceof appsync.CfnGraphQLApi ? () => instrumentGraphqlApi(cfn, this.config) : undefined;
      case CFN_TYPES.topic:
        // L2 and L1 alike: the L2 Topic writes its tracingConfig prop straight into this resource.
        return cfn instanceof sns.CfnTopic ? () => instrumentTopic(cfn, this.config) : undefined;
      case CFN_TYPES.httpOrWebSocketApi:
        return cfn instanceof apigatewayv2.CfnApi ? () => warnApiWithoutXRay(cfn) : undefined;
      case CFN_TYPES.function:
        // An L1 function (written as CfnFunction, or brought in by CfnInclude) has no role or layer API to work with.
        // A plain CfnResource of this type is CDK's plumbing (CustomResourceProvider's handler), not the user's.
        if (!(cfn instanceof lambda.CfnFunction) || cfn.node.scope instanceof lambda.Function) return undefined;
        return () => warnWhileInstrumenting(cfn, 'L1Function',
          'This function is a CfnFunction (L1, e.g. from CfnInclude), which merged tracing does not change. ' +
          'Define it with lambda.Function; or set X-Ray active tracing, the Datadog layers and variables on it yourself and then acknowledge ' +
          'this warning (MergedTracingChecker still checks them: acknowledging does not replace them); or leave it out with excludeConstructPaths.');
      default:
        return undefined;
    }
  }

  /** A state machine is instrumented through its L2 when it has one (for its role), else as an L1. */
  private instrumentStateMachineResource(cfn: sfn.CfnStateMachine): void {
    if (this.nearerOptionsCover(cfn)) return;
    const owner = cfn.node.scope;
    if (owner instanceof sfn.StateMachine && owner.node.defaultChild === cfn) {
      instrumentStateMachine(owner, this.config);
    } else if (!isCdkInternalStateMachine(cfn)) {
      instrumentCfnStateMachine(cfn, this.config);
    }
  }

  private instrumentLambda(fn: lambda.Function): void {
    if (isSelfInstrumenting(fn) || isCdkInternalFunction(fn) || this.nearerOptionsCover(fn)) return;
    this.warnIfNoApiKey(fn);
    instrumentFunction(fn, this.config);
  }

  /**
   * Precedence: the nearest scope's options win, as a DatadogTracedFunction's own options win over its stack's.
   * True when another MergedTracing with other options is attached between this aspect's scope and the node
   * (a MergedTracingStack under an app-level applyTo, or applyTo on a stack under applyTo on the app): that
   * one instruments the node. Read through the public Aspects.of(...).all; walks only as far as this aspect's scope.
   */
  private nearerOptionsCover(node: IConstruct): boolean {
    for (let scope: IConstruct | undefined = node; scope; scope = scope.node.scope) {
      const attached = Aspects.of(scope).all;
      if (attached.includes(this)) return false;
      if (attached.some((a) => a instanceof MergedTracing && a.config.signature !== this.config.signature)) return true;
    }
    return false;
  }

  private warnIfNoApiKey(fn: lambda.Function): void {
    if (this.config.apiKey.kind !== 'none') return;
    const stack = Stack.of(fn);
    if (this.warnedStacks.has(stack)) return;
    this.warnedStacks.add(stack);
    warnWhileInstrumenting(stack, 'NoApiKey',
      'No Datadog API key source is set, so the Datadog extension cannot send traces unless the functions get one ' +
      'some other way. Set apiKeySecret (or apiKeySecretArn / apiKeySsmArn / apiKmsKey) in the merged-tracing options.');
  }
}

function isImportedFunction(node: IConstruct): boolean {
  return node instanceof lambda.FunctionBase
    && !(node instanceof lambda.Function)
    && !(node instanceof lambda.SingletonFunction)
    && !(node instanceof lambda.QualifiedFunctionBase)
    && node.node.defaultChild === undefined;
}
