import { ARM_SUFFIX, extensionLayerName, FAMILIES, libraryLayerName, RuntimeFamily, runtimeRow, supportedRuntimeNames } from './runtimes';

/**
 * Where Datadog publishes its Lambda layers. Datadog does not publish every layer in every region, and a few regions
 * lag a version behind; a function given a layer that does not exist in its region fails at deployment.
 * Written from Datadog's published per-region lists, serverless-plugin-datadog src/layers.json and
 * src/layers-gov.json (commit 7ee6772, 2026-08-06): 33 commercial regions and 2 GovCloud regions. A region missing
 * from them (a new AWS region) may have no layers yet. test/datadog/region-layers.test.ts holds this file to a fact
 * table written from those lists, not from this file.
 */
export const LAYER_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
  'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1',
  'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'mx-central-1',
  'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'us-gov-east-1', 'us-gov-west-1',
];

/** Every library layer name (x86_64 and `-ARM`) of the runtimes of these families. */
function libraryLayersOf(families: readonly RuntimeFamily[], runtimes = supportedRuntimeNames()): string[] {
  const names = new Set<string>();
  for (const runtime of runtimes) {
    const row = runtimeRow(runtime)!;
    if (!row.libraryLayer || !families.includes(row.family)) continue;
    names.add(row.libraryLayer);
    if (row.family.libraryHasArmVariant) names.add(row.libraryLayer + ARM_SUFFIX);
  }
  return [...names];
}

/** The two newest regions have Node.js, Python and the extension only. */
const NO_RUBY_JAVA_DOTNET = libraryLayersOf([FAMILIES.RUBY, FAMILIES.JAVA, FAMILIES.DOTNET]);

/** Layers Datadog lists in every region but these. */
const NOT_PUBLISHED: Readonly<Record<string, readonly string[]>> = {
  'ap-east-2': NO_RUBY_JAVA_DOTNET,
  'ap-southeast-6': NO_RUBY_JAVA_DOTNET,
  'me-central-1': libraryLayersOf([FAMILIES.RUBY], ['ruby4.0']),
};

/** Regions whose newest published version of a layer is below the default everywhere else. */
const LAGGING: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'me-central-1': { [extensionLayerName(true, true)]: 98 },
};

/** What Datadog's list says of one layer in one region. */
export interface LayerInRegion {
  /** False for a region Datadog's list does not have: its layers may not exist yet. */
  readonly regionListed: boolean;
  /** False when the region is listed but this layer is not published there. */
  readonly published: boolean;
  /** The newest version published in the region when it is below the library's default; undefined otherwise. */
  readonly laggingVersion?: number;
}

export function layerInRegion(region: string, layerName: string): LayerInRegion {
  if (!LAYER_REGIONS.includes(region)) return { regionListed: false, published: true };
  return {
    regionListed: true,
    published: !(NOT_PUBLISHED[region] ?? []).includes(layerName),
    laggingVersion: LAGGING[region]?.[layerName],
  };
}

/**
 * The version a function in `region` gets of a layer: the option's when the user pinned one (their choice, also
 * above what the list knows), else the library's default, lowered to what the region has where it lags.
 */
export function versionInRegion(region: string, layerName: string, version: number, pinned: boolean): number {
  if (pinned) return version;
  const lagging = layerInRegion(region, layerName).laggingVersion;
  return lagging !== undefined && lagging < version ? lagging : version;
}

/**
 * The runtimes whose Datadog layers (library and extension) are published in `region` for the architecture, by family,
 * for a refusal's fix: "Node.js (nodejs18.x, ...), Python (...), Ruby (ruby3.2, ruby3.3, ruby3.4)". Read from the same
 * per-region list that decides the refusal, so the two never disagree.
 */
export function runtimesPublishedIn(region: string, arm64: boolean, fips: boolean = false): string {
  const byFamily = new Map<RuntimeFamily, string[]>();
  const extensionPublished = layerInRegion(region, extensionLayerName(arm64, fips)).published;
  for (const runtime of supportedRuntimeNames()) {
    const row = runtimeRow(runtime)!;
    const library = libraryLayerName(row, arm64);
    if (!extensionPublished || (library !== undefined && !layerInRegion(region, library).published)) continue;
    byFamily.set(row.family, [...(byFamily.get(row.family) ?? []), runtime]);
  }
  return [...byFamily].map(([family, runtimes]) => `${family.name} (${runtimes.join(', ')})`).join(', ');
}
