// The whole jest suite (package.json's jest config) against the peer minimum: aws-cdk-lib and constructs come
// from compat/min/node_modules (installed from compat/min/package-lock.json by `npx projen test:cdk-min`), for
// the tests and for the lib/ sources ts-jest compiles for them alike.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const MODULES = path.join(__dirname, 'node_modules');
const CDK_PACKAGE = path.join(MODULES, 'aws-cdk-lib', 'package.json');
if (!fs.existsSync(CDK_PACKAGE)) {
  throw new Error('compat/min/node_modules has no aws-cdk-lib: run `npm ci --prefix compat/min` (or `npx projen test:cdk-min`).');
}
const version = JSON.parse(fs.readFileSync(CDK_PACKAGE, 'utf-8')).version;

// test/compat/cdk-version.test.ts asserts that the aws-cdk-lib the tests load is this one.
process.env.CDK_TRACE_MERGING_EXPECTED_CDK_VERSION = version;
// Processes the tests start (the real `cdk synth` of the examples) resolve the same modules.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${path.join(__dirname, 'resolve-min.js')}`].filter(Boolean).join(' ');
console.log(`jest on the peer minimum: aws-cdk-lib ${version} from ${path.relative(ROOT, MODULES)}`);

const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).jest;
// The Python/Java/Go consumer apps pin the newest aws-cdk-lib of their own registries and are compared with the
// TypeScript example synthesized on that same release: on the minimum the two sides would differ by CDK version.
const NOT_ON_MINIMUM = '/test/consumers/';
console.log(`not run on the peer minimum: ${NOT_ON_MINIMUM} (consumer apps pin the newest aws-cdk-lib of their registries)`);
module.exports = {
  ...base,
  rootDir: ROOT,
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, NOT_ON_MINIMUM],
  // The default run hides compat/ (see .projenrc.ts); this one loads aws-cdk-lib and its snapshots from there.
  modulePathIgnorePatterns: base.modulePathIgnorePatterns.filter((pattern) => !pattern.startsWith('<rootDir>/compat/')),
  moduleNameMapper: {
    '^(aws-cdk-lib|constructs)$': `${MODULES}/$1`,
    '^(aws-cdk-lib|constructs)/(.*)$': `${MODULES}/$1/$2`,
  },
  snapshotResolver: '<rootDir>/compat/min/snapshot-resolver.js',
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports/cdk-min' }], '<rootDir>/compat/min/skipped-reporter.js'],
};
