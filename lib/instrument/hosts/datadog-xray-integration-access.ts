import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { failAt } from '../../common/errors';

/** The X-Ray actions the Datadog AWS integration calls to pull X-Ray traces into Datadog. */
const DATADOG_XRAY_INTEGRATION_ACTIONS = ['xray:BatchGetTraces', 'xray:GetTraceSummaries'];

/** Props of DatadogXRayIntegrationAccess. */
export interface DatadogXRayIntegrationAccessProps {
  /**
   * The IAM role the Datadog AWS integration assumes in this account (e.g. `iam.Role.fromRoleName(this, 'Dd',
   * 'DatadogIntegrationRole')`). Imported roles must be mutable (the default of `fromRoleArn`/`fromRoleName`).
   */
  readonly role: iam.IRole;
}

/**
 * Lets an existing Datadog AWS integration role read X-Ray traces (`xray:BatchGetTraces`,
 * `xray:GetTraceSummaries`), which Datadog needs to show the X-Ray segments of API Gateway,
 * Step Functions and X-Ray-traced Lambda functions (HYBRID mode) in its traces.
 */
export class DatadogXRayIntegrationAccess extends Construct {
  /** The statement granting the X-Ray reads. */
  public readonly statement: iam.PolicyStatement;

  /** The policy attached to the role, holding only that statement. */
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: DatadogXRayIntegrationAccessProps) {
    super(scope, id);
    // Both actions are account-wide reads: X-Ray supports no resource-level permissions for them.
    this.statement = new iam.PolicyStatement({
      sid: 'DatadogXRayIntegration',
      actions: DATADOG_XRAY_INTEGRATION_ACTIONS,
      resources: ['*'],
    });
    this.policy = new iam.Policy(this, 'Policy', { statements: [this.statement] });
    // Through the role, not policy.attachToRole: an immutable role ignores the attachment, and we can tell.
    props.role.attachInlinePolicy(this.policy);
    const attachedTo = Stack.of(this).resolve((this.policy.node.defaultChild as iam.CfnPolicy).roles);
    if (attachedTo === undefined) {
      failAt(this, `role ${props.role.node.path} takes no policies (it was imported with mutable: false).`,
        'Import the Datadog integration role with mutable: true, or add xray:BatchGetTraces and xray:GetTraceSummaries where the role is defined.');
    }
  }
}
