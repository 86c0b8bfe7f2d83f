import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { WantedLayer } from './existing-layers';
import { failAt, leaveOut } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { CHINA_PARTITION, partitionOfRegion } from '../../datadog/layers';
import { layerInRegion, runtimesPublishedIn, versionInRegion } from '../../datadog/region-layers';

/**
 * The wanted layers as the function's region has them: refused where Datadog does not publish one there (the
 * function would deploy with a layer that does not exist), the default version lowered where the region lags,
 * a warning on the stack when Datadog's list does not have the region yet. An environment-agnostic stack is
 * left to CloudFormation (the per-region mapping of lib/datadog/layers.ts).
 */
export function layersInRegion(fn: lambda.Function, runtime: string, wanted: WantedLayer[],
  arch: { readonly arm64: boolean; readonly fips: boolean }): WantedLayer[] {
  const { arm64, fips } = arch;
  const stack = Stack.of(fn);
  const region = stack.region;
  // China and unknown partitions are refused when the ARN is built (lib/datadog/layers.ts), with their own message.
  if (Token.isUnresolved(region)) return wanted;
  const partition = partitionOfRegion(region);
  if (partition === undefined || partition === CHINA_PARTITION) return wanted;
  const missing = wanted.filter((layer) => !layerInRegion(region, layer.name).published);
  if (missing.length > 0) {
    failAt(fn, `uses runtime ${runtime} in ${region}, where Datadog does not publish the layer ${missing.map((l) => l.name).join(' or ')}, ` +
      'so the function would deploy with a layer that does not exist.',
    'Deploy this stack to a region that has the layer (Datadog\'s per-region list: serverless-plugin-datadog src/layers.json), ' +
    `move the function to a runtime Datadog publishes in ${region} for ${arm64 ? 'arm64' : 'x86_64'}: ${runtimesPublishedIn(region, arm64, fips)}; ` +
    `or ${leaveOut(fn)}.`);
  }
  if (!layerInRegion(region, wanted[0].name).regionListed) warnRegionNotListed(stack, region);
  return wanted.map((layer) => ({ ...layer, version: versionInRegion(region, layer.name, layer.version, layer.pinned) }));
}

/** Once per stack, however many functions. */
function warnRegionNotListed(stack: Stack, region: string): void {
  warnWhileInstrumenting(stack, 'LayersRegionNotListed',
    `Datadog's published layer list (August 2026) does not have ${region}, so its Datadog layers may not exist there yet and ` +
    'the functions of this stack may fail to deploy. Check that Datadog publishes the layers in this region (serverless-plugin-datadog ' +
    'src/layers.json), then acknowledge this warning.');
}
