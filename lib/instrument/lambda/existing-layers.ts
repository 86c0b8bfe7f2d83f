import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { failAt } from '../../common/errors';
import { TracingConfig } from '../../config';
import { isDatadogAccount, parseLayerArn } from '../../datadog/layer-arn';
import { perPartitionExtensionName } from '../../datadog/layers';
import { extensionLayerName, libraryLayerName, RuntimeRow } from '../../datadog/runtimes';
import { MergedTracingOptions } from '../../options';

/** A Datadog layer merged tracing adds: its name, its version and the option that sets that version. */
export interface WantedLayer {
  readonly name: string;
  readonly version: number;
  readonly option: string;
  /** True when the version is the user's option, false for the library's default. */
  readonly pinned: boolean;
}

/**
 * The Datadog layers merged tracing adds to a function of this runtime and architecture.
 * `fips`: the stack's FIPS choice; undefined when the partition decides (the per-partition extension).
 */
export function wantedDatadogLayers(row: RuntimeRow, arm64: boolean, config: TracingConfig, fips: boolean | undefined): WantedLayer[] {
  const layers: WantedLayer[] = [];
  const library = libraryLayerName(row, arm64);
  const libraryVersion = config.libraryLayerVersion(row.family);
  const option = row.family.versionOption;
  if (library && libraryVersion !== undefined && option) {
    layers.push({ name: library, version: libraryVersion, option, pinned: isSet(config, option) });
  }
  const extension = fips === undefined ? perPartitionExtensionName(arm64) : extensionLayerName(arm64, fips);
  layers.push({ name: extension, version: config.extensionLayerVersion, option: 'extensionLayerVersion', pinned: isSet(config, 'extensionLayerVersion') });
  return layers;
}

function isSet(config: TracingConfig, option: string): boolean {
  return config.options[option as keyof MergedTracingOptions] !== undefined;
}

const LITERAL_ARNS_ONLY: ReadonlySet<string> = new Set();

/**
 * Lambda refuses two versions of one layer in a function, so a function that already carries one of
 * our Datadog layers at another version (added by hand, or by another Datadog construct) would only
 * fail at deployment. Say so at synthesis. Layer ARNs only known at deployment cannot be compared.
 */
export function failOnOtherDatadogLayerVersions(fn: lambda.Function, existingArns: unknown[], wanted: WantedLayer[]): void {
  for (const arn of existingArns) {
    const parsed = parseLayerArn(arn, LITERAL_ARNS_ONLY);
    if (!parsed || !isDatadogAccount(parsed.account)) continue;
    const { name, version } = parsed;
    const ours = wanted.find((w) => w.name === name);
    if (!ours || (!Token.isUnresolved(ours.version) && String(ours.version) === version)) continue;
    const ourVersion = Token.isUnresolved(ours.version) ? 'a version only known at deployment' : `version ${ours.version}`;
    failAt(fn, `already has the Datadog layer ${name} at version ${version}, and merged tracing adds ${ourVersion}; Lambda refuses two versions of one layer.`,
      `Remove that layer from the function (merged tracing adds it), or set ${ours.option}: ${version} to keep that version.`);
  }
}
