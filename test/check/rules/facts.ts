/** Builds the facts the function rules read, from CloudFormation-shaped properties, as the checker does. */
import { functionFacts } from '../../../lib/check/rules/function-facts';
import { FunctionFacts, Properties } from '../../../lib/check/rules/rule';
import { TracingMode } from '../../../lib/options';

export const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
export const NODE_LAYERS = [
  'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node22-x:142',
  'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99',
];
/** A deploy-time token as CloudFormation renders it. */
export const PARAM = { Ref: 'SomeParameter' };

/** A Node.js 22 function wired for SERVERLESS merged traces in us-east-1; `props` replace its properties. */
export function nodeFunction(
  props: Properties = {}, env: Record<string, unknown> = {}, expected: { mode?: TracingMode; env?: string } = {},
): FunctionFacts {
  return functionFacts({
    Runtime: 'nodejs22.x',
    Handler: NODE_HANDLER,
    TracingConfig: { Mode: 'Active' },
    Layers: NODE_LAYERS,
    Environment: { Variables: { DD_ENV: 'prod', DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true', DD_LAMBDA_HANDLER: 'index.handler', ...env } },
    ...props,
  }, expected, { region: 'us-east-1', datadogMappings: new Set(['DatadogLayerAccounts', 'DatadogLayerVersions']) });
}

/** Facts of arbitrary properties (no defaults). */
export function facts(props: Properties, region: string | undefined = 'us-east-1', expected: { mode?: TracingMode; env?: string } = {}): FunctionFacts {
  return functionFacts(props, expected, { region, datadogMappings: new Set(['DatadogLayerAccounts', 'DatadogLayerVersions']) });
}
