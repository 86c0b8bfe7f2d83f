import { Stack, Token } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { failAt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { TracingConfig } from '../../config';
import { tagResource } from '../tags';

/**
 * X-Ray on an AppSync GraphQL API (an L2 GraphqlApi ends in this CfnGraphQLApi too), with the unified
 * service tags. AppSync then passes the trace header to its Lambda resolvers, whose `aws.lambda` span joins
 * the request's trace. Nothing else goes into the template: AppSync writes its segments through its
 * service-linked role (AWSServiceRoleForAppSync), which AWS creates when X-Ray is first turned on.
 */
export function instrumentGraphqlApi(api: appsync.CfnGraphQLApi, config: TracingConfig): void {
  enableXRay(api);
  tagResource(api, config);
}

function enableXRay(api: appsync.CfnGraphQLApi): void {
  const current = api.xrayEnabled;
  if (current === true) return;
  // A token (a parameter, a Lazy) may still resolve to a literal here.
  const value = current !== undefined && Token.isUnresolved(current) ? Stack.of(api).resolve(current) : current;
  if (value === true || value === 'true') return;
  if (value === false || value === 'false') {
    failAt(api, 'has X-Ray tracing turned off (xrayEnabled: false); merged traces need it on to join its Lambda resolvers to the GraphQL request.',
      'Remove xrayEnabled from the API props (merged tracing turns it on) or set it to true, or exclude the API.');
  }
  if (value !== undefined) {
    warnWhileInstrumenting(api, 'GraphqlApiTracingUnknown',
      'X-Ray tracing of this GraphQL API is only known at deployment; merged traces need it on. Set xrayEnabled: true.');
    return;
  }
  api.xrayEnabled = true;
}
