// The tests of what changes between aws-cdk-lib releases, again on the newest release (compat/newest/node_modules,
// installed from compat/newest/package-lock.json by `npx projen test:cdk-newest`): acknowledgements, the check's
// findings and report, the one entry class. The dev dependency is one release older because the Go proxy does not
// serve aws-cdk-go at this release yet (see .projenrc.ts).
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const MODULES = path.join(__dirname, 'node_modules');
const CDK_PACKAGE = path.join(MODULES, 'aws-cdk-lib', 'package.json');
if (!fs.existsSync(CDK_PACKAGE)) {
  throw new Error('compat/newest/node_modules has no aws-cdk-lib: run `npm ci --prefix compat/newest` (or `npx projen test:cdk-newest`).');
}
const version = JSON.parse(fs.readFileSync(CDK_PACKAGE, 'utf-8')).version;
// test/compat/cdk-version.test.ts asserts that the aws-cdk-lib the tests load is this one.
process.env.CDK_TRACE_MERGING_EXPECTED_CDK_VERSION = version;
console.log(`jest on the newest release: aws-cdk-lib ${version} from ${path.relative(ROOT, MODULES)}`);

const TESTS = [
  'test/compat/cdk-version.test.ts',
  'test/check/acknowledgement-story.test.ts',
  'test/check/merged-tracing-checker.test.ts',
  'test/check/report.test.ts',
  'test/check/rules/FunctionApiKey.test.ts',
  'test/trace-merging.test.ts',
];
const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).jest;
module.exports = {
  ...base,
  rootDir: ROOT,
  testMatch: TESTS.map((test) => `<rootDir>/${test}`),
  modulePathIgnorePatterns: base.modulePathIgnorePatterns.filter((pattern) => !pattern.startsWith('<rootDir>/compat/')),
  moduleNameMapper: {
    '^(aws-cdk-lib|constructs)$': `${MODULES}/$1`,
    '^(aws-cdk-lib|constructs)/(.*)$': `${MODULES}/$1/$2`,
  },
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports/cdk-newest' }]],
};
