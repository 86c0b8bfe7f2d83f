import { facts, NODE_LAYERS, nodeFunction, PARAM } from './facts';
import { FunctionDatadogLayers } from '../../../lib/check/rules/FunctionDatadogLayers';

/** The ARN lib/layers.ts renders for an environment-agnostic stack. */
function agnosticArn(name: string, mapping = 'DatadogLayerAccounts'): unknown {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
      { 'Fn::FindInMap': [mapping, { Ref: 'AWS::Partition' }, 'account'] }, `:layer:${name}:142`,
    ]],
  };
}

describe('FunctionDatadogLayers', () => {
  test('the library and extension layers for the runtime and architecture are compliant', () => {
    // GIVEN Node.js x86, Python arm64 (-ARM variants) and a GovCloud function / WHEN checked / THEN compliant
    expect(FunctionDatadogLayers.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: 'Datadog layers Datadog-Node22-x, Datadog-Extension' });
    expect(FunctionDatadogLayers.check(facts({
      Runtime: 'python3.13',
      Architectures: ['arm64'],
      Layers: ['arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python313-ARM:127', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:99'],
    })).outcome).toBe('compliant');
    expect(FunctionDatadogLayers.check(facts({
      Runtime: 'java21',
      Layers: ['arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:dd-trace-java:27', 'arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Extension:99'],
    }, 'us-gov-west-1')).outcome).toBe('compliant');
  });

  test('the FIPS builds of the extension are compliant (GovCloud default, or fips: true)', () => {
    // GIVEN a GovCloud Python arm64 function and a commercial Node.js one with the FIPS extension
    const gov = facts({
      Runtime: 'python3.13',
      Architectures: ['arm64'],
      Layers: ['arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Python313-ARM:127',
        'arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Extension-ARM-FIPS:99'],
    }, 'us-gov-west-1');
    const commercial = nodeFunction({ Layers: [NODE_LAYERS[0], 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-FIPS:99'] });
    // WHEN checked  THEN compliant, naming the FIPS build
    expect(FunctionDatadogLayers.check(gov)).toEqual({ outcome: 'compliant', wired: 'Datadog layers Datadog-Python313-ARM, Datadog-Extension-ARM-FIPS' });
    expect(FunctionDatadogLayers.check(commercial)).toEqual({ outcome: 'compliant', wired: 'Datadog layers Datadog-Node22-x, Datadog-Extension-FIPS' });
  });

  test('the env-agnostic extension named per partition from our mapping is compliant', () => {
    // GIVEN an env-agnostic function whose extension name is looked up per partition (FIPS in GovCloud)
    const perPartition = {
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] }, ':layer:',
        { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'extension'] }, ':99',
      ]],
    };
    const fn = facts({ Runtime: 'nodejs22.x', Layers: [agnosticArn('Datadog-Node22-x'), perPartition] }, undefined);
    // WHEN checked  THEN compliant
    expect(FunctionDatadogLayers.check(fn)).toEqual({
      outcome: 'compliant', wired: 'Datadog layers Datadog-Node22-x, Datadog-Extension (Datadog-Extension-FIPS in GovCloud)',
    });
  });

  test('a layer in China (aws-cn), where Datadog publishes none, is non-compliant', () => {
    // GIVEN a function in cn-north-1 with layers pointing at Datadog's commercial account in aws-cn
    const fn = facts({
      Runtime: 'nodejs22.x',
      Layers: ['arn:aws-cn:lambda:cn-north-1:464622532012:layer:Datadog-Node22-x:142', 'arn:aws-cn:lambda:cn-north-1:464622532012:layer:Datadog-Extension:99'],
    }, 'cn-north-1');
    // WHEN checked  THEN non-compliant: those layers do not exist
    expect(FunctionDatadogLayers.check(fn)).toMatchObject({
      outcome: 'non-compliant',
      problem: "has the Datadog layer Datadog-Node22-x:142 in partition 'aws-cn', where Datadog publishes no Lambda layers.",
    });
  });

  test('the env-agnostic Fn::Join / FindInMap form is compliant when the mapping is ours', () => {
    // GIVEN an env-agnostic stack's function with layers through our account mapping / WHEN checked / THEN compliant
    const fn = facts({ Runtime: 'nodejs22.x', Layers: [agnosticArn('Datadog-Node22-x'), agnosticArn('Datadog-Extension')] }, undefined);
    expect(FunctionDatadogLayers.check(fn)).toEqual({ outcome: 'compliant', wired: 'Datadog layers Datadog-Node22-x, Datadog-Extension' });
  });

  test('a missing layer, a wrong architecture, a wrong account or partition is non-compliant', () => {
    // GIVEN no layers; x86 layers on arm64 Python; a layer from another account; a commercial layer in GovCloud
    const none = FunctionDatadogLayers.check(nodeFunction({ Layers: undefined }));
    const arch = FunctionDatadogLayers.check(facts({
      Runtime: 'python3.13',
      Architectures: ['arm64'],
      Layers: ['arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python313:127', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:99'],
    }));
    const account = FunctionDatadogLayers.check(nodeFunction({
      Layers: ['arn:aws:lambda:us-east-1:111111111111:layer:Datadog-Node22-x:142', 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99'],
    }));
    const partition = FunctionDatadogLayers.check(facts({
      Runtime: 'nodejs22.x',
      Layers: ['arn:aws:lambda:us-gov-west-1:464622532012:layer:Datadog-Node22-x:142', 'arn:aws:lambda:us-gov-west-1:464622532012:layer:Datadog-Extension:99'],
    }, 'us-gov-west-1'));
    // THEN non-compliant, saying exactly what is wrong
    expect(none).toEqual({
      outcome: 'non-compliant',
      problem: '(nodejs22.x, x86_64) lacks the Datadog layers Datadog-Node22-x, Datadog-Extension.',
      fix: 'Add arn:<partition>:lambda:<region>:<Datadog account>:layer:Datadog-Node22-x:<version> and ' +
        'arn:<partition>:lambda:<region>:<Datadog account>:layer:Datadog-Extension:<version>, or apply TraceMerging.',
    });
    expect(arch).toMatchObject({
      outcome: 'non-compliant',
      problem: '(python3.13, arm64) lacks the Datadog layer Datadog-Python313-ARM; it has Datadog-Python313, which do not match its runtime or architecture.',
    });
    expect(account).toMatchObject({
      outcome: 'non-compliant',
      problem: "has the Datadog layer Datadog-Node22-x:142 from account 111111111111, but Datadog publishes its layers in 'aws' from 464622532012.",
    });
    expect(partition).toMatchObject({
      outcome: 'non-compliant',
      problem: "has the Datadog layer Datadog-Node22-x:142 from partition 'aws', but the stack deploys to 'aws-us-gov' (us-gov-west-1).",
    });
  });

  test('an unsupported runtime is non-compliant; a deploy-time runtime or layer is unknown', () => {
    // GIVEN a runtime Datadog publishes no layer for, a runtime from a parameter, a layer from a parameter,
    // and the account mapping of someone else
    const unsupported = FunctionDatadogLayers.check(facts({ Runtime: 'nodejs16.x', Layers: [] }));
    const runtime = FunctionDatadogLayers.check(nodeFunction({ Runtime: PARAM }));
    const layer = FunctionDatadogLayers.check(nodeFunction({ Layers: [PARAM, 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:99'] }));
    const otherMapping = FunctionDatadogLayers.check(facts({ Runtime: 'nodejs22.x', Layers: [agnosticArn('Datadog-Node22-x', 'Theirs'), agnosticArn('Datadog-Extension', 'Theirs')] }, undefined));
    // THEN
    expect(unsupported).toMatchObject({ outcome: 'non-compliant', problem: "uses runtime 'nodejs16.x', for which Datadog publishes no Lambda layer, so it cannot join merged traces." });
    expect(runtime).toEqual({ outcome: 'unknown', what: 'its runtime, which decides the Datadog layers' });
    expect(layer).toEqual({ outcome: 'unknown', what: '1 of its layer ARNs, one of which may be Datadog-Node22-x' });
    expect(otherMapping.outcome).toBe('unknown');
  });

  test('a library layer Datadog does not publish in the stack\'s region is non-compliant, naming runtime, layer and region', () => {
    // GIVEN a Java function in ap-east-2 with literal Datadog layers (dd-trace-java is not published there)
    const fn = facts({
      Runtime: 'java21',
      Layers: ['arn:aws:lambda:ap-east-2:464622532012:layer:dd-trace-java:27', 'arn:aws:lambda:ap-east-2:464622532012:layer:Datadog-Extension:99'],
    }, 'ap-east-2');
    // WHEN checked  THEN
    expect(FunctionDatadogLayers.check(fn)).toEqual({
      outcome: 'non-compliant',
      problem: '(java21) has the Datadog layer dd-trace-java, which Datadog does not publish in ap-east-2, so the function would deploy with a layer that does not exist.',
      fix: "Deploy the stack to a region that has the layer (Datadog's per-region list: serverless-plugin-datadog src/layers.json), or move the function to a runtime "
        + 'Datadog publishes in ap-east-2 for x86_64: Node.js (nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x), Python (python3.8, python3.9, python3.10, '
        + 'python3.11, python3.12, python3.13, python3.14), custom (provided) (provided, provided.al2, provided.al2023).',
    });
  });

  test('environment-agnostic layers whose version comes from our per-region mapping are compliant', () => {
    // GIVEN the ARNs lib/datadog/layers.ts renders: account per partition, version per region
    const version = (key: string) => ({ 'Fn::FindInMap': ['DatadogLayerVersions', { Ref: 'AWS::Region' }, key] });
    const arn = (name: string, key: string) => ({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':',
        { 'Fn::FindInMap': ['DatadogLayerAccounts', { Ref: 'AWS::Partition' }, 'account'] }, `:layer:${name}:`, version(key),
      ]],
    });
    const fn = facts({ Runtime: 'nodejs22.x', Layers: [arn('Datadog-Node22-x', 'DatadogNode22x'), arn('Datadog-Extension', 'DatadogExtension')] }, undefined);
    // WHEN checked  THEN compliant
    expect(FunctionDatadogLayers.check(fn)).toEqual({ outcome: 'compliant', wired: 'Datadog layers Datadog-Node22-x, Datadog-Extension' });
  });

  test('images are not applicable', () => {
    // GIVEN a container image function / WHEN checked / THEN not applicable (images carry the library themselves)
    expect(FunctionDatadogLayers.check(facts({ PackageType: 'Image' })).outcome).toBe('not-applicable');
  });
});
