import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  extensionLayerName, libraryLayerName, RedirectKind, runtimeRow, RuntimeRow, supportedRuntimeNames,
} from '../../lib/datadog/runtimes';
import { testWithRuntime } from '../support/cdk-features';

const NODE_HANDLER = '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler';
const PYTHON_HANDLER = 'datadog_lambda.handler.handler';

/** runtime, family name, library layer on x86_64, on arm64, redirect, Datadog handler, merge flag (none: Java/.NET), default version. */
type Row = [string, string, string | undefined, string | undefined, RedirectKind, string | undefined, string | undefined, number | undefined];

const TABLE: Row[] = [
  ['nodejs18.x', 'Node.js', 'Datadog-Node18-x', 'Datadog-Node18-x', RedirectKind.HANDLER, NODE_HANDLER, 'DD_MERGE_XRAY_TRACES', 142],
  ['nodejs20.x', 'Node.js', 'Datadog-Node20-x', 'Datadog-Node20-x', RedirectKind.HANDLER, NODE_HANDLER, 'DD_MERGE_XRAY_TRACES', 142],
  ['nodejs22.x', 'Node.js', 'Datadog-Node22-x', 'Datadog-Node22-x', RedirectKind.HANDLER, NODE_HANDLER, 'DD_MERGE_XRAY_TRACES', 142],
  ['nodejs24.x', 'Node.js', 'Datadog-Node24-x', 'Datadog-Node24-x', RedirectKind.HANDLER, NODE_HANDLER, 'DD_MERGE_XRAY_TRACES', 142],
  ['python3.8', 'Python', 'Datadog-Python38', 'Datadog-Python38-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.9', 'Python', 'Datadog-Python39', 'Datadog-Python39-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.10', 'Python', 'Datadog-Python310', 'Datadog-Python310-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.11', 'Python', 'Datadog-Python311', 'Datadog-Python311-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.12', 'Python', 'Datadog-Python312', 'Datadog-Python312-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.13', 'Python', 'Datadog-Python313', 'Datadog-Python313-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['python3.14', 'Python', 'Datadog-Python314', 'Datadog-Python314-ARM', RedirectKind.HANDLER, PYTHON_HANDLER, 'DD_MERGE_XRAY_TRACES', 127],
  ['ruby3.2', 'Ruby', 'Datadog-Ruby3-2', 'Datadog-Ruby3-2-ARM', RedirectKind.IN_CODE, undefined, 'DD_MERGE_DATADOG_XRAY_TRACES', 30],
  ['ruby3.3', 'Ruby', 'Datadog-Ruby3-3', 'Datadog-Ruby3-3-ARM', RedirectKind.IN_CODE, undefined, 'DD_MERGE_DATADOG_XRAY_TRACES', 30],
  ['ruby3.4', 'Ruby', 'Datadog-Ruby3-4', 'Datadog-Ruby3-4-ARM', RedirectKind.IN_CODE, undefined, 'DD_MERGE_DATADOG_XRAY_TRACES', 30],
  ['ruby4.0', 'Ruby', 'Datadog-Ruby4-0', 'Datadog-Ruby4-0-ARM', RedirectKind.IN_CODE, undefined, 'DD_MERGE_DATADOG_XRAY_TRACES', 30],
  ['java8.al2', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java11', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java17', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java21', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java25', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java8.al2023', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java11.al2023', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['java17.al2023', 'Java', 'dd-trace-java', 'dd-trace-java', RedirectKind.EXEC_WRAPPER, undefined, undefined, 27],
  ['dotnet6', '.NET', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', RedirectKind.EXEC_WRAPPER, undefined, undefined, 25],
  ['dotnet8', '.NET', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', RedirectKind.EXEC_WRAPPER, undefined, undefined, 25],
  ['dotnet10', '.NET', 'dd-trace-dotnet', 'dd-trace-dotnet-ARM', RedirectKind.EXEC_WRAPPER, undefined, undefined, 25],
  ['provided', 'custom (provided)', undefined, undefined, RedirectKind.IN_CODE, undefined, 'DD_MERGE_XRAY_TRACES', undefined],
  ['provided.al2', 'custom (provided)', undefined, undefined, RedirectKind.IN_CODE, undefined, 'DD_MERGE_XRAY_TRACES', undefined],
  ['provided.al2023', 'custom (provided)', undefined, undefined, RedirectKind.IN_CODE, undefined, 'DD_MERGE_XRAY_TRACES', undefined],
];

function rowOf(runtime: string): RuntimeRow {
  const row = runtimeRow(runtime);
  if (!row) throw new Error(`no row for ${runtime}`);
  return row;
}

describe('runtime table', () => {
  test('supports exactly the runtimes Datadog publishes layers for, in table order', () => {
    // GIVEN the table  WHEN listing it  THEN it holds exactly the rows above
    expect(supportedRuntimeNames()).toEqual(TABLE.map(([runtime]) => runtime));
  });

  test.each(TABLE)('%s: family %s, library layer %s (x86_64) / %s (arm64), redirect %s',
    (runtime, familyName, x86Layer, armLayer, redirect, handler, mergeVar, defaultVersion) => {
      // GIVEN the runtime name  WHEN looking up its row
      const row = rowOf(runtime);
      // THEN every fact instrumenting needs is in it
      expect(row.runtime).toBe(runtime);
      expect(row.family.name).toBe(familyName);
      expect(libraryLayerName(row, false)).toBe(x86Layer);
      expect(libraryLayerName(row, true)).toBe(armLayer);
      expect(row.family.redirect).toBe(redirect);
      expect(row.family.datadogHandler).toBe(handler);
      expect(row.family.mergeEnvVar).toBe(mergeVar);
      expect(row.family.defaultLibraryLayerVersion).toBe(defaultVersion);
    });

  test.each([
    // Runtimes aws-cdk-lib knows for which Datadog publishes no library layer (or that Lambda retired).
    lambda.Runtime.NODEJS_16_X, lambda.Runtime.PYTHON_3_7, lambda.Runtime.JAVA_8,
    lambda.Runtime.RUBY_2_7, lambda.Runtime.GO_1_X, lambda.Runtime.DOTNET_CORE_3_1,
    lambda.Runtime.FROM_IMAGE,
  ])('$name has no row', (runtime) => {
    // GIVEN a runtime outside the table  WHEN looking it up  THEN there is no row (instrumenting refuses it)
    expect(runtimeRow(runtime.name)).toBeUndefined();
  });

  // Newer than the peer minimum of aws-cdk-lib.
  testWithRuntime('PYTHON_3_15', 'python3.15 has no row', (runtime) => {
    // GIVEN a runtime outside the table  WHEN looking it up  THEN there is no row (instrumenting refuses it)
    expect(runtimeRow(runtime.name)).toBeUndefined();
  });

  test.each([
    [lambda.Runtime.NODEJS_18_X], [lambda.Runtime.NODEJS_20_X], [lambda.Runtime.NODEJS_22_X], [lambda.Runtime.NODEJS_24_X],
    [lambda.Runtime.PYTHON_3_8], [lambda.Runtime.PYTHON_3_14], [lambda.Runtime.RUBY_3_4], [lambda.Runtime.RUBY_4_0], [lambda.Runtime.JAVA_8_CORRETTO],
    [lambda.Runtime.JAVA_25], [lambda.Runtime.DOTNET_10], [lambda.Runtime.PROVIDED_AL2023],
  ])('aws-cdk-lib Runtime %s is spelled as the table spells it', (runtime) => {
    // GIVEN the CDK constant  WHEN looking up by its name  THEN the row is found
    expect(rowOf(runtime.name).runtime).toBe(runtime.name);
  });

  test.each([
    [false, 'Datadog-Extension'],
    [true, 'Datadog-Extension-ARM'],
  ])('extension layer for arm64=%s is %s', (arm64, name) => {
    expect(extensionLayerName(arm64)).toBe(name);
  });
});
