import { Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { failAt } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';

/** Turns on X-Ray for a REST API stage, so its segment becomes the root of the merged trace. */
export function enableStageTracing(stage: apigateway.CfnStage): void {
  const current = stage.tracingEnabled;
  if (current === true) return;
  if (current !== undefined && Token.isUnresolved(current)) {
    const resolved = Stack.of(stage).resolve(current);
    if (resolved === true || resolved === 'true') return;
    warnWhileInstrumenting(stage, 'StageTracingUnknown',
      'X-Ray tracing of this stage is only known at deployment; merged traces need it on. Set tracingEnabled: true.');
    return;
  }
  if (current === false) {
    failAt(stage, 'has X-Ray tracing turned off (tracingEnabled: false); merged traces start at this stage and need it on.',
      'Remove tracingEnabled from the stage options (merged tracing turns it on) or set it to true, or exclude the API.');
  }
  stage.tracingEnabled = true;
}

/** HTTP and WebSocket APIs cannot emit X-Ray segments: say so where the API is defined. */
export function warnApiWithoutXRay(api: apigatewayv2.CfnApi): void {
  const protocol = Token.isUnresolved(api.protocolType) ? 'HTTP or WebSocket' : api.protocolType;
  warnWhileInstrumenting(api, 'HttpApiNoXRay',
    `API Gateway ${protocol} APIs do not support X-Ray, so traces start at the Lambda function instead of the API. ` +
    'Use a REST API (apigateway.RestApi) where the API hop must be in the merged trace, or acknowledge this warning.');
}
