// The whole jest suite (package.json's jest config) against the peer minimum: aws-cdk-lib and constructs come
// from compat/min/node_modules (installed from compat/min/package-lock.json by `npx projen test:cdk-min`), for
// the tests and for the lib/ sources ts-jest compiles for them alike.
const path = require('path');
const { mappedCdk } = require('../mapped-cdk');

const { ROOT, modules: MODULES, version, base: mapped } = mappedCdk(__dirname, 'test:cdk-min');
// Processes the tests start (the real `cdk synth` of the examples) resolve the same modules.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${path.join(__dirname, 'resolve-min.js')}`].filter(Boolean).join(' ');
console.log(`jest on the peer minimum: aws-cdk-lib ${version} from ${path.relative(ROOT, MODULES)}`);

// Not run on the minimum: the Python/Java/Go consumer apps pin the newest aws-cdk-lib of their own registries and are
// compared with the TypeScript example synthesized on that same release (on the minimum the two sides would differ by
// CDK version); and the suites whose subject is not a CDK release: the README and package checks, the benchmark
// harness, the host tracers (run without CDK), and Mermaid's parsing of the maps (the maps the minimum draws are still
// checked by test/examples).
const NOT_ON_MINIMUM = ['/test/consumers/', '/test/readme/', '/test/package/', '/test/bench/', '/test/e2e/host-tracers.test.ts',
  '/test/check/map/mermaid-parse.test.ts'];
console.log(`not run on the peer minimum: ${NOT_ON_MINIMUM.join(', ')}`);
module.exports = {
  ...mapped,
  testPathIgnorePatterns: [...mapped.testPathIgnorePatterns, ...NOT_ON_MINIMUM],
  snapshotResolver: '<rootDir>/compat/min/snapshot-resolver.js',
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports/cdk-min' }], '<rootDir>/compat/min/skipped-reporter.js'],
};
