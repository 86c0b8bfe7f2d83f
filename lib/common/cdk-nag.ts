import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Why the library's X-Ray statements name every resource: what cdk-nag users read beside AwsSolutions-IAM5. */
export const XRAY_WILDCARD_REASON = 'X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSampling*) ' +
  'support no resource-level permissions, so the only Resource they accept is "*" (cdk-trace-merging).';

/**
 * Acknowledges one cdk-nag finding on a resource of this library (or one it configures), with the reason, for both
 * cdk-nag lines, without depending on cdk-nag: cdk-nag 3 reads CDK's own acknowledgements
 * (`Validations.of(x).acknowledge`), cdk-nag 2 the `cdk_nag` metadata of the CloudFormation resource.
 * `appliesTo`: the one finding of a rule that reports several per resource (`Resource::*` of AwsSolutions-IAM5).
 */
export function acknowledgeNagFinding(scope: IConstruct, rule: string, reason: string, appliesTo?: string): void {
  Validations.of(scope).acknowledge({ id: appliesTo === undefined ? rule : `${rule}[${appliesTo}]`, reason });
  const cfn = CfnResource.isCfnResource(scope) ? scope : scope.node.defaultChild;
  if (cfn && CfnResource.isCfnResource(cfn)) {
    cfn.addMetadata('cdk_nag', { rules_to_suppress: [{ id: rule, reason, ...(appliesTo === undefined ? {} : { applies_to: [appliesTo] }) }] });
  }
}
