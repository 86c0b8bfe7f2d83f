import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { MergedTracing } from '../../../lib/instrument/merged-tracing';
import { ackWarning, logicalId, stackIn, synthError } from '../../support/fixtures';

const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

function machine(stack: ReturnType<typeof stackIn>, props: Partial<sfn.StateMachineProps> = {}): sfn.StateMachine {
  return new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start')), ...props });
}

function statementsOf(stack: ReturnType<typeof stackIn>, m: sfn.StateMachine): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(m.role) }] } });
  return Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('Step Functions state machines', () => {
  test('a role imported with mutable: false: warning ImmutableRole names the 4 X-Ray actions and the role', () => {
    // GIVEN a state machine whose role is imported with mutable: false
    const stack = stackIn();
    const roleArn = 'arn:aws:iam::123456789012:role/workflow';
    machine(stack, { role: iam.Role.fromRoleArn(stack, 'Role', roleArn, { mutable: false }) });
    // WHEN merged tracing is applied
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN tracing is on, no policy is written, and the warning says what the role must already allow
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Machine', ackWarning('ImmutableRole',
      "This state machine's role is imported with mutable: false, so merged tracing could not grant it " +
      'xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets on *. ' +
      "Step Functions cannot send the state machine's X-Ray segments without them. " +
      `Allow exactly these on the role where it is defined (${roleArn}), then acknowledge this warning.`));
  });

  test('TracingConfiguration.Enabled, the 4 X-Ray actions on its role, and the env/service/version tags', () => {
    // GIVEN a state machine
    const stack = stackIn();
    const m = machine(stack);
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'checkout', version: '3' });
    // THEN (and no ImmutableRole warning: the role is the app's own)
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    const props = Template.fromStack(stack).toJSON().Resources[logicalId(m)].Properties;
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '3' }]);
    expect(statementsOf(stack, m)).toEqual([{ Action: XRAY_ACTIONS, Effect: 'Allow', Resource: '*' }]);
  });

  test('tracingEnabled: true set by the user keeps one X-Ray statement', () => {
    // GIVEN the L2 already granted X-Ray
    const stack = stackIn();
    const m = machine(stack, { tracingEnabled: true });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN no duplicate statement
    expect(statementsOf(stack, m)).toEqual([{ Action: XRAY_ACTIONS, Effect: 'Allow', Resource: '*' }]);
  });

  test('tracingEnabled: false is refused', () => {
    const stack = stackIn();
    machine(stack, { tracingEnabled: false });
    MergedTracing.applyTo(stack, { env: 'prod' });
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Stack/Machine/Resource: has X-Ray tracing turned off (tracingEnabled: false); ' +
      'merged traces need it on to connect the state machine to its functions. ' +
      'Remove tracingEnabled from the state machine (merged tracing turns it on) or set it to true, or exclude the state machine.');
  });

  test('an L1 CfnStateMachine gets tracing, the tags and a warning about its role', () => {
    // GIVEN an L1-only state machine with a role of its own
    const stack = stackIn();
    const cfn = new sfn.CfnStateMachine(stack, 'Raw', {
      roleArn: 'arn:aws:iam::123456789012:role/states',
      definitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
    });
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', service: 'raw' });
    // THEN
    const props = Template.fromStack(stack).toJSON().Resources[logicalId(cfn)].Properties;
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'raw' }]);
    Annotations.fromStack(stack).hasWarning('/Stack/Raw', ackWarning('StateMachineRoleNeedsXRay',
      'X-Ray tracing was turned on for this CfnStateMachine; make sure its role (roleArn) allows ' +
      "xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets on '*'."));
  });

  test('an L1 CfnStateMachine already traced gets no warning', () => {
    const stack = stackIn();
    new sfn.CfnStateMachine(stack, 'Raw', {
      roleArn: 'arn:aws:iam::123456789012:role/states',
      definitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
      tracingConfiguration: { enabled: true },
    });
    MergedTracing.applyTo(stack, { env: 'prod' });
    expect(Annotations.fromStack(stack).findWarning('/Stack/Raw', ackWarning('StateMachineRoleNeedsXRay',
      'X-Ray tracing was turned on for this CfnStateMachine; make sure its role (roleArn) allows ' +
      "xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets on '*'."))).toEqual([]);
  });
});
