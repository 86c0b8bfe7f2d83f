/**
 * Which aws-cdk-lib this run of the suite stands on: the dev dependency (the newest 2.x we test) under
 * package.json's jest config, the peer minimum under compat/min/jest.config.js. The library code under test
 * must load the same copy as the tests, or the minimum run would prove nothing about lib/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { MergedTracingStack } from '../../lib';

const ROOT = path.resolve(__dirname, '..', '..');

/** compat/min/jest.config.js names the minimum it mapped; otherwise the run is on the (exactly pinned) dev dependency. */
function expectedVersion(): string {
  const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  return process.env.CDK_TRACE_MERGING_EXPECTED_CDK_VERSION ?? packageJson.devDependencies['aws-cdk-lib'];
}

test('the tests load the aws-cdk-lib this run is for', () => {
  // GIVEN the version this run is for
  const expected = expectedVersion();
  // WHEN the tests read the package.json of the aws-cdk-lib they import
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded: string = require('aws-cdk-lib/package.json').version;
  // THEN it is that version
  expect(loaded).toBe(expected);
});

test('the library code under test extends the same aws-cdk-lib as the tests', () => {
  // GIVEN an App of the tests' aws-cdk-lib
  const app = new App();
  // WHEN lib/ builds a stack in it (MergedTracingStack extends the Stack that lib/ imports)
  const stack = new MergedTracingStack(app, 'Stack', { tracing: { env: 'test' } });
  // THEN it is a Stack of the tests' copy (instanceof holds only within one copy of the module)
  expect(stack).toBeInstanceOf(Stack);
});
