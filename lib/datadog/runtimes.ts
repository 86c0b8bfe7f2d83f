/**
 * The one table of Lambda runtimes this library knows. Every fact about a runtime that instrumenting
 * or checking needs lives in its row; nothing else in the library branches on runtime names.
 */

/** How the Datadog library takes over a function's invocations. */
export enum RedirectKind {
  /** Handler becomes the Datadog handler; the original goes to DD_LAMBDA_HANDLER. */
  HANDLER = 'HANDLER',
  /** Handler unchanged; AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog_wrapper starts the tracer. */
  EXEC_WRAPPER = 'EXEC_WRAPPER',
  /** The user wraps the handler in code (Ruby `Datadog::Lambda.wrap`, Go `ddlambda.WrapFunction`). */
  IN_CODE = 'IN_CODE',
}

/**
 * Whether Datadog merges the X-Ray trace a function is invoked with into its own trace.
 * Datadog's docs: trace merging is available for Node.js and Python; Ruby's library reads its own
 * merge variable once the handler is wrapped in code; the Java and .NET tracers read no merge variable.
 */
export enum MergeSupport {
  /** The Datadog handler redirect merges (Node.js, Python). */
  MERGES = 'MERGES',
  /** Merges once the user wraps the handler in code (Ruby). */
  IN_CODE = 'IN_CODE',
  /** Datadog cannot merge: the hop stays two traces (Java, .NET). */
  NONE = 'NONE',
}

/** A runtime family: which layer-version option applies and how the handler is redirected. */
export interface RuntimeFamily {
  /** Name used in messages and as the key of the per-family layer version option. */
  readonly name: string;
  /** Datadog library layer default version (DDC 5.1.0 reference); undefined: extension only. */
  readonly defaultLibraryLayerVersion?: number;
  /** The options field that overrides the library layer version for this family. */
  readonly versionOption?: string;
  readonly redirect: RedirectKind;
  /** Whether Datadog merges X-Ray traces for this family. */
  readonly merge: MergeSupport;
  /** Handler that replaces the user's, for RedirectKind.HANDLER. */
  readonly datadogHandler?: string;
  /**
   * Name of the env var the Datadog library reads to merge X-Ray traces; undefined where no Datadog code
   * reads one (Java, .NET), so none is set.
   */
  readonly mergeEnvVar?: string;
  /** Whether the library layer publishes an `-ARM` variant for arm64. */
  readonly libraryHasArmVariant: boolean;
}

export const MERGE_XRAY_TRACES = 'DD_MERGE_XRAY_TRACES';
export const RUBY_MERGE_XRAY_TRACES = 'DD_MERGE_DATADOG_XRAY_TRACES';
export const EXEC_WRAPPER_PATH = '/opt/datadog_wrapper';
export const NODE_DATADOG_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
export const PYTHON_DATADOG_HANDLER = 'datadog_lambda.handler.handler';

export const FAMILIES = {
  NODE: {
    name: 'Node.js',
    defaultLibraryLayerVersion: 142,
    versionOption: 'nodeLayerVersion',
    redirect: RedirectKind.HANDLER,
    merge: MergeSupport.MERGES,
    datadogHandler: NODE_DATADOG_HANDLER,
    mergeEnvVar: MERGE_XRAY_TRACES,
    libraryHasArmVariant: false,
  },
  PYTHON: {
    name: 'Python',
    defaultLibraryLayerVersion: 127,
    versionOption: 'pythonLayerVersion',
    redirect: RedirectKind.HANDLER,
    merge: MergeSupport.MERGES,
    datadogHandler: PYTHON_DATADOG_HANDLER,
    mergeEnvVar: MERGE_XRAY_TRACES,
    libraryHasArmVariant: true,
  },
  RUBY: {
    name: 'Ruby',
    defaultLibraryLayerVersion: 30,
    versionOption: 'rubyLayerVersion',
    redirect: RedirectKind.IN_CODE,
    merge: MergeSupport.IN_CODE,
    mergeEnvVar: RUBY_MERGE_XRAY_TRACES,
    libraryHasArmVariant: true,
  },
  JAVA: {
    name: 'Java',
    defaultLibraryLayerVersion: 27,
    versionOption: 'javaLayerVersion',
    redirect: RedirectKind.EXEC_WRAPPER,
    merge: MergeSupport.NONE,
    libraryHasArmVariant: false,
  },
  DOTNET: {
    name: '.NET',
    defaultLibraryLayerVersion: 25,
    versionOption: 'dotnetLayerVersion',
    redirect: RedirectKind.EXEC_WRAPPER,
    merge: MergeSupport.NONE,
    libraryHasArmVariant: true,
  },
  /**
   * Go and custom runtimes: extension only, the handler is wrapped in code. datadog-lambda-go's
   * WrapFunction reads DD_MERGE_XRAY_TRACES (ddlambda.go, MergeXrayTracesEnvVar), so Go merges once wrapped.
   */
  PROVIDED: {
    name: 'custom (provided)',
    redirect: RedirectKind.IN_CODE,
    merge: MergeSupport.IN_CODE,
    mergeEnvVar: MERGE_XRAY_TRACES,
    libraryHasArmVariant: false,
  },
} satisfies Record<string, RuntimeFamily>;

/** One runtime: its family and the Datadog library layer that serves it. */
export interface RuntimeRow {
  readonly runtime: string;
  readonly family: RuntimeFamily;
  /** Base name of the library layer (without `-ARM`); undefined for extension-only runtimes. */
  readonly libraryLayer?: string;
}

function rows(family: RuntimeFamily, entries: Array<[string, string | undefined]>): RuntimeRow[] {
  return entries.map(([runtime, libraryLayer]) => ({ runtime, family, libraryLayer }));
}

const TABLE: ReadonlyMap<string, RuntimeRow> = new Map([
  ...rows(FAMILIES.NODE, [
    ['nodejs18.x', 'Datadog-Node18-x'],
    ['nodejs20.x', 'Datadog-Node20-x'],
    ['nodejs22.x', 'Datadog-Node22-x'],
    ['nodejs24.x', 'Datadog-Node24-x'],
  ]),
  ...rows(FAMILIES.PYTHON, [
    ['python3.8', 'Datadog-Python38'],
    ['python3.9', 'Datadog-Python39'],
    ['python3.10', 'Datadog-Python310'],
    ['python3.11', 'Datadog-Python311'],
    ['python3.12', 'Datadog-Python312'],
    ['python3.13', 'Datadog-Python313'],
    ['python3.14', 'Datadog-Python314'],
  ]),
  ...rows(FAMILIES.RUBY, [
    ['ruby3.2', 'Datadog-Ruby3-2'],
    ['ruby3.3', 'Datadog-Ruby3-3'],
    ['ruby3.4', 'Datadog-Ruby3-4'],
    ['ruby4.0', 'Datadog-Ruby4-0'],
  ]),
  ...rows(FAMILIES.JAVA, [
    ['java8.al2', 'dd-trace-java'],
    ['java11', 'dd-trace-java'],
    ['java17', 'dd-trace-java'],
    ['java21', 'dd-trace-java'],
    ['java25', 'dd-trace-java'],
    ['java8.al2023', 'dd-trace-java'],
    ['java11.al2023', 'dd-trace-java'],
    ['java17.al2023', 'dd-trace-java'],
  ]),
  ...rows(FAMILIES.DOTNET, [
    ['dotnet6', 'dd-trace-dotnet'],
    ['dotnet8', 'dd-trace-dotnet'],
    // No dotnet9: .NET 9 never became a Lambda managed runtime (CloudFormation's schema rejects it).
    ['dotnet10', 'dd-trace-dotnet'],
  ]),
  ...rows(FAMILIES.PROVIDED, [
    ['provided', undefined],
    ['provided.al2', undefined],
    ['provided.al2023', undefined],
  ]),
].map((row) => [row.runtime, row] as const));

/** Lambda's name for container-image functions (`Runtime.FROM_IMAGE`). */
export const FROM_IMAGE = 'FROM_IMAGE';

/** The row for a runtime name, or undefined when Datadog publishes no layer for it. */
export function runtimeRow(runtimeName: string): RuntimeRow | undefined {
  return TABLE.get(runtimeName);
}

/** Every runtime name the table supports, for error messages and property tests. */
export function supportedRuntimeNames(): string[] {
  return [...TABLE.keys()];
}

/** Every merge flag name any runtime reads. */
export const MERGE_ENV_VARS = [MERGE_XRAY_TRACES, RUBY_MERGE_XRAY_TRACES];

export const EXTENSION_LAYER = 'Datadog-Extension';
export const DEFAULT_EXTENSION_LAYER_VERSION = 99;
export const ARM_SUFFIX = '-ARM';

/** Library layer name for this runtime and architecture (`-ARM` where Datadog publishes one). */
export function libraryLayerName(row: RuntimeRow, arm64: boolean): string | undefined {
  if (!row.libraryLayer) return undefined;
  return arm64 && row.family.libraryHasArmVariant ? row.libraryLayer + ARM_SUFFIX : row.libraryLayer;
}

/** Suffix of the extension's FIPS 140 builds (`Datadog-Extension-FIPS`, `Datadog-Extension-ARM-FIPS`). */
export const FIPS_SUFFIX = '-FIPS';

/** Extension layer name for the architecture (`-ARM`) and FIPS build (`-FIPS`, after `-ARM`). */
export function extensionLayerName(arm64: boolean, fips: boolean = false): string {
  return EXTENSION_LAYER + (arm64 ? ARM_SUFFIX : '') + (fips ? FIPS_SUFFIX : '');
}
