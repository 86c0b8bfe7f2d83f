/**
 * The event a REST API (API Gateway v1, Lambda proxy integration) delivers to a function, built from
 * the template: the stage, the resource path and the method integrating that function.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export interface RestApiRoute {
  readonly apiLogicalId: string;
  readonly stageName: string;
  /** e.g. /orders */
  readonly resourcePath: string;
  readonly httpMethod: string;
}

/** The one REST API method whose proxy integration invokes the function `functionLogicalId`. */
export function restApiRouteTo(stack: Stack, functionLogicalId: string): RestApiRoute {
  const template = Template.fromStack(stack);
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method'))
    .filter((m) => m.Properties.Integration?.Type === 'AWS_PROXY'
      && JSON.stringify(m.Properties.Integration.Uri).includes(`"Fn::GetAtt":["${functionLogicalId}","Arn"]`));
  if (methods.length !== 1) throw new Error(`expected one REST API method integrating ${functionLogicalId}, found ${methods.length}`);
  const method = methods[0].Properties;
  const apiLogicalId: string = method.RestApiId.Ref;

  // Walk the ParentId chain up to the API's root resource.
  const parts: string[] = [];
  for (let id: string | undefined = method.ResourceId.Ref; id !== undefined; id = resources[id].Properties.ParentId.Ref) {
    parts.unshift(resources[id].Properties.PathPart);
  }
  const stages = Object.values(template.findResources('AWS::ApiGateway::Stage')).filter((s) => s.Properties.RestApiId.Ref === apiLogicalId);
  if (stages.length !== 1) throw new Error(`expected one stage of ${apiLogicalId}, found ${stages.length}`);
  return { apiLogicalId, stageName: stages[0].Properties.StageName, resourcePath: `/${parts.join('/')}`, httpMethod: method.HttpMethod };
}

/** A proxy integration event for `route`, with `headers` as the client sent them. */
export function restApiEvent(route: RestApiRoute, account: string, region: string, headers: Record<string, string>, body: unknown) {
  const apiId = 'e2eapi0001';
  const domainName = `${apiId}.execute-api.${region}.amazonaws.com`;
  const allHeaders = { 'Host': domainName, 'Content-Type': 'application/json', ...headers };
  return {
    resource: route.resourcePath,
    path: route.resourcePath,
    httpMethod: route.httpMethod,
    headers: allHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(allHeaders).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: account,
      apiId,
      domainName,
      domainPrefix: apiId,
      httpMethod: route.httpMethod,
      path: `/${route.stageName}${route.resourcePath}`,
      protocol: 'HTTP/1.1',
      requestId: 'e2e0c0de-0000-4000-8000-0000000000a9',
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      resourceId: 'e2eres',
      resourcePath: route.resourcePath,
      stage: route.stageName,
      identity: { sourceIp: '127.0.0.1', userAgent: 'e2e' },
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
