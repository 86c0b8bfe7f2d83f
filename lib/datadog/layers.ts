import { Aws, CfnMapping, Fn, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { failAt } from '../common/errors';
import { stableIdSuffix } from '../common/stable-id';

/** Datadog publishes its layers from one account per partition. */
export const DATADOG_LAYER_ACCOUNTS: Readonly<Record<string, string>> = {
  'aws': '464622532012',
  'aws-cn': '464622532012',
  'aws-us-gov': '002406178527',
};

const ACCOUNT_MAPPING_ID = 'DatadogLayerAccounts';
const ACCOUNT_KEY = 'account';

/** Region-name prefixes of the partitions other than `aws` where Datadog publishes layers. */
const PARTITION_BY_REGION_PREFIX: ReadonlyArray<readonly [string, string]> = [['cn-', 'aws-cn'], ['us-gov-', 'aws-us-gov']];
/** Commercial region names: two letters, a direction, a number (us-east-1, ap-southeast-7, il-central-1). */
const COMMERCIAL_REGION = /^[a-z]{2}-[a-z]+-\d+$/;

/**
 * Partition of a concrete region, or undefined when Datadog publishes no layers there (ISO, EUSC).
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
 * The ARN of a Datadog layer for this stack. A stack with a concrete region gets a literal ARN;
 * an environment-agnostic stack gets one that CloudFormation completes from AWS::Partition,
 * AWS::Region and a mapping of Datadog's account per partition.
 */
export function datadogLayerArn(stack: Stack, layerName: string, version: number): string {
  const versionText = Token.isUnresolved(version) ? Token.asString(version) : String(version);
  const region = stack.region;
  if (!Token.isUnresolved(region)) {
    const partition = partitionOfRegion(region);
    if (partition === undefined) {
      failAt(stack, `Datadog publishes no Lambda layers in region '${region}'.`,
        'Deploy this stack to a commercial, China or GovCloud region, or exclude its functions.');
    }
    return `arn:${partition}:lambda:${region}:${DATADOG_LAYER_ACCOUNTS[partition]}:layer:${layerName}:${versionText}`;
  }
  const account = Fn.findInMap(accountMapping(stack).logicalId, Aws.PARTITION, ACCOUNT_KEY);
  return `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${account}:layer:${layerName}:${versionText}`;
}

function accountMapping(stack: Stack): CfnMapping {
  const existing = stack.node.tryFindChild(ACCOUNT_MAPPING_ID);
  if (existing) return existing as CfnMapping;
  const mapping: Record<string, Record<string, string>> = {};
  for (const [partition, account] of Object.entries(DATADOG_LAYER_ACCOUNTS)) mapping[partition] = { [ACCOUNT_KEY]: account };
  return new CfnMapping(stack, ACCOUNT_MAPPING_ID, { mapping });
}

/** The layer as an ILayerVersion, created once per stack and ARN however many functions use it. */
export function datadogLayer(stack: Stack, layerName: string, version: number): lambda.ILayerVersion {
  const id = `DatadogLayer-${layerName}-${stableIdSuffix(stack, version)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as lambda.ILayerVersion;
  return lambda.LayerVersion.fromLayerVersionArn(stack, id, datadogLayerArn(stack, layerName, version));
}
