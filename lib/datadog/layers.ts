import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { libraryDefaultFipsInPartition } from './fips';
import { layerInRegion, LAYER_REGIONS, versionInRegion } from './region-layers';
import { extensionLayerName } from './runtimes';
import { failAt } from '../common/errors';
import { stableIdSuffix } from '../common/stable-id';

/**
 * Datadog publishes its layers from one account per partition, and none in China (aws-cn):
 * serverless-plugin-datadog's layer lists (src/layers.json, src/layers-gov.json) hold commercial and
 * GovCloud regions only. Leaving aws-cn out of this table (and so of the mapping below) makes an
 * environment-agnostic stack fail in China at deployment instead of loading layers that do not exist.
 */
export const DATADOG_LAYER_ACCOUNTS: Readonly<Record<string, string>> = {
  'aws': '464622532012',
  'aws-us-gov': '002406178527',
};

export const CHINA_PARTITION = 'aws-cn';

const ACCOUNT_MAPPING_ID = 'DatadogLayerAccounts';
const ACCOUNT_KEY = 'account';

/**
 * Stand-ins for the extension of an environment-agnostic stack whose FIPS choice is left to the
 * partition: the name is read from the mapping at deployment (the FIPS build in GovCloud, where
 * Datadog's libraries turn FIPS mode on). Keyed by the mapping's second-level key.
 */
export const PER_PARTITION_EXTENSION: Readonly<Record<string, { readonly mappingKey: string; readonly arm64: boolean }>> = {
  '{DatadogExtension}': { mappingKey: 'extension', arm64: false },
  '{DatadogExtension-ARM}': { mappingKey: 'extensionArm', arm64: true },
};

/** The stand-in name of the per-partition extension for an architecture. */
export function perPartitionExtensionName(arm64: boolean): string {
  return Object.entries(PER_PARTITION_EXTENSION).find(([, v]) => v.arm64 === arm64)![0];
}

/** Region-name prefixes of the partitions other than `aws`. */
const PARTITION_BY_REGION_PREFIX: ReadonlyArray<readonly [string, string]> = [['cn-', CHINA_PARTITION], ['us-gov-', 'aws-us-gov']];
/** Commercial region names: two letters, a direction, a number (us-east-1, ap-southeast-7, il-central-1). */
const COMMERCIAL_REGION = /^[a-z]{2}-[a-z]+-\d+$/;

/**
 * Partition of a concrete region (aws, aws-cn, aws-us-gov), or undefined for the partitions this library
 * does not know (ISO, EUSC). Whether Datadog publishes layers there is DATADOG_LAYER_ACCOUNTS's answer.
 * Read from the region's name rather than aws-cdk-lib's RegionInfo: loading that table costs about
 * 80 ms of every synth (issue 5), and the name also covers regions newer than the table.
 */
export function partitionOfRegion(region: string): string | undefined {
  const prefixed = PARTITION_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix));
  if (prefixed) return prefixed[1];
  // ISO regions (us-iso-east-1, eu-isoe-west-1) fail the pattern: their middle part is followed by a direction.
  return COMMERCIAL_REGION.test(region) ? 'aws' : undefined;
}

/**
 * The ARN of a Datadog layer for this stack. A stack with a concrete region gets a literal ARN (the caller has
 * chosen the version for the region, see region-layers.ts); an environment-agnostic stack gets one that
 * CloudFormation completes from AWS::Partition, AWS::Region, a mapping of Datadog's account (and, for
 * PER_PARTITION_EXTENSION, the extension) per partition, and a mapping of the layer's version per region.
 * `pinned`: the version is the user's option rather than the library's default.
 */
export function datadogLayerArn(stack: Stack, layerName: string, version: number, pinned: boolean = false): string {
  const region = stack.region;
  const versionText = Token.isUnresolved(version) ? Token.asString(version)
    : Token.isUnresolved(region) ? versionPerRegion(stack, layerName, version, pinned) : String(version);
  const perPartition = PER_PARTITION_EXTENSION[layerName];
  if (!Token.isUnresolved(region)) {
    const partition = partitionOfRegion(region);
    const account = partition === undefined ? undefined : DATADOG_LAYER_ACCOUNTS[partition];
    if (partition === CHINA_PARTITION) {
      failAt(stack, `deploys to ${region} in AWS China (partition aws-cn), where Datadog publishes no Lambda layers, ` +
        'so merged tracing has no Datadog library or extension to add.',
      `Deploy the traced functions to a commercial or GovCloud region, or leave this stack out of merged tracing (excludeConstructPaths: ['${stack.node.path}']) and trace it with X-Ray alone.`);
    }
    if (account === undefined) {
      failAt(stack, `Datadog publishes no Lambda layers in region '${region}'.`,
        'Deploy this stack to a commercial or GovCloud region, or exclude its functions.');
    }
    const name = perPartition ? extensionLayerName(perPartition.arm64, libraryDefaultFipsInPartition(partition!)) : layerName;
    return `arn:${partition}:lambda:${region}:${account}:layer:${name}:${versionText}`;
  }
  const mapping = accountMapping(stack);
  const name = perPartition ? mapping.findInMap(Aws.PARTITION, perPartition.mappingKey) : layerName;
  return `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${mapping.findInMap(Aws.PARTITION, ACCOUNT_KEY)}:layer:${name}:${versionText}`;
}

/**
 * One mapping per stack: Datadog's account and the extension the libraries' FIPS default needs, per partition.
 * Lazy, as aws-cdk-lib suggests: it is only written when a Fn::FindInMap needs it, which our
 * partition-keyed lookups always do (and without it aws-cdk-lib prints an INFO on every such stack).
 */
function accountMapping(stack: Stack): CfnMapping {
  const existing = stack.node.tryFindChild(ACCOUNT_MAPPING_ID);
  if (existing) return existing as CfnMapping;
  const mapping: Record<string, Record<string, string>> = {};
  for (const [partition, account] of Object.entries(DATADOG_LAYER_ACCOUNTS)) {
    const fips = libraryDefaultFipsInPartition(partition);
    mapping[partition] = { [ACCOUNT_KEY]: account };
    for (const [, { mappingKey, arm64 }] of Object.entries(PER_PARTITION_EXTENSION)) mapping[partition][mappingKey] = extensionLayerName(arm64, fips);
  }
  return new CfnMapping(stack, ACCOUNT_MAPPING_ID, { mapping, lazy: true });
}

const VERSION_MAPPING_ID = 'DatadogLayerVersions';

/**
 * For an environment-agnostic stack: the layer's version read at deployment from a mapping keyed by AWS::Region,
 * which lists only the regions where Datadog publishes that layer (at the version each region has). In a region
 * where the layer is not published, or that Datadog's list does not have, CloudFormation then fails with
 * "Unable to get mapping for DatadogLayerVersions::<region>::<key>" instead of creating a function whose layer
 * does not exist. A pinned version is the same in every region that has the layer.
 */
function versionPerRegion(stack: Stack, layerName: string, version: number, pinned: boolean): string {
  const mapping = versionMapping(stack);
  const perPartition = PER_PARTITION_EXTENSION[layerName];
  const key = `${layerName.replace(/[^A-Za-z0-9]/g, '')}${perPartition ? 'PerPartition' : ''}${pinned ? `V${version}` : ''}`;
  for (const region of LAYER_REGIONS) {
    // The per-partition extension is what the region's partition picks (the FIPS build in GovCloud).
    const name = perPartition ? extensionLayerName(perPartition.arm64, libraryDefaultFipsInPartition(partitionOfRegion(region)!)) : layerName;
    if (layerInRegion(region, name).published) mapping.setValue(region, key, String(versionInRegion(region, name, version, pinned)));
  }
  return mapping.findInMap(Aws.REGION, key);
}

/** One mapping per stack, written only when a Fn::FindInMap needs it; its keys are added as layers are used. */
function versionMapping(stack: Stack): CfnMapping {
  const existing = stack.node.tryFindChild(VERSION_MAPPING_ID);
  if (existing) return existing as CfnMapping;
  return new CfnMapping(stack, VERSION_MAPPING_ID, { lazy: true });
}

/** The layer as an ILayerVersion, created once per stack and ARN however many functions use it. */
export function datadogLayer(stack: Stack, layerName: string, version: number, pinned: boolean = false): lambda.ILayerVersion {
  const id = `DatadogLayer-${layerName.replace(/[{}]/g, '')}${PER_PARTITION_EXTENSION[layerName] ? 'PerPartition' : ''}-${stableIdSuffix(stack, version)}${pinned && Token.isUnresolved(stack.region) ? 'Pinned' : ''}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as lambda.ILayerVersion;
  return lambda.LayerVersion.fromLayerVersionArn(stack, id, datadogLayerArn(stack, layerName, version, pinned));
}
