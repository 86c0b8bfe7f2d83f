/**
 * One acknowledgement story: every finding the library raises, while instrumenting (an annotation) or after synthesis
 * (a violation of the validation plugin), is acknowledged with `Validations.of(scope).acknowledge({ id, reason })`,
 * with the id as README gives it (`cdk-trace-merging:<Id>`) or as aws-cdk-lib's console prints it after "Acknowledge
 * with" (`Annotation::cdk-trace-merging:<Id>` for a warning, `cdk-trace-merging::cdk-trace-merging:<Id>` for a
 * violation). Acknowledged, it is neither printed nor reported to CDK, and the report shows it acknowledged. This file
 * runs on the newest aws-cdk-lib the suite knows and, in test:cdk-min, on the peer minimum.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { findings, reportEntries } from './validation';
import { TraceMerging } from '../../lib';
import { ACCOUNT, plainFunction } from '../support/fixtures';

const ENV = { account: ACCOUNT, region: 'us-east-1' };

/** The forms of one finding's id a user may write: README's, and the one aws-cdk-lib prints for its kind. */
function idForms(id: string, printedAs: 'annotation' | 'violation'): Array<[string, string]> {
  return [
    ["README's", `cdk-trace-merging:${id}`],
    ['printed', printedAs === 'annotation' ? `Annotation::cdk-trace-merging:${id}` : `cdk-trace-merging::cdk-trace-merging:${id}`],
  ];
}

describe('an instrumenting warning (NoApiKey: an annotation while instrumenting)', () => {
  test.each(idForms('NoApiKey', 'annotation'))('acknowledged with the %s id (%s): not printed, and the report shows it acknowledged', (_form, id) => {
    // GIVEN an app without an API key, its stack acknowledging that
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    Validations.of(stack).acknowledge({ id, reason: 'the key is set by the platform team' });
    TraceMerging.applyTo(app, { env: 'prod' });
    // WHEN synthesized
    const entries = reportEntries(app);
    // THEN no warning is annotated, none is a violation, and the function is acknowledged, not merged
    AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('NoApiKey'));
    expect(findings(app, 'warning')).toEqual([]);
    expect(entries.map((e) => [e.path, e.status, e.acknowledged])).toEqual([['Shop/Orders', 'acknowledged', ['FunctionApiKey']]]);
  });

  test('not acknowledged: printed once on the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    TraceMerging.applyTo(app, { env: 'prod' });
    AssertAnnotations.fromStack(stack).hasWarning('/Shop', Match.stringLikeRegexp('cdk-trace-merging:NoApiKey'));
  });
});

describe('an instrumenting warning on a resource (HttpApiNoXRay)', () => {
  test.each(idForms('HttpApiNoXRay', 'annotation'))('acknowledged with the %s id (%s) on the API: not printed, acknowledged in the report', (_form, id) => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: ENV });
    const api = new apigatewayv2.HttpApi(stack, 'Http');
    Validations.of(api).acknowledge({ id, reason: 'an internal API, traced from the function on' });
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` });
    const entries = reportEntries(app);
    AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('HttpApiNoXRay'));
    expect(findings(app, 'warning')).toEqual([]);
    expect(entries.map((e) => [e.path, e.status])).toEqual([['Shop/Http', 'acknowledged']]);
  });
});

describe('a check finding (TraceBreaks: a violation after synthesis)', () => {
  /** A state machine with X-Ray off that invokes a traced function: the hop breaks at the function. */
  function breakingApp(): { app: App; stack: Stack; fn: lambda.Function } {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: ENV });
    const fn = plainFunction(stack, 'Worker');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn })) });
    TraceMerging.applyTo(app, { env: 'prod', apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf`, excludeConstructPaths: ['Shop/Flow'] },
      { downgradeToWarning: ['StateMachineTracing'] });
    return { app, stack, fn };
  }

  test('not acknowledged: a warning on the function', () => {
    const { app } = breakingApp();
    expect(findings(app, 'warning')).toEqual(['/Shop/Worker TraceBreaks']);
  });

  test.each(idForms('TraceBreaks', 'violation'))('acknowledged with the %s id (%s) on the function: not reported, acknowledged in the report', (_form, id) => {
    const { app, fn } = breakingApp();
    Validations.of(fn).acknowledge({ id, reason: 'the workflow is traced on its own' });
    const entries = reportEntries(app);
    expect(findings(app, 'warning')).toEqual([]);
    expect(entries.find((e) => e.path === 'Shop/Worker')!.findings.map((f) => [f.rule, f.acknowledged])).toEqual([['TraceBreaks', true]]);
  });
});
