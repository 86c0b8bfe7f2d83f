// Snapshots of the run on the peer minimum live here, in compat/min/__snapshots__/<test path>.snap: a snapshot
// holds aws-cdk-lib's own output too (e.g. 2.276 adds confused-deputy conditions to state machine roles that
// 2.262 does not), so each end of the range is compared with its own. The default run does not see this folder
// (modulePathIgnorePatterns in .projenrc.ts), so it never takes these files for obsolete snapshots.
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const SNAPSHOTS = path.join(__dirname, '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => path.join(SNAPSHOTS, `${path.relative(ROOT, testPath)}${extension}`),
  resolveTestPath: (snapshotPath, extension) => {
    const withoutExtension = snapshotPath.slice(0, -extension.length);
    // The default run's snapshots (test/__snapshots__/x.test.ts.snap) map to their tests too, so `-u` here never deletes them.
    return withoutExtension.startsWith(`${SNAPSHOTS}${path.sep}`)
      ? path.join(ROOT, path.relative(SNAPSHOTS, withoutExtension))
      : path.join(path.dirname(withoutExtension), '..', path.basename(withoutExtension));
  },
  testPathForConsistencyCheck: path.join(ROOT, 'test', 'examples.test.ts'),
};
