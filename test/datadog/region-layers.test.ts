import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MergedTracingOptions } from '../../lib';
import { layerInRegion, LAYER_REGIONS } from '../../lib/datadog/region-layers';
import { extensionLayerName, libraryLayerName, runtimeRow, supportedRuntimeNames } from '../../lib/datadog/runtimes';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { appPropsWithoutCfnValidation } from '../support/cdk-features';
import { extensionListKey, layerListKey, REGION_LAYER_FACTS } from '../support/datadog-facts';
import { ACCOUNT, ackWarning, functionProps, logicalId, synthError } from '../support/fixtures';

const ARM = lambda.Architecture.ARM_64;

describe('the per-region table agrees with Datadog\'s published list', () => {
  test('33 commercial and 2 GovCloud regions, the same as the list', () => {
    // GIVEN the library's regions and the fact table's  WHEN compared  THEN the same 35
    expect([...LAYER_REGIONS].sort()).toEqual(REGION_LAYER_FACTS.map((f) => f.region).sort());
    expect(LAYER_REGIONS.filter((r) => r.startsWith('us-gov-'))).toHaveLength(2);
    expect(LAYER_REGIONS.filter((r) => !r.startsWith('us-gov-'))).toHaveLength(33);
  });

  test.each(REGION_LAYER_FACTS.map((f) => [f.region, f]))('%s: every library layer and extension build, published or not, and its version', (_r, fact) => {
    // GIVEN every library layer (runtime x architecture) and extension build, by the list's key for it
    const disagreements: string[] = [];
    const compare = (key: string, layerName: string) => {
      const answer = layerInRegion(fact.region, layerName);
      if (answer.published === fact.missing.includes(key)) disagreements.push(`${key} (${layerName}) published: ${answer.published}`);
      if (answer.laggingVersion !== fact.lagging?.[key]) disagreements.push(`${key} (${layerName}) lagging: ${answer.laggingVersion}`);
    };
    for (const runtime of supportedRuntimeNames()) {
      for (const arm64 of [false, true]) {
        const key = layerListKey(runtime, arm64);
        if (key) compare(key, libraryLayerName(runtimeRow(runtime)!, arm64)!);
      }
    }
    for (const arm64 of [false, true]) for (const fips of [false, true]) compare(extensionListKey(arm64, fips), extensionLayerName(arm64, fips));
    // THEN the library says what the list says: published or not, and the lagging version
    expect(disagreements).toEqual([]);
  });

  test('a region the list does not have is reported as not listed', () => {
    // GIVEN me-south-1, an AWS region Datadog's list does not have  WHEN asked  THEN not listed (layers assumed, with a warning)
    expect(layerInRegion('me-south-1', 'Datadog-Extension')).toEqual({ regionListed: false, published: true });
  });
});

/** A stack in `region` with one function of `runtime`, traced with `options`. */
function tracedIn(region: string | undefined, runtime: lambda.Runtime, options: Partial<MergedTracingOptions> = {},
  architecture?: lambda.Architecture) {
  const app = new App(appPropsWithoutCfnValidation());
  const stack = new Stack(app, 'Stack', region ? { env: { account: ACCOUNT, region } } : {});
  const fn = new lambda.Function(stack, 'Fn', functionProps(stack, runtime, { architecture }));
  MergedTracing.applyTo(stack, { env: 'prod', ...options });
  return { stack, fn };
}

function layersOf(stack: Stack, fn: lambda.Function): unknown[] {
  return Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties.Layers;
}

describe('a stack with a concrete region', () => {
  const NODE_AND_PYTHON = 'Node.js (nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x), '
    + 'Python (python3.8, python3.9, python3.10, python3.11, python3.12, python3.13, python3.14), custom (provided) (provided, provided.al2, provided.al2023)';
  test.each([
    ['ap-east-2', lambda.Runtime.JAVA_21, 'java21', 'dd-trace-java', NODE_AND_PYTHON],
    ['ap-southeast-6', lambda.Runtime.DOTNET_8, 'dotnet8', 'dd-trace-dotnet', NODE_AND_PYTHON],
    ['ap-east-2', lambda.Runtime.RUBY_3_4, 'ruby3.4', 'Datadog-Ruby3-4', NODE_AND_PYTHON],
    // Everything but Ruby 4.0 is published in me-central-1: the fix names it all, not Node.js and Python alone
    ['me-central-1', new lambda.Runtime('ruby4.0', lambda.RuntimeFamily.RUBY), 'ruby4.0', 'Datadog-Ruby4-0', 'Node.js (nodejs18.x, nodejs20.x, nodejs22.x, '
      + 'nodejs24.x), Python (python3.8, python3.9, python3.10, python3.11, python3.12, python3.13, python3.14), Ruby (ruby3.2, ruby3.3, ruby3.4), '
      + 'Java (java8.al2, java11, java17, java21, java25, java8.al2023, java11.al2023, java17.al2023), .NET (dotnet6, dotnet8, dotnet10), '
      + 'custom (provided) (provided, provided.al2, provided.al2023)'],
  ])('%s, %s: refused, naming the function, runtime, region, the missing layer, the runtimes published there and the exclusion', (region, runtime, runtimeName, layer, published) => {
    // GIVEN a function whose library layer Datadog does not publish in the region
    const { stack } = tracedIn(region, runtime);
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      `[cdk-trace-merging] Stack/Fn: uses runtime ${runtimeName} in ${region}, where Datadog does not publish the layer ${layer}, ` +
      'so the function would deploy with a layer that does not exist. Deploy this stack to a region that has the layer ' +
      `(Datadog's per-region list: serverless-plugin-datadog src/layers.json), move the function to a runtime Datadog publishes in ${region} for x86_64: ` +
      `${published}; or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).`);
  });

  test('ap-east-2, Node.js and Python: their layers are published there', () => {
    // GIVEN / WHEN an arm64 Python function traced in ap-east-2  THEN the usual layers, from that region
    const { stack, fn } = tracedIn('ap-east-2', lambda.Runtime.PYTHON_3_13, {}, ARM);
    expect(layersOf(stack, fn)).toEqual([
      'arn:aws:lambda:ap-east-2:464622532012:layer:Datadog-Python313-ARM:127',
      'arn:aws:lambda:ap-east-2:464622532012:layer:Datadog-Extension-ARM:99',
    ]);
  });

  test('me-central-1, arm64 with fips: the FIPS ARM extension at 98, the newest version published there', () => {
    // GIVEN / WHEN an arm64 function with fips: true in me-central-1  THEN the default version is the region's
    const { stack, fn } = tracedIn('me-central-1', lambda.Runtime.NODEJS_22_X, { fips: true }, ARM);
    expect(layersOf(stack, fn)).toEqual([
      'arn:aws:lambda:me-central-1:464622532012:layer:Datadog-Node22-x:142',
      'arn:aws:lambda:me-central-1:464622532012:layer:Datadog-Extension-ARM-FIPS:98',
    ]);
  });

  test('me-central-1, an extensionLayerVersion the user pinned is kept', () => {
    // GIVEN / WHEN the same with extensionLayerVersion: 99  THEN the user's version
    const { stack, fn } = tracedIn('me-central-1', lambda.Runtime.NODEJS_22_X, { fips: true, extensionLayerVersion: 99 }, ARM);
    expect(layersOf(stack, fn)[1]).toBe('arn:aws:lambda:me-central-1:464622532012:layer:Datadog-Extension-ARM-FIPS:99');
  });

  test('a region Datadog\'s list does not have: one warning on the stack that the layers may not exist there yet', () => {
    // GIVEN two functions in me-south-1, which the list does not have
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'me-south-1' } });
    const fn = new lambda.Function(stack, 'A', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    new lambda.Function(stack, 'B', functionProps(stack, lambda.Runtime.NODEJS_22_X));
    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod' });
    // THEN the layers are the defaults, and the stack carries the warning once
    expect(layersOf(stack, fn)).toEqual([
      'arn:aws:lambda:me-south-1:464622532012:layer:Datadog-Node22-x:142',
      'arn:aws:lambda:me-south-1:464622532012:layer:Datadog-Extension:99',
    ]);
    const warnings = Annotations.fromStack(stack).findWarning('*', ackWarning('LayersRegionNotListed',
      "Datadog's published layer list (August 2026) does not have me-south-1, so its Datadog layers may not exist there yet and " +
      'the functions of this stack may fail to deploy. Check that Datadog publishes the layers in this region (serverless-plugin-datadog ' +
      'src/layers.json), then acknowledge this warning.'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack']);
  });

  test('a listed region draws no LayersRegionNotListed warning', () => {
    // GIVEN / WHEN a function in ap-east-2  THEN no warning about the region
    const { stack } = tracedIn('ap-east-2', lambda.Runtime.NODEJS_22_X);
    expect(Annotations.fromStack(stack).findWarning('*', /LayersRegionNotListed/)).toEqual([]);
  });
});

describe('an environment-agnostic stack: CloudFormation fails clearly where a layer does not exist', () => {
  /** What Fn::FindInMap on the stack's DatadogLayerVersions gives for a region, or the error CloudFormation reports. */
  function versionLookup(stack: Stack, region: string, key: string): string {
    const mapping = Template.fromStack(stack).toJSON().Mappings.DatadogLayerVersions;
    return mapping[region]?.[key] ?? `Unable to get mapping for DatadogLayerVersions::${region}::${key}`;
  }

  test('Java: a version in every region that has dd-trace-java, none in ap-east-2 and ap-southeast-6', () => {
    // GIVEN / WHEN a Java function in an environment-agnostic stack  THEN its version mapping has no entry where the layer is missing
    const { stack } = tracedIn(undefined, lambda.Runtime.JAVA_21);
    expect(versionLookup(stack, 'us-east-1', 'ddtracejava')).toBe('27');
    expect(versionLookup(stack, 'ap-east-2', 'ddtracejava')).toBe('Unable to get mapping for DatadogLayerVersions::ap-east-2::ddtracejava');
    expect(versionLookup(stack, 'ap-southeast-6', 'ddtracejava')).toBe('Unable to get mapping for DatadogLayerVersions::ap-southeast-6::ddtracejava');
    // the extension is published in both
    expect(versionLookup(stack, 'ap-east-2', 'DatadogExtensionPerPartition')).toBe('99');
  });

  test('a region the list does not have: no entry at all, so every layer lookup fails', () => {
    // GIVEN / WHEN a Node.js function in an environment-agnostic stack  THEN the mapping holds exactly the listed regions
    const { stack } = tracedIn(undefined, lambda.Runtime.NODEJS_22_X);
    expect(versionLookup(stack, 'me-south-1', 'DatadogNode22x')).toBe('Unable to get mapping for DatadogLayerVersions::me-south-1::DatadogNode22x');
    expect(Object.keys(Template.fromStack(stack).toJSON().Mappings.DatadogLayerVersions).sort()).toEqual([...LAYER_REGIONS].sort());
  });

  test('fips on arm64: 98 in me-central-1, 99 elsewhere; a pinned version is the pin wherever the layer is published', () => {
    // GIVEN / WHEN arm64 functions with fips: true, the default extension version and a pinned one  THEN
    const lagging = tracedIn(undefined, lambda.Runtime.NODEJS_22_X, { fips: true }, ARM).stack;
    expect(versionLookup(lagging, 'me-central-1', 'DatadogExtensionARMFIPS')).toBe('98');
    expect(versionLookup(lagging, 'eu-west-1', 'DatadogExtensionARMFIPS')).toBe('99');
    const pinned = tracedIn(undefined, lambda.Runtime.NODEJS_22_X, { fips: true, extensionLayerVersion: 97 }, ARM).stack;
    expect(new Set(LAYER_REGIONS.map((r) => versionLookup(pinned, r, 'DatadogExtensionARMFIPSV97')))).toEqual(new Set(['97']));
  });

  test('ruby4.0: no version in me-central-1', () => {
    // GIVEN / WHEN a ruby4.0 function in an environment-agnostic stack  THEN no entry for me-central-1, one for GovCloud
    const { stack } = tracedIn(undefined, new lambda.Runtime('ruby4.0', lambda.RuntimeFamily.RUBY));
    expect(versionLookup(stack, 'me-central-1', 'DatadogRuby40')).toBe('Unable to get mapping for DatadogLayerVersions::me-central-1::DatadogRuby40');
    expect(versionLookup(stack, 'us-gov-west-1', 'DatadogRuby40')).toBe('30');
  });
});
