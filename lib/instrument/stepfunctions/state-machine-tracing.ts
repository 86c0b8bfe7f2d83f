import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { failAt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { TracingConfig } from '../../config';
import { tagResource } from '../tags';

/** What Step Functions needs to write X-Ray segments (the same set the L2 grants for tracingEnabled). */
export const STATE_MACHINE_XRAY_ACTIONS = [
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
];

/** X-Ray on an L2 state machine, with the role permissions and unified service tags. */
export function instrumentStateMachine(machine: sfn.StateMachine, config: TracingConfig): void {
  const cfn = machine.node.defaultChild as sfn.CfnStateMachine;
  if (enableTracing(cfn)) {
    machine.addToRolePolicy(new iam.PolicyStatement({ actions: STATE_MACHINE_XRAY_ACTIONS, resources: ['*'] }));
  }
  tagResource(cfn, config);
}

/** X-Ray on an L1-only state machine: its role is outside our reach, so say what it needs. */
export function instrumentCfnStateMachine(cfn: sfn.CfnStateMachine, config: TracingConfig): void {
  if (enableTracing(cfn)) {
    warnWhileInstrumenting(cfn, 'StateMachineRoleNeedsXRay',
      `X-Ray tracing was turned on for this CfnStateMachine; make sure its role (roleArn) allows ${STATE_MACHINE_XRAY_ACTIONS.join(', ')} on '*'.`);
  }
  tagResource(cfn, config);
}

/** Returns true when tracing was off and is now on. */
function enableTracing(cfn: sfn.CfnStateMachine): boolean {
  const current = Stack.of(cfn).resolve(cfn.tracingConfiguration);
  const enabled = current?.enabled;
  if (enabled === true) return false;
  if (enabled === false) {
    failAt(cfn, 'has X-Ray tracing turned off (tracingEnabled: false); merged traces need it on to connect the state machine to its functions.',
      'Remove tracingEnabled from the state machine (merged tracing turns it on) or set it to true, or exclude the state machine.');
  }
  if (enabled !== undefined) {
    warnWhileInstrumenting(cfn, 'StateMachineTracingUnknown',
      'X-Ray tracing of this state machine is only known at deployment; merged traces need it on. Set tracingEnabled: true.');
    return false;
  }
  cfn.tracingConfiguration = { ...(current ?? {}), enabled: true };
  return true;
}
