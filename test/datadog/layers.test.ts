import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DATADOG_LAYER_ACCOUNTS, datadogLayerArn, partitionOfRegion } from '../../lib/datadog/layers';
import { supportedRuntimeNames } from '../../lib/datadog/runtimes';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';
import { ACCOUNT, DATADOG_ACCOUNT, DATADOG_GOV_ACCOUNT, functionProps, logicalId, synthError } from '../support/fixtures';

/** runtime, library layer on x86_64, on arm64, default library version (written out, not read from lib). */
const LAYERS: Array<[string, string | undefined, string | undefined, number | undefined]> = [
  ['nodejs18.x', 'Datadog-Node18-x', 'Datadog-Node18-x', 142],
  ['nodejs20.x', 'Datadog-Node20-x', 'Datadog-Node20-x', 142],
  ['nodejs22.x', 'Datadog-Node22-x', 'Datadog-Node22-x', 142],
  ['nodejs24.x', 'Datadog-Node24-x', 'Datadog-Node24-x', 142],
  ['python3.8', 'Datadog-Python38', 'Datadog-Python38-ARM', 127],
  ['python3.9', 'Datadog-Python39', 'Datadog-Python39-ARM', 127],
  ['python3.10', 'Datadog-Python310', 'Datadog-Python310-ARM', 127],
  ['python3.11', 'Datadog-Python311', 'Datadog-Python311-ARM', 127],
  ['python3.12', 'Datadog-Python312', 'Datadog-Python312-ARM', 127],
  ['python3.13', 'Datadog-Python313', 'Datadog-Python313-ARM', 127],
  ['python3.14', 'Datadog-Python314', 'Datadog-Python314-ARM', 127],
  ['ruby3.2', 'Datadog-Ruby3-2', 'Datadog-Ruby3-2-ARM', 30],
  ['ruby3.3', 'Datadog-Ruby3-3', 'Datadog-Ruby3-3-ARM', 30],
  ['ruby3.4', 'Datadog-Ruby3-4', 'Datadog-Ruby3-4-ARM', 30],
  ['ruby4.0', 'Datadog-Ruby4-0', 'Datadog-Ruby4-0-ARM', 30],
  ['java8.al2', 'dd-trace-java', 'dd-trace-java', 27],
  ['java11', 'dd-trace-java', 'dd-trace-java', 27],
  ['java17', 'dd-trace-java', 'dd-trace-java', 27],
  ['java21', 'dd-trace-java', 'dd-trace-java', 27],
  ['java25', 'dd-trace-java', 'dd-trace-java', 27],
  ['java8.al2023', 'dd-trace-java', 'dd-trace-java', 27],
  ['java11.al2023', 'dd-trace-java', 'dd-trace-java', 27],
  ['java17.al2023', 'dd-trace-java', 'dd-trace-java', 27],
  ['dotnet6', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', 25],
  ['dotnet8', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', 25],
  ['dotnet10', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', 25],
  ['provided', undefined, undefined, undefined],
  ['provided.al2', undefined, undefined, undefined],
  ['provided.al2023', undefined, undefined, undefined],
];

type Arch = 'x86_64' | 'arm64';
const ARCHS: Arch[] = ['x86_64', 'arm64'];

/** How a partition renders a layer ARN in the template. */
interface Partition {
  readonly name: string;
  /** undefined: environment-agnostic stack. */
  readonly region?: string;
  arn(layer: string, version: number): unknown;
  /** The extension layer's ARN for the architecture, with the partition's default FIPS choice. */
  extension(arch: Arch, version: number): unknown;
}

/** The extension name Datadog publishes per architecture and FIPS build (serverless-plugin-datadog src/layers.json). */
const EXTENSION = (arch: Arch, fips: boolean) =>
  ({ x86_64: 'Datadog-Extension', arm64: 'Datadog-Extension-ARM' })[arch] + (fips ? '-FIPS' : '');

const literal = (partition: string, region: string, account: string): Partition => {
  const arn = (layer: string, version: number) => `arn:${partition}:lambda:${region}:${account}:layer:${layer}:${version}`;
  // Datadog's Node.js/Python libraries turn FIPS mode on by themselves in GovCloud, and need the FIPS extension there.
  return { name: `${partition} ${region}`, region, arn, extension: (arch, version) => arn(EXTENSION(arch, partition === 'aws-us-gov'), version) };
};

/** The version an environment-agnostic stack reads per region (absent where the layer is not published). */
const VERSION_IN_REGION = (key: string) => ({ 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, key] });

/** An environment-agnostic library layer: Datadog's account per partition, the version per region. */
const ENV_AGNOSTIC_ARN = (layer: string) => ({
  'Fn::Join': ['', [
    'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
    { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] },
    `:layer:${layer}:`,
    VERSION_IN_REGION(layer.replace(/-/g, '')),
  ]],
});

/** The extension of an environment-agnostic stack: its name, too, comes from the mapping (FIPS in GovCloud). */
const ENV_AGNOSTIC_EXTENSION = (arch: Arch) => ({
  'Fn::Join': ['', [
    'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
    { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] },
    ':layer:',
    { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, arch === 'arm64' ? 'extensionArm' : 'extension'] },
    ':',
    VERSION_IN_REGION(arch === 'arm64' ? 'DatadogExtensionARMPerPartition' : 'DatadogExtensionPerPartition'),
  ]],
});

const PARTITIONS: Partition[] = [
  literal('aws', 'us-east-1', DATADOG_ACCOUNT),
  literal('aws', 'eu-west-1', DATADOG_ACCOUNT),
  literal('aws-us-gov', 'us-gov-west-1', DATADOG_GOV_ACCOUNT),
  { name: 'environment-agnostic', arn: (layer) => ENV_AGNOSTIC_ARN(layer), extension: (arch) => ENV_AGNOSTIC_EXTENSION(arch) },
];

/** One stack per partition holding a function per runtime and architecture, synthesized once. */
function synthesizeMatrix(partition: Partition) {
  // The matrix holds deprecated runtimes on purpose; CloudFormation validation would only report those.
  const app = new App(appPropsWithoutCfnValidation());
  const stack = new Stack(app, 'Stack', partition.region ? { env: { account: ACCOUNT, region: partition.region } } : {});
  const ids = new Map<string, string>();
  for (const [runtimeName] of LAYERS) {
    for (const arch of ARCHS) {
      const runtime = new lambda.Runtime(runtimeName);
      const fn = new lambda.Function(stack, `${runtimeName}-${arch}`, functionProps(stack, runtime, {
        architecture: arch === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      }));
      ids.set(`${runtimeName}/${arch}`, logicalId(fn));
    }
  }
  // WHEN merged tracing is applied to the stack
  MergedTracing.applyTo(stack, { env: 'prod' });
  return { template: Template.fromStack(stack).toJSON(), ids };
}

const MATRIX = PARTITIONS.flatMap((partition) => LAYERS.flatMap(([runtime, x86Layer, armLayer, version]) =>
  ARCHS.map((arch) => ({ partition, runtime, arch, library: arch === 'arm64' ? armLayer : x86Layer, version }))));

describe('layer ARNs per runtime x architecture x partition', () => {
  const synthesized = new Map<Partition, ReturnType<typeof synthesizeMatrix>>();
  const matrixOf = (p: Partition) => {
    if (!synthesized.has(p)) synthesized.set(p, synthesizeMatrix(p));
    return synthesized.get(p)!;
  };

  test('the matrix covers every runtime in the table', () => {
    expect(LAYERS.map(([runtime]) => runtime)).toEqual(supportedRuntimeNames());
  });

  test.each(MATRIX.map((row) => [row.partition.name, row.runtime, row.arch, row]))(
    '%s, %s on %s: library layer then extension layer, exact ARNs',
    (_p, _r, _a, { partition, runtime, arch, library, version }) => {
      // GIVEN a function of this runtime and architecture in a stack of this partition (synthesized once)
      const { template, ids } = matrixOf(partition);
      const fn = template.Resources[ids.get(`${runtime}/${arch}`)!];
      // THEN its layers are exactly Datadog's library layer (when the runtime has one) and the extension
      const extension = partition.extension(arch, 99);
      const expected = library ? [partition.arn(library, version!), extension] : [extension];
      expect(fn.Properties.Layers).toEqual(expected);
    });

  test.each(PARTITIONS.filter((p) => p.region).map((p) => [p.name, p]))('%s: no account mapping in a stack with a concrete region',
    (_name, partition) => {
      // GIVEN / WHEN the matrix stack of a concrete region  THEN the ARNs are literals and no mapping is added
      expect(matrixOf(partition).template.Mappings).toBeUndefined();
    });

  test.each([
    ['aws', 'us-east-1'], ['aws', 'eu-west-1'], ['aws-us-gov', 'us-gov-west-1'],
  ])('environment-agnostic ARNs, as CloudFormation evaluates them in %s %s, equal the literal ARNs of that region', (partitionName, region) => {
    // GIVEN the environment-agnostic matrix and the matrix of a concrete region
    const agnostic = matrixOf(PARTITIONS.find((p) => p.region === undefined)!);
    const concrete = matrixOf(PARTITIONS.find((p) => p.region === region)!);
    // WHEN CloudFormation would evaluate the agnostic layers with that partition and region
    const evaluate = (node: any): any => {
      if (typeof node === 'string' || typeof node === 'number') return node;
      if (Array.isArray(node)) return node.map(evaluate);
      if (node.Ref === 'AWS::Partition') return partitionName;
      if (node.Ref === 'AWS::Region') return region;
      if (node['Fn::Join']) return evaluate(node['Fn::Join'][1]).join(node['Fn::Join'][0]);
      if (node['Fn::FindInMap']) {
        const [map, top, second] = evaluate(node['Fn::FindInMap']);
        return agnostic.template.Mappings[map][top][second];
      }
      throw new Error(`unexpected intrinsic ${JSON.stringify(node)}`);
    };
    // THEN every function's layers come out as the concrete region's literal ARNs
    for (const [key, id] of agnostic.ids) {
      const expected = concrete.template.Resources[concrete.ids.get(key)!].Properties.Layers;
      expect([key, evaluate(agnostic.template.Resources[id].Properties.Layers)]).toEqual([key, expected]);
    }
  });

  test('environment-agnostic, deployed in China (aws-cn): CloudFormation cannot resolve any Datadog layer', () => {
    // GIVEN the environment-agnostic matrix stack
    const { template } = matrixOf(PARTITIONS[PARTITIONS.length - 1]);
    // WHEN CloudFormation would look up Datadog's account for aws-cn
    // THEN the mapping has no aws-cn entry: Fn::FindInMap fails the deployment
    // ("Unable to get mapping for DatadogLayerAccounts::aws-cn::account") instead of loading layers that do not exist
    expect(template.Mappings.DatadogLayerAccounts['aws-cn']).toBeUndefined();
    const lookups = JSON.stringify(template.Resources).match(/"Fn::FindInMap":\["DatadogLayerAccounts",\{"Ref":"AWS::Partition"\}/g) ?? [];
    const functions = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // every layer of every function (library and extension) goes through the partition-keyed account
    expect(lookups.length).toBeGreaterThanOrEqual(functions.flatMap((f) => f.Properties.Layers).length);
  });

  test('environment-agnostic: one DatadogLayerAccounts mapping keyed by partition', () => {
    // GIVEN / WHEN the environment-agnostic matrix stack
    const { template } = matrixOf(PARTITIONS[PARTITIONS.length - 1]);
    // THEN the mapping gives Datadog's account for each partition Datadog publishes in (GovCloud's differing),
    // and the extension the libraries' FIPS default needs there
    expect({ DatadogLayerAccounts: template.Mappings.DatadogLayerAccounts }).toEqual({
      DatadogLayerAccounts: {
        'aws': { account: '464622532012', extension: 'Datadog-Extension', extensionArm: 'Datadog-Extension-ARM' },
        'aws-us-gov': { account: '002406178527', extension: 'Datadog-Extension-FIPS', extensionArm: 'Datadog-Extension-ARM-FIPS' },
      },
    });
  });
});

describe('datadogLayerArn', () => {
  test.each([
    ['us-east-1', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99'],
    ['eu-west-1', 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:99'],
    ['ap-southeast-2', 'arn:aws:lambda:ap-southeast-2:464622532012:layer:Datadog-Extension:99'],
    ['us-gov-west-1', 'arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Extension:99'],
    ['us-gov-east-1', 'arn:aws-us-gov:lambda:us-gov-east-1:002406178527:layer:Datadog-Extension:99'],
  ])('%s -> %s', (region, arn) => {
    // GIVEN a stack in the region  WHEN asking for the extension ARN  THEN it is the literal ARN
    const stack = new Stack(new App(), 'S', { env: { region } });
    expect(datadogLayerArn(stack, 'Datadog-Extension', 99)).toBe(arn);
  });

  test('a region Datadog publishes no layers in is refused with the fix', () => {
    // GIVEN a stack in an ISO partition region
    const stack = new Stack(new App(), 'S', { env: { region: 'us-iso-east-1' } });
    // WHEN / THEN
    expect(() => datadogLayerArn(stack, 'Datadog-Extension', 99)).toThrow(
      "[cdk-trace-merging] S: Datadog publishes no Lambda layers in region 'us-iso-east-1'. " +
      'Deploy this stack to a commercial or GovCloud region, or exclude its functions.');
  });

  test.each(['cn-north-1', 'cn-northwest-1'])('China (%s): refused, naming China and aws-cn, with what to do', (region) => {
    // GIVEN a stack in a China region
    const stack = new Stack(new App(), 'S', { env: { region } });
    // WHEN asking for a Datadog layer  THEN refused: Datadog publishes none there
    expect(() => datadogLayerArn(stack, 'Datadog-Extension', 99)).toThrow(
      `[cdk-trace-merging] S: deploys to ${region} in AWS China (partition aws-cn), where Datadog publishes no Lambda layers, ` +
      'so merged tracing has no Datadog library or extension to add. Deploy the traced functions to a commercial or GovCloud region, ' +
      "or leave this stack out of merged tracing (excludeConstructPaths: ['S']) and trace it with X-Ray alone.");
  });

  test('two functions of one runtime share one layer import and one mapping', () => {
    // GIVEN two Node functions in an environment-agnostic stack
    const stack = new Stack(new App(), 'S');
    new lambda.Function(stack, 'A', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    new lambda.Function(stack, 'B', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    const template = Template.fromStack(stack).toJSON();
    // THEN both carry the same two layers, and the stack holds one mapping
    const layers = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Layers);
    expect(layers).toEqual([
      [ENV_AGNOSTIC_ARN('Datadog-Node22-x'), ENV_AGNOSTIC_EXTENSION('x86_64')],
      [ENV_AGNOSTIC_ARN('Datadog-Node22-x'), ENV_AGNOSTIC_EXTENSION('x86_64')],
    ]);
    expect(Object.keys(template.Mappings).sort()).toEqual(['DatadogLayerAccounts', 'DatadogLayerVersions']);
    const imports = stack.node.children.filter((c) => c.node.id.startsWith('DatadogLayer-'));
    expect(imports.map((c) => c.node.id).sort()).toEqual(['DatadogLayer-Datadog-Node22-x-142', 'DatadogLayer-DatadogExtensionPerPartition-99']);
  });

  test('an ISO-region stack fails at synthesis naming the stack', () => {
    // GIVEN a function in an ISO region stack with merged tracing
    const stack = new Stack(new App(), 'Iso', { env: { region: 'us-isob-east-1' } });
    new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    MergedTracing.applyTo(stack, { env: 'prod' });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Iso: Datadog publishes no Lambda layers in region 'us-isob-east-1'. " +
      'Deploy this stack to a commercial or GovCloud region, or exclude its functions.');
  });

  test('a China-region stack fails at synthesis naming the stack, China and aws-cn', () => {
    // GIVEN a function in a cn-north-1 stack with merged tracing
    const stack = new Stack(new App(), 'Beijing', { env: { region: 'cn-north-1' } });
    new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    MergedTracing.applyTo(stack, { env: 'prod' });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      '[cdk-trace-merging] Beijing: deploys to cn-north-1 in AWS China (partition aws-cn), where Datadog publishes no Lambda layers, ' +
      'so merged tracing has no Datadog library or extension to add. Deploy the traced functions to a commercial or GovCloud region, ' +
      "or leave this stack out of merged tracing (excludeConstructPaths: ['Beijing']) and trace it with X-Ray alone.");
  });
});

describe('partitionOfRegion', () => {
  test.each([
    ['us-east-1', 'aws'], ['eu-central-2', 'aws'], ['us-gov-west-1', 'aws-us-gov'], ['cn-north-1', 'aws-cn'],
    // A region newer than aws-cdk-lib's region table still resolves by its name.
    ['eu-future-9', 'aws'], ['cn-future-9', 'aws-cn'], ['us-gov-future-9', 'aws-us-gov'],
    ['us-iso-east-1', undefined], ['us-isob-east-1', undefined], ['eu-isoe-west-1', undefined],
    ['us-isof-south-1', undefined], ['eusc-de-east-1', undefined], ['', undefined],
  ])('%s -> %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  test('agrees with aws-cdk-lib\'s region table for every region it knows', () => {
    // GIVEN every region aws-cdk-lib knows, and the partitions the library tells by name
    const known = new Set(['aws', 'aws-cn', 'aws-us-gov']);
    // WHEN / THEN the name-based answer is the table's partition, or undefined for the others (ISO, EUSC)
    const disagreements = RegionInfo.regions.filter((r) => r.partition !== undefined)
      .map((r) => [r.name, partitionOfRegion(r.name), known.has(r.partition!) ? r.partition : undefined])
      .filter(([, ours, table]) => ours !== table);
    expect(disagreements).toEqual([]);
    expect(RegionInfo.regions.length).toBeGreaterThan(30);
  });

  test('the account table is Datadog\'s: one account for commercial, another for GovCloud, none for China', () => {
    expect(DATADOG_LAYER_ACCOUNTS).toEqual({ 'aws': '464622532012', 'aws-us-gov': '002406178527' });
  });
});
