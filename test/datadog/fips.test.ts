import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MergedTracingOptions } from '../../lib';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { ACCOUNT, errorOf, logicalId, plainFunction, synthError } from '../support/fixtures';

// Facts, from Datadog's sources (not from lib/): the FIPS extension builds are Datadog-Extension-FIPS and
// Datadog-Extension-ARM-FIPS (serverless-plugin-datadog src/layers.json, keys extension-fips / extension-arm-fips);
// datadog-lambda-js src/utils/fips.ts and datadog-lambda-python datadog_lambda/fips.py default
// DD_LAMBDA_FIPS_MODE to true when AWS_REGION starts with 'us-gov-', false elsewhere.
const GOV = (name: string) => `arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:${name}:99`;
const COMMERCIAL = (name: string) => `arn:aws:lambda:us-east-1:464622532012:layer:${name}:99`;

/** One Node.js function per architecture in a stack of `region` (undefined: environment-agnostic), traced with `options`. */
function traced(region: string | undefined, options: Partial<MergedTracingOptions> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', region ? { env: { account: ACCOUNT, region } } : {});
  const x86 = plainFunction(stack, 'X86');
  const arm = plainFunction(stack, 'Arm', { architecture: lambda.Architecture.ARM_64 });
  MergedTracing.applyTo(stack, { env: 'prod', ...options });
  const template = Template.fromStack(stack).toJSON();
  const props = (fn: lambda.Function) => template.Resources[logicalId(fn)].Properties;
  return {
    stack,
    template,
    extensions: [props(x86).Layers.at(-1), props(arm).Layers.at(-1)],
    fipsMode: [props(x86).Environment.Variables.DD_LAMBDA_FIPS_MODE, props(arm).Environment.Variables.DD_LAMBDA_FIPS_MODE],
  };
}

describe('FIPS: extension build and DD_LAMBDA_FIPS_MODE per region and option', () => {
  test.each<[string, string, boolean | undefined, string[], Array<string | undefined>]>([
    ['GovCloud, default', 'us-gov-west-1', undefined,
      [GOV('Datadog-Extension-FIPS'), GOV('Datadog-Extension-ARM-FIPS')], [undefined, undefined]],
    ['GovCloud, fips: true (the libraries\' default there)', 'us-gov-west-1', true,
      [GOV('Datadog-Extension-FIPS'), GOV('Datadog-Extension-ARM-FIPS')], [undefined, undefined]],
    ['GovCloud, fips: false', 'us-gov-west-1', false,
      [GOV('Datadog-Extension'), GOV('Datadog-Extension-ARM')], ['false', 'false']],
    ['commercial, default', 'us-east-1', undefined,
      [COMMERCIAL('Datadog-Extension'), COMMERCIAL('Datadog-Extension-ARM')], [undefined, undefined]],
    ['commercial, fips: false (the libraries\' default there)', 'us-east-1', false,
      [COMMERCIAL('Datadog-Extension'), COMMERCIAL('Datadog-Extension-ARM')], [undefined, undefined]],
    ['commercial, fips: true', 'us-east-1', true,
      [COMMERCIAL('Datadog-Extension-FIPS'), COMMERCIAL('Datadog-Extension-ARM-FIPS')], ['true', 'true']],
  ])('%s: extensions %j, DD_LAMBDA_FIPS_MODE %j', (_name, region, fips, extensions, fipsMode) => {
    // GIVEN an x86_64 and an arm64 function in the region  WHEN traced with the fips option
    const result = traced(region, { fips });
    // THEN the extension is the FIPS build exactly when FIPS is on, and the variable is set only where
    // the option differs from what Datadog's libraries assume in the region
    expect(result.extensions).toEqual(extensions);
    expect(result.fipsMode).toEqual(fipsMode);
  });

  test('environment-agnostic, default: CloudFormation picks the extension per partition from the mapping', () => {
    // GIVEN / WHEN an environment-agnostic stack without the fips option
    const { template, extensions, fipsMode } = traced(undefined);
    // THEN the extension name is looked up per partition (FIPS in GovCloud), and no variable is set
    const lookup = (key: string) => ({ 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, key] });
    // (the version per region: test/datadog/region-layers.test.ts)
    const version = (key: string) => ({ 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, key] });
    expect(extensions.map((e) => e['Fn::Join'][1].slice(-4))).toEqual([
      [':layer:', lookup('extension'), ':', version('DatadogExtensionPerPartition')],
      [':layer:', lookup('extensionArm'), ':', version('DatadogExtensionARMPerPartition')],
    ]);
    expect(template.Mappings.DatadogLayerAccounts['aws-us-gov']).toEqual(
      { account: '002406178527', extension: 'Datadog-Extension-FIPS', extensionArm: 'Datadog-Extension-ARM-FIPS' });
    expect(template.Mappings.DatadogLayerAccounts.aws).toEqual(
      { account: '464622532012', extension: 'Datadog-Extension', extensionArm: 'Datadog-Extension-ARM' });
    expect(fipsMode).toEqual([undefined, undefined]);
  });

  test.each<[boolean, string, string]>([
    [true, 'Datadog-Extension-FIPS', 'Datadog-Extension-ARM-FIPS'],
    [false, 'Datadog-Extension', 'Datadog-Extension-ARM'],
  ])('environment-agnostic, fips: %s: that extension in every partition, and DD_LAMBDA_FIPS_MODE set', (fips, x86, arm) => {
    // GIVEN / WHEN an environment-agnostic stack with the option given
    const { extensions, fipsMode } = traced(undefined, { fips });
    // THEN the name is fixed, and the variable is set: it matches the libraries' default in one partition
    // and is needed in the other
    const version = (name: string) => ({ 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, name.replace(/-/g, '')] });
    expect(extensions.map((e) => e['Fn::Join'][1].slice(-2))).toEqual([[`:layer:${x86}:`, version(x86)], [`:layer:${arm}:`, version(arm)]]);
    expect(fipsMode).toEqual([String(fips), String(fips)]);
  });
});

describe('FIPS: bad input', () => {
  test('fips given as a string (from JSON or a config file) is refused', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(errorOf(() => MergedTracing.applyTo(stack, { env: 'prod', fips: 'false' as unknown as boolean }))).toBe(
      '[cdk-trace-merging] Stack: fips is "false", not true or false. ' +
      'Pass the boolean true or false, or leave fips out to follow the region (FIPS in AWS GovCloud).');
  });

  test('fips only known at deployment is refused', () => {
    const stack = new Stack(new App(), 'Stack');
    const fips = Lazy.any({ produce: () => true }) as unknown as boolean;
    expect(errorOf(() => MergedTracing.applyTo(stack, { env: 'prod', fips }))).toBe(
      '[cdk-trace-merging] Stack: fips is only known at deployment (a token), but the extension layer (FIPS or not) is chosen at synthesis. ' +
      'Pass true or false, or leave fips out to follow the region (FIPS in AWS GovCloud).');
  });

  test('a function\'s own DD_LAMBDA_FIPS_MODE that disagrees with the stack\'s choice is refused', () => {
    // GIVEN a GovCloud function that turns FIPS mode off by itself, the options leaving fips to the region
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    plainFunction(stack, 'Fn', { environment: { DD_LAMBDA_FIPS_MODE: 'false' } });
    MergedTracing.applyTo(stack, { env: 'prod' });
    // WHEN / THEN the option is the one place to choose
    expect(synthError(stack)).toBe(
      "[cdk-trace-merging] Stack/Fn: sets DD_LAMBDA_FIPS_MODE='false', but merged tracing chooses the extension (FIPS or not) " +
      "from the fips option (here true). Remove DD_LAMBDA_FIPS_MODE from the function's environment and set fips: false in the merged-tracing options. " +
      "Or leave it out of merged tracing (excludeConstructPaths: ['Stack/Fn']).");
  });

  test('a function\'s own DD_LAMBDA_FIPS_MODE that agrees is kept', () => {
    // GIVEN a commercial function with DD_LAMBDA_FIPS_MODE=true and fips: true
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const fn = plainFunction(stack, 'Fn', { environment: { DD_LAMBDA_FIPS_MODE: 'true' } });
    MergedTracing.applyTo(stack, { env: 'prod', fips: true });
    // WHEN / THEN
    const props = Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties;
    expect([props.Environment.Variables.DD_LAMBDA_FIPS_MODE, props.Layers.at(-1)]).toEqual(['true', COMMERCIAL('Datadog-Extension-FIPS')]);
  });
});
