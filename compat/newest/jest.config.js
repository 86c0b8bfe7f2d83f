// The tests of what changes between aws-cdk-lib releases, again on the newest release (compat/newest/node_modules,
// installed from compat/newest/package-lock.json by `npx projen test:cdk-newest`): acknowledgements, the check's
// findings and report, the one entry class, and EKS tracing (aws-eks, aws-eks-v2 and their property injection move
// with each release). The dev dependency is one release older because the Go proxy does not
// serve aws-cdk-go at this release yet (see .projenrc.ts).
const path = require('path');
const { mappedCdk } = require('../mapped-cdk');

const { ROOT, modules: MODULES, version, base: mapped } = mappedCdk(__dirname, 'test:cdk-newest');
console.log(`jest on the newest release: aws-cdk-lib ${version} from ${path.relative(ROOT, MODULES)}`);

const TESTS = [
  'test/compat/cdk-version.test.ts',
  'test/check/acknowledgement-story.test.ts',
  'test/check/merged-tracing-checker.test.ts',
  'test/check/report.test.ts',
  'test/check/rules/FunctionApiKey.test.ts',
  'test/trace-merging.test.ts',
  'test/instrument/hosts/eks/datadog-eks-tracing.test.ts',
  'test/check/eks-workloads.test.ts',
];
module.exports = {
  ...mapped,
  testMatch: TESTS.map((test) => `<rootDir>/${test}`),
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports/cdk-newest' }]],
};
