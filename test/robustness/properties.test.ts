/**
 * Property tests over random options and function shapes, valid and invalid. For every draw the
 * synthesis either succeeds with the merged-tracing invariants, or throws a MergedTracingError:
 * never another error, never a silent skip. An independent oracle says which of the two each draw must
 * give: it reads Datadog's facts from test/support/datadog-facts.ts (written from Datadog's published layer
 * lists and library sources) and Lambda's rules, never lib/, so a wrong row in the library fails it.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as fc from 'fast-check';
import { DatadogTracedFunction, MergedTracingOptions, TracingMode } from '../../lib';
import { MergedTracingError } from '../../lib/common/errors';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import {
  DEFAULT_EXTENSION_VERSION, EXTENSION_LAYERS, fipsByDefault, LAYER_ACCOUNTS, runtimeFact, RUNTIME_FACTS, SITES,
} from '../support/datadog-facts';
import { ACCOUNT, functionProps, logicalId, refusalsIn } from '../support/fixtures';
import { PLAINTEXT_KEY_SENTINEL } from '../support/template-checks';

const NUM_RUNS = 40;
/** Region -> partition for the regions drawn; undefined: a partition outside aws, aws-cn and aws-us-gov. */
const REGIONS: Record<string, string | undefined> = {
  'us-east-1': 'aws',
  'eu-central-2': 'aws',
  'ap-southeast-5': 'aws',
  'cn-north-1': 'aws-cn',
  'us-gov-west-1': 'aws-us-gov',
  'us-iso-east-1': undefined,
};
/** Datadog's layer account for a drawn region, or undefined where it publishes no layers (China, ISO). */
const layerAccountOf = (region: string) => (REGIONS[region] === undefined ? undefined : LAYER_ACCOUNTS[REGIONS[region]!]);
/** The MergedTracingOptions field of a runtime's library layer version (the library's API, by runtime prefix). */
const VERSION_OPTIONS: Array<[string, string]> = [
  ['nodejs', 'nodeLayerVersion'], ['python', 'pythonLayerVersion'], ['ruby', 'rubyLayerVersion'], ['java', 'javaLayerVersion'], ['dotnet', 'dotnetLayerVersion'],
];
const versionOptionOf = (runtime: string) => VERSION_OPTIONS.find(([prefix]) => runtime.startsWith(prefix))?.[1];
const UNSUPPORTED_RUNTIMES = ['nodejs16.x', 'nodejs14.x', 'python3.7', 'ruby2.7', 'go1.x', 'dotnetcore3.1', 'java8', 'cobol1.0'];
const XRAY_WRITE = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };
/** The key resources' ARNs in the drawn region's partition (a key in another partition is refused: no grant reaches it). */
const partitionOf = (d: Draw) => (d.region === TOKEN ? 'aws' : RegionInfo.get(d.region).partition ?? 'aws');
const SECRET_ARN = (d: Draw) => `arn:${partitionOf(d)}:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf`;
const SSM_ARN = (d: Draw) => `arn:${partitionOf(d)}:ssm:us-east-1:123456789012:parameter/datadog/api-key`;
const KEY_ARN = (d: Draw) => `arn:${partitionOf(d)}:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TOKEN = '<token>';

type KeySource = 'secret' | 'secretArn' | 'ssm' | 'kms' | 'plaintext';

/** One draw: what the app looks like, in plain data (so fast-check can shrink and print it). */
interface Draw {
  readonly runtime: string; // a runtime name, or 'FROM_IMAGE'
  readonly arm64: boolean;
  readonly region: string; // TOKEN: environment-agnostic stack
  readonly env: string; // TOKEN: a CfnParameter
  readonly site?: string;
  readonly mode?: string;
  readonly keys: KeySource[];
  /** apiKmsKeyEncryptionKey given (needed with, and refused without, apiKmsKey). */
  readonly kmsKeyGiven?: boolean;
  /** allowPlaintextApiKey: true (needed with, and refused without, apiKey). */
  readonly allowPlaintext?: boolean;
  readonly extensionLayerVersion?: number;
  readonly libraryLayerVersion?: number;
  /** allowNewerLayerVersions: versions above the newest Datadog published are refused without it. */
  readonly allowNewer?: boolean;
  readonly existingLayers: number;
  readonly userMergeFlag?: string;
  /** The fips option: a boolean, or (a mistake) the string a config file would give. */
  readonly fips?: boolean | string;
  /** Traced by the MergedTracing aspect, or a DatadogTracedFunction with its own options (not for images). */
  readonly viaTracedFunction?: boolean;
}

const draws: fc.Arbitrary<Draw> = fc.record({
  runtime: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...RUNTIME_FACTS.map((f) => f.runtime)) },
    { weight: 1, arbitrary: fc.constantFrom(...UNSUPPORTED_RUNTIMES) },
    { weight: 1, arbitrary: fc.constant('FROM_IMAGE') }),
  arm64: fc.boolean(),
  region: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...Object.keys(REGIONS).filter((r) => REGIONS[r]), TOKEN) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(REGIONS).filter((r) => !REGIONS[r])) }),
  env: fc.oneof(
    { weight: 12, arbitrary: fc.stringMatching(/^[a-z0-9_\-:./]{1,24}$/) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Prod', 'e'.repeat(200), 'e'.repeat(201), TOKEN) }),
  site: fc.option(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...SITES) },
    { weight: 1, arbitrary: fc.constantFrom('datadoghq.co', 'app.datadoghq.com', '') }), { nil: undefined }),
  mode: fc.option(fc.oneof({ weight: 12, arbitrary: fc.constantFrom<string>(TracingMode.SERVERLESS, TracingMode.HYBRID) },
    { weight: 1, arbitrary: fc.constant('XRAY_ONLY') }), { nil: undefined }),
  keys: fc.oneof({ weight: 12, arbitrary: fc.subarray<KeySource>(['secret', 'secretArn', 'ssm', 'kms', 'plaintext'], { maxLength: 1 }) },
    { weight: 1, arbitrary: fc.subarray<KeySource>(['secret', 'secretArn', 'ssm', 'kms', 'plaintext'], { minLength: 2, maxLength: 2 }) }),
  // Mostly what the key source needs; sometimes the mistake (missing, or given without the source).
  keyMistake: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('kms', 'plaintext') }),
  extensionLayerVersion: fc.option(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -3, 2.5) }), { nil: undefined }),
  libraryLayerVersion: fc.option(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 7.25) }), { nil: undefined }),
  allowNewer: fc.boolean(),
  existingLayers: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
  viaTracedFunction: fc.boolean(),
  userMergeFlag: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('true', 'false') }),
  fips: fc.option(fc.oneof({ weight: 12, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant('false') }), { nil: undefined }),
}, { requiredKeys: ['runtime', 'arm64', 'region', 'env', 'keys', 'existingLayers', 'keyMistake', 'userMergeFlag'] }).map(({ keyMistake, ...d }): Draw => ({
  ...d,
  kmsKeyGiven: d.keys.includes('kms') !== (keyMistake === 'kms'),
  allowPlaintext: d.keys.includes('plaintext') !== (keyMistake === 'plaintext'),
}));

/** A layer version the options accept: a whole number from 1, and no newer than Datadog's newest unless allowed. */
const isVersion = (v: number | undefined, newest: number | undefined, allowNewer: boolean | undefined) =>
  v === undefined || (Number.isInteger(v) && v >= 1 && (allowNewer === true || newest === undefined || v <= newest));

/** The oracle: whether Datadog's and Lambda's rules allow this draw. */
function shouldSucceed(d: Draw): boolean {
  const fact = runtimeFact(d.runtime);
  const image = d.runtime === 'FROM_IMAGE';
  const tracesOn = d.mode === TracingMode.HYBRID ? 'false' : 'true';
  const newLayers = image ? 0 : 1 + (fact?.x86Layer ? 1 : 0);
  const keyCount = d.keys.length;
  return (d.env === TOKEN || (/^[a-z0-9_\-:./]+$/.test(d.env) && d.env.length <= 200))
    && (d.site === undefined || SITES.includes(d.site))
    && (d.mode === undefined || d.mode === TracingMode.SERVERLESS || d.mode === TracingMode.HYBRID)
    && (d.fips === undefined || typeof d.fips === 'boolean')
    && keyCount <= 1
    && d.keys.includes('kms') === (d.kmsKeyGiven ?? false)
    && d.keys.includes('plaintext') === (d.allowPlaintext ?? false)
    // The library layer version option only exists (and is only set) for runtimes with a library layer.
    && isVersion(d.extensionLayerVersion, DEFAULT_EXTENSION_VERSION, d.allowNewer)
    && (!versionOptionOf(d.runtime) || isVersion(d.libraryLayerVersion, fact?.defaultVersion, d.allowNewer))
    && (image || fact !== undefined)
    // Datadog publishes no layers in China or the ISO partitions: only images (no layers) pass there.
    && (image || d.region === TOKEN || layerAccountOf(d.region) !== undefined)
    && (image || d.existingLayers + newLayers <= 5)
    // A user DD_MERGE_XRAY_TRACES that disagrees with the mode breaks the merge where Datadog's code reads it
    // (Node.js, Python, Go; images get it too); Ruby reads its own name, Java and .NET read none.
    && (d.userMergeFlag === undefined || d.userMergeFlag === tracesOn || (!image && fact?.mergeVar !== 'DD_MERGE_XRAY_TRACES'));
}

/** Builds the app of a draw; returns the stack and the function (construction may throw). */
function build(d: Draw, app = new App(), stackId = 'Stack', fnId = 'Fn') {
  const existing = app.node.tryFindChild(stackId) as Stack | undefined;
  const stack = existing ?? new Stack(app, stackId, d.region === TOKEN ? {} : { env: { account: ACCOUNT, region: d.region } });
  const runtime = d.runtime === 'FROM_IMAGE' ? undefined : new lambda.Runtime(d.runtime);
  const architecture = d.arm64 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
  const environment = d.userMergeFlag !== undefined ? { DD_MERGE_XRAY_TRACES: d.userMergeFlag } : undefined;
  const layers = Array.from({ length: d.existingLayers }, (_, i) =>
    lambda.LayerVersion.fromLayerVersionArn(stack, `Own${i}`, `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:own${i}:1`));
  const options: Record<string, unknown> = {
    env: d.env === TOKEN ? new CfnParameter(stack, 'DdEnv').valueAsString : d.env,
    site: d.site,
    mode: d.mode,
    extensionLayerVersion: d.extensionLayerVersion,
    allowNewerLayerVersions: d.allowNewer,
    fips: d.fips,
  };
  const versionOption = versionOptionOf(d.runtime);
  if (versionOption) options[versionOption] = d.libraryLayerVersion;
  for (const key of d.keys) Object.assign(options, keyOptions(stack, key, d));
  if (d.kmsKeyGiven) options.apiKmsKeyEncryptionKey = importOnce(stack, 'Key', () => kms.Key.fromKeyArn(stack, 'Key', KEY_ARN(d)));
  if (d.allowPlaintext) options.allowPlaintextApiKey = true;
  const props = runtime ? functionProps(stack, runtime, { architecture, environment, layers }) : undefined;
  let fn: lambda.Function;
  if (props && d.viaTracedFunction) {
    fn = new DatadogTracedFunction(stack, fnId, { ...props, mergedTracing: options as unknown as MergedTracingOptions });
  } else {
    fn = props
      ? new lambda.Function(stack, fnId, props)
      : new lambda.DockerImageFunction(stack, fnId, {
        code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')), architecture, environment,
      });
    if (!existing) MergedTracing.applyTo(stack, options as unknown as MergedTracingOptions);
  }
  return { stack, fn };
}

function keyOptions(stack: Stack, key: KeySource, d: Draw): Partial<MergedTracingOptions> {
  switch (key) {
    case 'secret': return { apiKeySecret: importOnce(stack, 'DatadogKey', () => new secretsmanager.Secret(stack, 'DatadogKey')) };
    case 'secretArn': return { apiKeySecretArn: SECRET_ARN(d) };
    case 'ssm': return { apiKeySsmArn: SSM_ARN(d) };
    case 'kms': return { apiKmsKey: 'AQICAHhCiphertext0==' };
    case 'plaintext': return { apiKey: PLAINTEXT_KEY_SENTINEL };
  }
}

function importOnce<T>(stack: Stack, id: string, create: () => T): T {
  return (stack.node.tryFindChild(id) as T | undefined) ?? create();
}

/** The ARN CloudFormation ends up with for a Datadog layer, in the template's form (name: literal, or a mapping key). */
function expectedLayerArn(d: Draw, name: string | { mappingKey: string }, version: number, pinned: boolean): unknown {
  if (d.region !== TOKEN) {
    const partition = REGIONS[d.region]!;
    return `arn:${partition}:lambda:${d.region}:${LAYER_ACCOUNTS[partition]}:layer:${name as string}:${version}`;
  }
  const lookup = (key: string) => ({ 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, key] });
  // The version per region (test/datadog/region-layers.test.ts): keyed by the layer, a pinned version by its value too.
  const versionKey = (typeof name === 'string' ? name.replace(/-/g, '') : `DatadogExtension${name.mappingKey === 'extensionArm' ? 'ARM' : ''}PerPartition`)
    + (pinned ? `V${version}` : '');
  const versionLookup = { 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, versionKey] };
  const prefix = ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', lookup('account')];
  return {
    'Fn::Join': ['', typeof name === 'string'
      ? [...prefix, `:layer:${name}:`, versionLookup]
      : [...prefix, ':layer:', lookup(name.mappingKey), ':', versionLookup]],
  };
}

/**
 * The extension a draw must get: the FIPS build when fips is on (the option, else Datadog's libraries' default
 * in the region); an environment-agnostic stack without the option looks the name up per partition.
 */
function expectedExtension(d: Draw): string | { mappingKey: string } {
  const arch = d.arm64 ? 'arm64' : 'x86_64';
  if (d.fips === undefined && d.region === TOKEN) return { mappingKey: d.arm64 ? 'extensionArm' : 'extension' };
  const fips = typeof d.fips === 'boolean' ? d.fips : fipsByDefault(d.region);
  return fips ? EXTENSION_LAYERS[arch].fips : EXTENSION_LAYERS[arch].standard;
}

/** DD_LAMBDA_FIPS_MODE a draw must get: set only where the option differs from the libraries' default (always when env-agnostic). */
function expectedFipsMode(d: Draw): string | undefined {
  if (typeof d.fips !== 'boolean') return undefined;
  return d.region === TOKEN || fipsByDefault(d.region) !== d.fips ? String(d.fips) : undefined;
}

/** The invariants of a successfully instrumented function. */
function expectInvariants(d: Draw, stack: Stack, fn: lambda.Function): void {
  const template = Template.fromStack(stack).toJSON();
  const props = template.Resources[logicalId(fn)].Properties;
  const fact = runtimeFact(d.runtime);
  const image = d.runtime === 'FROM_IMAGE';
  const tracesOn = d.mode === TracingMode.HYBRID ? 'false' : 'true';

  // Active tracing.
  expect(props.TracingConfig).toEqual({ Mode: 'Active' });

  // The right layers for runtime, architecture and partition, after the function's own.
  const own = Array.from({ length: d.existingLayers }, (_, i) => `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:own${i}:1`);
  if (!fact) {
    expect(props.Layers).toBeUndefined();
  } else {
    const library = d.arm64 ? fact.armLayer : fact.x86Layer;
    const datadog = [
      ...(library ? [expectedLayerArn(d, library, d.libraryLayerVersion ?? fact.defaultVersion!, d.libraryLayerVersion !== undefined)] : []),
      expectedLayerArn(d, expectedExtension(d), d.extensionLayerVersion ?? DEFAULT_EXTENSION_VERSION, d.extensionLayerVersion !== undefined),
    ];
    expect(props.Layers).toEqual([...own, ...datadog]);
  }

  // The Datadog variables, and the merge flag the runtime reads matching the mode.
  const vars = props.Environment.Variables;
  expect(vars.DD_ENV).toEqual(d.env === TOKEN ? { Ref: 'DdEnv' } : d.env);
  expect(vars.DD_SITE).toBe(d.site ?? 'datadoghq.com');
  expect(vars.DD_TRACE_ENABLED).toBe(tracesOn);
  expect(vars.DD_LAMBDA_FIPS_MODE).toBe(expectedFipsMode(d));
  const mergeVar = image ? 'DD_MERGE_XRAY_TRACES' : fact!.mergeVar;
  if (mergeVar) {
    expect(vars[mergeVar]).toBe(tracesOn);
  } else {
    // Java, .NET: no merge variable (nothing reads one); only the user's own stays.
    expect([vars.DD_MERGE_XRAY_TRACES, vars.DD_MERGE_DATADOG_XRAY_TRACES]).toEqual([d.userMergeFlag, undefined]);
  }

  // The API key: one variable, and grants on that one resource only, never a wildcard action.
  // (Functions of one stack share one policy, so look for the policies attached to this function's role.)
  const roleRef = JSON.stringify({ Ref: logicalId(fn.role!) });
  const statements = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: unknown) => JSON.stringify(role) === roleRef))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  const keyGrant = (() => {
    switch (d.keys[0]) {
      case 'secret': {
        const secret = stack.node.findChild('DatadogKey');
        return { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: logicalId(secret) } };
      }
      case 'secretArn': return { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: SECRET_ARN(d) };
      case 'ssm': return { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: SSM_ARN(d) };
      case 'kms': return { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN(d) };
      default: return undefined;
    }
  })();
  const expectedStatements = keyGrant ? [XRAY_WRITE, keyGrant] : [XRAY_WRITE];
  expect(statements).toHaveLength(expectedStatements.length);
  expect(statements).toEqual(expect.arrayContaining(expectedStatements));
  const keyVars = ['DD_API_KEY_SECRET_ARN', 'DD_API_KEY_SSM_ARN', 'DD_KMS_API_KEY', 'DD_API_KEY'].filter((k) => vars[k] !== undefined);
  expect(keyVars).toEqual(({
    secret: ['DD_API_KEY_SECRET_ARN'], secretArn: ['DD_API_KEY_SECRET_ARN'], ssm: ['DD_API_KEY_SSM_ARN'], kms: ['DD_KMS_API_KEY'], plaintext: ['DD_API_KEY'],
  } as Record<string, string[]>)[d.keys[0]] ?? []);
}

describe('property: synthesis succeeds with the invariants, or fails with a MergedTracingError', () => {
  test('random options and function shapes', () => {
    fc.assert(fc.property(draws, (d) => {
      let built: ReturnType<typeof build> | undefined;
      let error: unknown;
      try {
        built = build(d);
        Template.fromStack(built.stack);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        // Never a crash: only our errors (thrown, or refusals CDK's validation lists together), each naming a
        // construct, and only where the rules forbid the draw.
        const refusals = error instanceof MergedTracingError ? error.message : refusalsIn(String((error as Error).message));
        if (!refusals.startsWith('[cdk-trace-merging]')) throw error;
        for (const refusal of refusals.split('\n')) expect(refusal).toMatch(/^\[cdk-trace-merging\] \S+: /);
        expect(shouldSucceed(d)).toBe(false);
        return;
      }
      expect(shouldSucceed(d)).toBe(true);
      expectInvariants(d, built!.stack, built!.fn as lambda.Function);
    }), { numRuns: NUM_RUNS });
  });

  test('every supported runtime on both architectures, partitions in rotation', () => {
    // GIVEN every runtime of the table on x86_64 and arm64, spread over commercial and GovCloud regions and an
    // environment-agnostic stack (so each partition sees every family), in one app synthesized once
    const app = new App();
    const regions = ['us-east-1', 'eu-central-2', 'us-gov-west-1', TOKEN];
    const cases: Array<{ d: Draw; stack: Stack; fn: lambda.Function }> = [];
    RUNTIME_FACTS.map((f) => f.runtime).forEach((runtime, i) => {
      for (const arm64 of [false, true]) {
        const region = regions[(i + (arm64 ? 1 : 0)) % regions.length];
        const d: Draw = { runtime, arm64, region, env: 'prod', keys: ['ssm'], existingLayers: 0 };
        const stackId = `In${region === TOKEN ? 'Any' : region.replace(/\W/g, '')}`;
        const { stack, fn } = build(d, app, stackId, `${runtime.replace(/\W/g, '')}${arm64 ? 'Arm' : 'X86'}`);
        cases.push({ d, stack, fn: fn as lambda.Function });
      }
    });
    // WHEN synthesized THEN every function has the invariants
    for (const { d, stack, fn } of cases) expectInvariants(d, stack, fn);
    expect(cases).toHaveLength(RUNTIME_FACTS.length * 2);
  });

  test('the random draws exercise both outcomes', () => {
    // A property that only ever fails (or only succeeds) proves little: check the mix of the arbitrary.
    const sample = fc.sample(draws, { numRuns: 400, seed: 42 });
    const valid = sample.filter(shouldSucceed).length;
    expect(valid).toBeGreaterThan(100);
    expect(valid).toBeLessThan(300);
  });
});
