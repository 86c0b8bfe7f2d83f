/**
 * lib/datadog against the fact table written from Datadog's published sources (test/support/datadog-facts.ts).
 * Each assertion compares a value the library uses with one read from Datadog, never with itself.
 */
import { fipsFor, libraryDefaultFips } from '../../lib/datadog/fips';
import { DATADOG_LAYER_ACCOUNTS } from '../../lib/datadog/layers';
import {
  DEFAULT_EXTENSION_LAYER_VERSION, extensionLayerName, libraryLayerName, MergeSupport, RedirectKind, runtimeRow, supportedRuntimeNames,
} from '../../lib/datadog/runtimes';
import { DATADOG_SITES } from '../../lib/datadog/sites';
import {
  DEFAULT_EXTENSION_VERSION, EXTENSION_LAYERS, fipsByDefault, LAYER_ACCOUNTS, Redirect, RUNTIME_FACTS, SITES,
} from '../support/datadog-facts';

const REDIRECTS: Record<Redirect, RedirectKind> = {
  'handler': RedirectKind.HANDLER,
  'exec-wrapper': RedirectKind.EXEC_WRAPPER,
  'in-code': RedirectKind.IN_CODE,
};

describe('lib/datadog agrees with Datadog\'s published facts', () => {
  test('the library supports exactly the runtimes Datadog publishes layers for', () => {
    expect([...supportedRuntimeNames()].sort()).toEqual(RUNTIME_FACTS.map((f) => f.runtime).sort());
  });

  test.each(RUNTIME_FACTS.map((f) => [f.runtime, f]))('%s: layers, redirect, merge variable, default version', (_name, fact) => {
    // GIVEN Datadog's facts for the runtime  WHEN reading the library's row
    const row = runtimeRow(fact.runtime)!;
    // THEN every fact matches
    expect({
      x86Layer: libraryLayerName(row, false),
      armLayer: libraryLayerName(row, true),
      redirect: row.family.redirect,
      datadogHandler: row.family.datadogHandler,
      mergeVar: row.family.mergeEnvVar,
      defaultVersion: row.family.defaultLibraryLayerVersion,
    }).toEqual({
      x86Layer: fact.x86Layer,
      armLayer: fact.armLayer,
      redirect: REDIRECTS[fact.redirect],
      datadogHandler: fact.datadogHandler,
      mergeVar: fact.mergeVar,
      defaultVersion: fact.defaultVersion,
    });
  });

  test.each(RUNTIME_FACTS.map((f) => [f.runtime, f]))('%s: the merge column says what Datadog\'s code does', (_name, fact) => {
    // GIVEN whether Datadog's code reads a merge variable, and how the handler is redirected
    const expected = fact.mergeVar === undefined ? MergeSupport.NONE
      : fact.redirect === 'in-code' ? MergeSupport.IN_CODE : MergeSupport.MERGES;
    // WHEN / THEN the library's merge column agrees
    expect(runtimeRow(fact.runtime)!.family.merge).toBe(expected);
  });

  test.each([
    [false, false, EXTENSION_LAYERS.x86_64.standard],
    [true, false, EXTENSION_LAYERS.arm64.standard],
    [false, true, EXTENSION_LAYERS.x86_64.fips],
    [true, true, EXTENSION_LAYERS.arm64.fips],
  ])('extension for arm64=%s fips=%s is %s', (arm64, fips, name) => {
    expect(extensionLayerName(arm64, fips)).toBe(name);
  });

  test('extension default version', () => {
    expect(DEFAULT_EXTENSION_LAYER_VERSION).toBe(DEFAULT_EXTENSION_VERSION);
  });

  test('layer accounts: commercial and GovCloud, none in China', () => {
    const published = Object.fromEntries(Object.entries(LAYER_ACCOUNTS).filter(([, account]) => account !== undefined));
    expect(DATADOG_LAYER_ACCOUNTS).toEqual(published);
  });

  test('sites', () => {
    expect(DATADOG_SITES).toEqual(SITES);
  });

  test.each(['us-gov-west-1', 'us-gov-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2'])('FIPS default in %s', (region) => {
    expect(libraryDefaultFips(region)).toBe(fipsByDefault(region));
    expect(fipsFor(region, undefined)).toBe(fipsByDefault(region));
  });
});
