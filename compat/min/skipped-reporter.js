// Lists, at the end of a run, every test that was skipped and why (the reason is in its name, see
// test/support/cdk-features.ts), so the run on the peer minimum shows what it did not cover.
class SkippedReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.testResults.flatMap((file) => file.testResults
      .filter((t) => t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
      .map((t) => `  ${file.testFilePath.replace(`${process.cwd()}/`, '')}: ${t.fullName}`));
    process.stdout.write(skipped.length === 0
      ? 'Skipped tests: none\n'
      : `Skipped tests (${skipped.length}):\n${skipped.join('\n')}\n`);
  }
}
module.exports = SkippedReporter;
