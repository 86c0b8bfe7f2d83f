import { compliant, FunctionFacts, isIntrinsic, nonCompliant, notApplicable, Rule, unknown } from './rule';
import { datadogLayerNames, DEPLOY_DATADOG_ACCOUNT, DEPLOY_PARTITION, DEPLOY_REGION, isDatadogAccount, LayerArn, parseLayerArn } from '../../datadog/layer-arn';
import { DATADOG_LAYER_ACCOUNTS, partitionOfRegion, PER_PARTITION_EXTENSION, perPartitionExtensionName } from '../../datadog/layers';
import { layerInRegion, runtimesPublishedIn } from '../../datadog/region-layers';
import { extensionLayerName, FIPS_SUFFIX, libraryLayerName, supportedRuntimeNames } from '../../datadog/runtimes';

/**
 * The Datadog library layer for the function's runtime and architecture, and the extension layer,
 * from Datadog's account of the stack's partition and in the stack's region.
 */
export const FunctionDatadogLayers: Rule<FunctionFacts> = {
  name: 'FunctionDatadogLayers',
  severity: 'error',
  check: (fn) => {
    // Images cannot take layers; the image must contain the library (MergedTracing warns about it).
    if (fn.isImage) return notApplicable;
    if (fn.runtimeUnknown) return unknown('its runtime, which decides the Datadog layers');
    if (!fn.row) {
      return nonCompliant(`uses runtime '${fn.runtime ?? 'none'}', for which Datadog publishes no Lambda layer, so it cannot join merged traces.`,
        `Move it to a supported runtime (${supportedRuntimeNames().join(', ')}).`);
    }
    const rawLayers = fn.props.Layers ?? [];
    if (!Array.isArray(rawLayers)) return unknown('its list of layers');
    const datadogNames = datadogLayerNames();
    const layers: LayerArn[] = [];
    let unreadable = 0;
    for (const raw of rawLayers) {
      const arn = parseLayerArn(raw, fn.layerContext.datadogMappings);
      if (arn) layers.push(arn); else if (isIntrinsic(raw) || typeof raw === 'string') unreadable++;
    }
    for (const layer of layers.filter((l) => datadogNames.has(l.name))) {
      const wrong = wrongOrigin(layer, fn.layerContext.region);
      if (wrong) return nonCompliant(`has the Datadog layer ${layer.name}:${layer.version} ${wrong}`, 'Use the layer ARN TraceMerging renders for this stack (lib/layers.ts).');
      const region = fn.layerContext.region;
      if (region !== undefined && !layerInRegion(region, layer.name).published) {
        return nonCompliant(`(${fn.runtime}) has the Datadog layer ${layer.name}, which Datadog does not publish in ${region}, so the function would deploy with a layer that does not exist.`,
          `Deploy the stack to a region that has the layer (Datadog's per-region list: serverless-plugin-datadog src/layers.json), or move the function to a runtime Datadog publishes in ${region} for ${fn.arm64 ? 'arm64' : 'x86_64'}: ${runtimesPublishedIn(region, fn.arm64, layers.some((l) => l.name.endsWith(FIPS_SUFFIX)))}.`);
      }
    }
    // Each wanted layer with the names that serve it: the extension in its plain or FIPS build, or the one
    // an environment-agnostic stack takes per partition.
    const library = libraryLayerName(fn.row, fn.arm64);
    const slots = [
      ...(library ? [[library]] : []),
      [extensionLayerName(fn.arm64), extensionLayerName(fn.arm64, true), perPartitionExtensionName(fn.arm64)],
    ];
    const found = slots.map((names) => layers.find((l) => names.includes(l.name) && isDatadogAccount(l.account))?.name);
    const wanted = slots.map((names, i) => found[i] ?? names[0]);
    const missing = wanted.filter((_name, i) => found[i] === undefined);
    // The per-partition extension reads as what CloudFormation will pick.
    const shownName = (name: string) => (PER_PARTITION_EXTENSION[name]
      ? `${extensionLayerName(fn.arm64)} (${extensionLayerName(fn.arm64, true)} in GovCloud)` : name);
    if (missing.length === 0) return compliant(`Datadog layers ${wanted.map(shownName).join(', ')}`);
    if (unreadable > 0) return unknown(`${unreadable} of its layer ARNs, one of which may be ${missing.join(' or ')}`);
    const wrongArch = layers.filter((l) => datadogNames.has(l.name) && !slots.some((names) => names.includes(l.name))).map((l) => l.name);
    return nonCompliant(
      `(${fn.runtime}, ${fn.arm64 ? 'arm64' : 'x86_64'}) lacks the Datadog layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` +
      (wrongArch.length > 0 ? `; it has ${wrongArch.join(', ')}, which do not match its runtime or architecture.` : '.'),
      `Add ${missing.map((m) => `arn:<partition>:lambda:<region>:<Datadog account>:layer:${m}:<version>`).join(' and ')}, or apply TraceMerging.`);
  },
};

/** Why a Datadog-named layer cannot load in this stack, or undefined when it can. */
function wrongOrigin(layer: LayerArn, stackRegion: string | undefined): string | undefined {
  if (layer.account === DEPLOY_DATADOG_ACCOUNT) {
    return layer.partition === DEPLOY_PARTITION ? undefined : `mixes a fixed partition '${layer.partition}' with the per-partition account mapping.`;
  }
  if (layer.partition === DEPLOY_PARTITION) {
    return `names account ${layer.account} for every partition, but Datadog publishes from ${DATADOG_LAYER_ACCOUNTS['aws-us-gov']} in GovCloud and ${DATADOG_LAYER_ACCOUNTS.aws} elsewhere.`;
  }
  const stackPartition = stackRegion === undefined ? undefined : partitionOfRegion(stackRegion);
  if (stackPartition !== undefined && layer.partition !== stackPartition) {
    return `from partition '${layer.partition}', but the stack deploys to '${stackPartition}' (${stackRegion}).`;
  }
  const expectedAccount = DATADOG_LAYER_ACCOUNTS[layer.partition];
  if (expectedAccount === undefined) return `in partition '${layer.partition}', where Datadog publishes no Lambda layers.`;
  if (layer.account !== expectedAccount) {
    return `from account ${layer.account}, but Datadog publishes its layers in '${layer.partition}' from ${expectedAccount ?? 'no account'}.`;
  }
  if (stackRegion !== undefined && layer.region !== DEPLOY_REGION && layer.region !== stackRegion) {
    return `from region ${layer.region}, but the stack deploys to ${stackRegion} and Lambda loads layers only from its own region.`;
  }
  return undefined;
}
