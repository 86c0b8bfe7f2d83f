/**
 * Facts about Datadog's Lambda layers and libraries, written out from Datadog's own published sources and
 * NOT read from lib/: a wrong row in lib/datadog/runtimes.ts (or a wrong account, FIPS name or site) makes
 * the tests that compare against this table fail. Change a row here only after reading the source again.
 *
 * Sources (read 2026-11-30):
 * - Layer names per runtime and architecture, FIPS extension names, accounts, regions:
 *   DataDog/serverless-plugin-datadog src/layers.json and src/layers-gov.json (commit c23bce7, 2026-08-14).
 *   Keys `python3.13-arm`, `ruby4.0-arm`, `dotnet-arm`, `extension-arm`, `extension-fips`, `extension-arm-fips`;
 *   `java` and `nodejs*` have no `-arm` key (one layer serves both architectures); commercial ARNs from
 *   464622532012, GovCloud (us-gov-west-1, us-gov-east-1) from 002406178527; no `cn-` region in either list.
 * - Runtime -> layer name, default layer versions, sites: DataDog/datadog-cdk-constructs src/constants.ts
 *   (runtimeToLayerName, siteList) and src/layer-versions.ts (NODE 142, PYTHON 127, JAVA 27, DOTNET 25,
 *   RUBY 30, EXTENSION 99) (commit ed5549c, 2026-08-21).
 * - Merge variables: datadog-lambda-js src/index.ts (`mergeXrayTracesEnvVar = "DD_MERGE_XRAY_TRACES"`),
 *   datadog-lambda-python (DD_MERGE_XRAY_TRACES), datadog-lambda-rb lib/datadog/lambda.rb
 *   (`ENV['DD_MERGE_DATADOG_XRAY_TRACES']`, commit 00707a4), datadog-lambda-go ddlambda.go
 *   (`MergeXrayTracesEnvVar = "DD_MERGE_XRAY_TRACES"`, read by WrapFunction; commit b0d6ebc).
 *   Java and .NET: Datadog's "Serverless Trace Merging" docs list Node.js and Python only, and neither
 *   dd-trace-java nor dd-trace-dotnet reads a merge variable.
 * - Handler redirect: Node.js `/opt/nodejs/node_modules/datadog-lambda-js/handler.handler`, Python
 *   `datadog_lambda.handler.handler`, original in DD_LAMBDA_HANDLER; Java/.NET layers start the tracer from
 *   `AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog_wrapper`; Ruby and Go wrap the handler in code.
 * - FIPS default: datadog-lambda-js src/utils/fips.ts and datadog-lambda-python datadog_lambda/fips.py:
 *   DD_LAMBDA_FIPS_MODE defaults to true when AWS_REGION starts with `us-gov-`, false elsewhere.
 */

export type Redirect = 'handler' | 'exec-wrapper' | 'in-code';

export interface RuntimeFact {
  readonly runtime: string;
  /** Library layer on x86_64 and on arm64; undefined: extension only. */
  readonly x86Layer?: string;
  readonly armLayer?: string;
  readonly redirect: Redirect;
  /** The handler that replaces the user's, for 'handler'. */
  readonly datadogHandler?: string;
  /** The variable Datadog's code reads to merge X-Ray traces; undefined: nothing reads one (no merge). */
  readonly mergeVar?: string;
  /** Default library layer version (datadog-cdk-constructs layer-versions.ts). */
  readonly defaultVersion?: number;
}

const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
const PYTHON_HANDLER = 'datadog_lambda.handler.handler';

const node = (v: string): RuntimeFact => ({
  runtime: `nodejs${v}.x`,
  x86Layer: `Datadog-Node${v}-x`,
  armLayer: `Datadog-Node${v}-x`,
  redirect: 'handler',
  datadogHandler: NODE_HANDLER,
  mergeVar: 'DD_MERGE_XRAY_TRACES',
  defaultVersion: 142,
});
const python = (v: string): RuntimeFact => ({
  runtime: `python3.${v}`,
  x86Layer: `Datadog-Python3${v}`,
  armLayer: `Datadog-Python3${v}-ARM`,
  redirect: 'handler',
  datadogHandler: PYTHON_HANDLER,
  mergeVar: 'DD_MERGE_XRAY_TRACES',
  defaultVersion: 127,
});
const ruby = (major: string, minor: string): RuntimeFact => ({
  runtime: `ruby${major}.${minor}`,
  x86Layer: `Datadog-Ruby${major}-${minor}`,
  armLayer: `Datadog-Ruby${major}-${minor}-ARM`,
  redirect: 'in-code',
  mergeVar: 'DD_MERGE_DATADOG_XRAY_TRACES',
  defaultVersion: 30,
});
const java = (runtime: string): RuntimeFact => ({
  runtime, x86Layer: 'dd-trace-java', armLayer: 'dd-trace-java', redirect: 'exec-wrapper', defaultVersion: 27,
});
const dotnet = (runtime: string): RuntimeFact => ({
  runtime, x86Layer: 'dd-trace-dotnet', armLayer: 'dd-trace-dotnet-ARM', redirect: 'exec-wrapper', defaultVersion: 25,
});
const provided = (runtime: string): RuntimeFact => ({ runtime, redirect: 'in-code', mergeVar: 'DD_MERGE_XRAY_TRACES' });

/** Every Lambda runtime Datadog publishes a layer for (or, provided.*, the extension alone). */
export const RUNTIME_FACTS: readonly RuntimeFact[] = [
  node('18'), node('20'), node('22'), node('24'),
  python('8'), python('9'), python('10'), python('11'), python('12'), python('13'), python('14'),
  ruby('3', '2'), ruby('3', '3'), ruby('3', '4'), ruby('4', '0'),
  // java*.al2023: Java runtimes aws-cdk-lib knows; the one `java` layer serves every Java runtime.
  java('java8.al2'), java('java11'), java('java17'), java('java21'), java('java25'),
  java('java8.al2023'), java('java11.al2023'), java('java17.al2023'),
  dotnet('dotnet6'), dotnet('dotnet8'), dotnet('dotnet10'),
  provided('provided'), provided('provided.al2'), provided('provided.al2023'),
];

export function runtimeFact(runtime: string): RuntimeFact | undefined {
  return RUNTIME_FACTS.find((f) => f.runtime === runtime);
}

/** Extension layer names: architecture, then FIPS build. */
export const EXTENSION_LAYERS = {
  x86_64: { standard: 'Datadog-Extension', fips: 'Datadog-Extension-FIPS' },
  arm64: { standard: 'Datadog-Extension-ARM', fips: 'Datadog-Extension-ARM-FIPS' },
} as const;
export const DEFAULT_EXTENSION_VERSION = 99;

/** Datadog's layer account per partition; China (aws-cn) has none. */
export const LAYER_ACCOUNTS: Readonly<Record<string, string | undefined>> = {
  'aws': '464622532012',
  'aws-us-gov': '002406178527',
  'aws-cn': undefined,
};

/** Whether Datadog's Node.js/Python libraries run in FIPS mode by themselves in a region. */
export function fipsByDefault(region: string): boolean {
  return region.startsWith('us-gov-');
}

/** Datadog sites (datadog-cdk-constructs siteList; docs "Getting Started with Datadog Sites"). */
export const SITES: readonly string[] = [
  'datadoghq.com', 'datadoghq.eu', 'us3.datadoghq.com', 'us5.datadoghq.com', 'ap1.datadoghq.com', 'ap2.datadoghq.com',
  'uk1.datadoghq.com', 'ddog-gov.com', 'us2.ddog-gov.com',
];

/**
 * Datadog's per-region layer list, in its own keys: serverless-plugin-datadog src/layers.json (33 commercial regions)
 * and src/layers-gov.json (2 GovCloud regions), commit 7ee6772 (2026-08-06), read 2026-12-03. Each region lists every
 * key below except those named for it; `python3.7` and `nodejs16.x`, which this library does not support, are left out.
 * Versions are the list's everywhere (extension 99, Node 142, Python 127, Java 27, .NET 25) except where `lagging` says.
 * (The list has Ruby at 29 everywhere; datadog-cdk-constructs' default, 30, is newer than that list.)
 */
export interface RegionLayerFact {
  readonly region: string;
  /** Keys of the list this region lacks. */
  readonly missing: readonly string[];
  /** Keys whose version in this region is below every other region's. */
  readonly lagging?: Readonly<Record<string, number>>;
}

const NO_RUBY_JAVA_DOTNET = ['ruby3.2', 'ruby3.2-arm', 'ruby3.3', 'ruby3.3-arm', 'ruby3.4', 'ruby3.4-arm', 'ruby4.0', 'ruby4.0-arm', 'java', 'dotnet', 'dotnet-arm'];

export const REGION_LAYER_FACTS: readonly RegionLayerFact[] = [
  ...['af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
    'eu-west-2', 'eu-west-3', 'il-central-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
    'us-gov-east-1', 'us-gov-west-1'].map((region) => ({ region, missing: [] })),
  { region: 'ap-east-2', missing: NO_RUBY_JAVA_DOTNET },
  { region: 'ap-southeast-6', missing: NO_RUBY_JAVA_DOTNET },
  { region: 'me-central-1', missing: ['ruby4.0', 'ruby4.0-arm'], lagging: { 'extension-arm-fips': 98 } },
];

/** The list's key for a runtime's library layer on an architecture (`java` and `nodejs*` have one key for both). */
export function layerListKey(runtime: string, arm64: boolean): string | undefined {
  const fact = runtimeFact(runtime);
  if (!fact?.x86Layer) return undefined;
  const family = runtime.startsWith('java') ? 'java' : runtime.startsWith('dotnet') ? 'dotnet' : runtime;
  return arm64 && fact.armLayer !== fact.x86Layer ? `${family}-arm` : family;
}

/** The list's key for the extension. */
export function extensionListKey(arm64: boolean, fips: boolean): string {
  return `extension${arm64 ? '-arm' : ''}${fips ? '-fips' : ''}`;
}
