import { Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ackWarning, stackIn, synthError } from '../../support/fixtures';

function restApi(stack: Stack, deployOptions?: apigateway.StageOptions): apigateway.RestApi {
  const api = new apigateway.RestApi(stack, 'Api', { deployOptions });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  return api;
}

describe('REST API stages', () => {
  test('the deployment stage gets TracingEnabled true', () => {
    // GIVEN a REST API with default stage options
    const stack = stackIn();
    restApi(stack, { stageName: 'prod' });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', TracingEnabled: true });
  });

  test('every stage, including one added with new apigateway.Stage, gets it', () => {
    // GIVEN a second stage on its own deployment
    const stack = stackIn();
    const api = restApi(stack);
    new apigateway.Stage(stack, 'Canary', { deployment: new apigateway.Deployment(stack, 'Deployment', { api }), stageName: 'canary' });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    const stages = Template.fromStack(stack).findResources('AWS::ApiGateway::Stage');
    expect(Object.values<any>(stages).map((s) => [s.Properties.StageName, s.Properties.TracingEnabled]).sort())
      .toEqual([['canary', true], ['prod', true]]);
  });

  test('the stage carries the unified service tags, so the API hop has the functions\' env', () => {
    // GIVEN a REST API
    const stack = stackIn();
    restApi(stack, { stageName: 'prod' });
    // WHEN merged tracing with env, service and version is applied
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '1.2.3' });
    // THEN the stage is tagged with exactly those
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.2.3' }],
    });
  });

  test('tracingEnabled: true set by the user is kept', () => {
    const stack = stackIn();
    restApi(stack, { tracingEnabled: true });
    MergedTracing.applyTo(stack, { env: 'prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('an explicit tracingEnabled: false is refused', () => {
    // GIVEN a stage with X-Ray off on purpose
    const stack = stackIn();
    restApi(stack, { tracingEnabled: false });
    MergedTracing.applyTo(stack, { env: 'prod' });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Stack/Api/DeploymentStage.prod/Resource: has X-Ray tracing turned off (tracingEnabled: false); ' +
      'merged traces start at this stage and need it on. ' +
      'Remove tracingEnabled from the stage options (merged tracing turns it on) or set it to true, or exclude the API.');
  });

  test('an API excluded by path keeps tracingEnabled: false', () => {
    const stack = stackIn();
    restApi(stack, { tracingEnabled: false });
    MergedTracing.applyTo(stack, { env: 'prod', excludeConstructPaths: ['Stack/Api'] });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
  });
});

describe('HTTP APIs (no X-Ray support)', () => {
  test('apigatewayv2.HttpApi gets the HttpApiNoXRay warning', () => {
    // GIVEN an HTTP API
    const stack = stackIn();
    new apigatewayv2.HttpApi(stack, 'Http');
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Http/Resource', ackWarning('HttpApiNoXRay',
      'API Gateway HTTP APIs do not support X-Ray, so traces start at the Lambda function instead of the API. ' +
      'Use a REST API (apigateway.RestApi) where the API hop must be in the merged trace, or acknowledge this warning.'));
  });

  test('the warning can be acknowledged', () => {
    const stack = stackIn();
    const api = new apigatewayv2.HttpApi(stack, 'Http');
    MergedTracing.applyTo(stack, { env: 'prod' });
    // WHEN the user acknowledges it on the API
    CoreAnnotations.of(api).acknowledgeWarning('cdk-trace-merging:HttpApiNoXRay');
    // THEN it is gone
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('HttpApiNoXRay'));
  });

  test('a REST API gets no such warning', () => {
    const stack = stackIn();
    restApi(stack);
    MergedTracing.applyTo(stack, { env: 'prod' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('HttpApiNoXRay'));
  });
});
