/**
 * The runtime end-to-end test must run the code the default Node.js layer holds. Datadog publishes
 * datadog-lambda-js release 12.N.x as layer Datadog-NodeXX-x:N (the layer version is the release's minor),
 * so the release installed for test/e2e must have the default layer version as its minor.
 */
import { readFileSync } from 'fs';
import { FAMILIES } from '../../lib/datadog/runtimes';

describe('the datadog-lambda-js release test/e2e runs', () => {
  test('is the release the default Node.js layer holds (minor == layer version)', () => {
    // GIVEN the installed datadog-lambda-js and the library's default Node.js layer version
    const version: string = JSON.parse(readFileSync(require.resolve('datadog-lambda-js/package.json'), 'utf8')).version;
    const [major, minor] = version.split('.').map(Number);
    // WHEN / THEN the release is 12.<default layer>.x
    expect({ major, minor }).toEqual({ major: 12, minor: FAMILIES.NODE.defaultLibraryLayerVersion });
  });
});
