// What a compat/<run>/jest.config.js shares: the aws-cdk-lib and constructs installed in that folder (its own
// lockfile), jest's mapping to them, and package.json's jest config as the base. test/compat/cdk-version.test.ts
// asserts that the tests load the version named here.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** The install of `dir` (compat/min, compat/newest), refused with the command that makes it when it is missing. */
function mappedCdk(dir, task) {
  const modules = path.join(dir, 'node_modules');
  const cdkPackage = path.join(modules, 'aws-cdk-lib', 'package.json');
  if (!fs.existsSync(cdkPackage)) {
    const folder = path.relative(ROOT, dir);
    throw new Error(`${folder}/node_modules has no aws-cdk-lib: run \`npm ci --prefix ${folder}\` (or \`npx projen ${task}\`).`);
  }
  const version = JSON.parse(fs.readFileSync(cdkPackage, 'utf-8')).version;
  process.env.CDK_TRACE_MERGING_EXPECTED_CDK_VERSION = version;
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).jest;
  return {
    ROOT,
    modules,
    version,
    base: {
      ...base,
      rootDir: ROOT,
      // The default run hides compat/ (see .projenrc.ts); this run loads its aws-cdk-lib (and snapshots) from its own
      // folder, and still hides the other runs' (their snapshots are not this run's, obsolete or not).
      modulePathIgnorePatterns: [
        ...base.modulePathIgnorePatterns.filter((pattern) => !pattern.startsWith('<rootDir>/compat/')),
        `<rootDir>/compat/(?!${path.basename(dir)}/)`,
      ],
      moduleNameMapper: {
        '^(aws-cdk-lib|constructs)$': `${modules}/$1`,
        '^(aws-cdk-lib|constructs)/(.*)$': `${modules}/$1/$2`,
      },
    },
  };
}

module.exports = { mappedCdk };
