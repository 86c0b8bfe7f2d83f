import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { acknowledgeNagFinding, XRAY_WILDCARD_REASON } from '../../common/cdk-nag';
import { failAt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { landedInPolicy } from '../../common/landed-in-policy';
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
    const statement = new iam.PolicyStatement({ actions: STATE_MACHINE_XRAY_ACTIONS, resources: ['*'] });
    if (machine.role instanceof iam.Role) {
      // A policy of its own, not the role's DefaultPolicy: the X-Ray wildcard is then acknowledged for cdk-nag on a
      // resource of this library only, never on the statements of the user's that share the role's policy.
      const policy = new iam.Policy(machine, 'DatadogXRayPolicy', { statements: [statement] });
      policy.attachToRole(machine.role);
      acknowledgeNagFinding(policy, 'AwsSolutions-IAM5', XRAY_WILDCARD_REASON, 'Resource::*');
      cfn.node.addDependency(policy);
      tagResource(cfn, config);
      return;
    }
    // A role imported with `mutable: false` drops the statement (see landedInPolicy).
    const added = machine.role.addToPrincipalPolicy(statement);
    if (!landedInPolicy(added.policyDependable)) {
      const role = Token.isUnresolved(machine.role.roleArn) ? machine.role.node.path : machine.role.roleArn;
      warnWhileInstrumenting(machine, 'ImmutableRole',
        `This state machine's role is imported with mutable: false, so merged tracing could not grant it ${STATE_MACHINE_XRAY_ACTIONS.join(', ')} on *. ` +
        `Step Functions cannot send the state machine's X-Ray segments without them. Allow exactly these on the role where it is defined (${role}), then acknowledge this warning.`);
    }
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
