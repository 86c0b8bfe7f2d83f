import { IConstruct } from 'constructs';
import { failAt } from '../../common/errors';
import { ResourceArn } from '../../datadog/api-key-arns';

/**
 * The name of the SSM parameter that holds the API key, as the Agent asks SSM for it (an ECS secret, the EKS Agent's
 * secret handle): from its ARN, which must be a literal. `arn:<partition>:ssm:<region>:<account>:parameter/<name>`
 * drops the leading '/' of a hierarchical name; a simple name has none.
 */
export function agentParameterName(scope: IConstruct, arn: string, parsed: ResourceArn | undefined): string {
  if (!parsed) {
    return failAt(scope, `apiKeySsmArn '${arn}' is not a resolved SSM parameter ARN, so the Datadog Agent cannot name the parameter.`,
      'Pass the full ARN as a literal (arn:<partition>:ssm:<region>:<account>:parameter/<name>), or use apiKeySecret.');
  }
  const path = parsed.resource.slice('parameter/'.length);
  return path.includes('/') ? `/${path}` : path;
}
