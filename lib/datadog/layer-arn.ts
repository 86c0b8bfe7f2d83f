import { DATADOG_LAYER_ACCOUNTS, PER_PARTITION_EXTENSION } from './layers';
import { ARM_SUFFIX, extensionLayerName, runtimeRow, supportedRuntimeNames } from './runtimes';

/** Stand-ins for values CloudFormation fills in at deployment (no colons: they sit between ARN separators). */
export const DEPLOY_PARTITION = '{AWS.Partition}';
export const DEPLOY_REGION = '{AWS.Region}';
/** Datadog's account for the deployment partition, read from our mapping (see lib/layers.ts). */
export const DEPLOY_DATADOG_ACCOUNT = '{DatadogLayerAccount}';
/** The layer's version in the deployment region, read from our per-region mapping (absent where not published). */
export const DEPLOY_LAYER_VERSION = '{DatadogLayerVersion}';

/** A layer ARN split into its parts; deploy-time parts hold the stand-ins above. */
export interface LayerArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly version: string;
}

const ARN = /^arn:([^:]+):lambda:([^:]+):([^:]+):layer:([^:]+):([^:]+)$/;

/**
 * Parses one entry of a function's resolved Layers: a literal ARN, or the Fn::Join that
 * lib/layers.ts renders for environment-agnostic stacks (recognised through `datadogMappings`, the names of the
 * template's Datadog account and version mappings; pass an empty set to accept literal ARNs only). Undefined when any
 * part is unknowable.
 */
export function parseLayerArn(value: unknown, datadogMappings: ReadonlySet<string>): LayerArn | undefined {
  const text = typeof value === 'string' ? value : joinedText(value, datadogMappings);
  const match = text === undefined ? null : ARN.exec(text);
  if (!match) return undefined;
  return { partition: match[1], region: match[2], account: match[3], name: match[4], version: match[5] };
}

function joinedText(value: unknown, mappings: ReadonlySet<string>): string | undefined {
  const join = (value as { 'Fn::Join'?: unknown } | null)?.['Fn::Join'];
  if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
  const parts = (join[1] as unknown[]).map((part) => partText(part, mappings));
  return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
}

function partText(part: unknown, mappings: ReadonlySet<string>): string | undefined {
  if (typeof part === 'string') return part;
  const ref = (part as { Ref?: unknown } | null)?.Ref;
  if (ref === 'AWS::Partition') return DEPLOY_PARTITION;
  if (ref === 'AWS::Region') return DEPLOY_REGION;
  const find = (part as { 'Fn::FindInMap'?: unknown } | null)?.['Fn::FindInMap'];
  if (Array.isArray(find) && mappings.has(find[0]) && (find[1] as { Ref?: unknown } | null)?.Ref === 'AWS::Region') return DEPLOY_LAYER_VERSION;
  if (Array.isArray(find) && mappings.has(find[0]) && (find[1] as { Ref?: unknown } | null)?.Ref === 'AWS::Partition') {
    if (find[2] === 'account') return DEPLOY_DATADOG_ACCOUNT;
    // The extension an environment-agnostic stack takes per partition (FIPS in GovCloud): its stand-in name.
    return Object.entries(PER_PARTITION_EXTENSION).find(([, v]) => v.mappingKey === find[2])?.[0];
  }
  return undefined;
}

/**
 * Every layer name Datadog publishes that the runtime table knows (library and extension, x86 and ARM,
 * the extension's FIPS builds), and the stand-ins of the per-partition extension.
 * Built once: the checker asks for it for every function of the app.
 */
export function datadogLayerNames(): ReadonlySet<string> {
  layerNames ??= allDatadogLayerNames();
  return layerNames;
}

let layerNames: ReadonlySet<string> | undefined;

function allDatadogLayerNames(): Set<string> {
  const names = new Set<string>(Object.keys(PER_PARTITION_EXTENSION));
  for (const arm64 of [false, true]) for (const fips of [false, true]) names.add(extensionLayerName(arm64, fips));
  for (const runtime of supportedRuntimeNames()) {
    const library = runtimeRow(runtime)?.libraryLayer;
    if (library) names.add(library).add(library + ARM_SUFFIX);
  }
  return names;
}

/** True when the account is one Datadog publishes layers from. */
export function isDatadogAccount(account: string): boolean {
  return account === DEPLOY_DATADOG_ACCOUNT || Object.values(DATADOG_LAYER_ACCOUNTS).includes(account);
}
