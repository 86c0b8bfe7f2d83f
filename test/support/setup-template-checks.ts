/**
 * Jest setup (setupFilesAfterEnv, see .projenrc.ts): every template any test synthesizes, through
 * Template.fromStack or app.synth(), is checked by test/support/template-checks.ts. Stage.synth is
 * wrapped because both routes go through it; each assembly is checked once however often it is read.
 * A failed check fails the synthesis, and so the test, with every problem listed.
 * CDK_TRACE_MERGING_SKIP_TEMPLATE_CHECKS=1 turns this off; CDK_TRACE_MERGING_TEMPLATE_CHECK_TIMES=<file>
 * appends, per test file, how many assemblies were checked and the milliseconds it took (to measure its cost).
 */
import * as fs from 'fs';
import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { checkAssembly } from './template-checks';

if (process.env.CDK_TRACE_MERGING_SKIP_TEMPLATE_CHECKS !== '1') {
  const checked = new WeakSet<cxapi.CloudAssembly>();
  let count = 0;
  let millis = 0;
  const synth = Stage.prototype.synth;
  Stage.prototype.synth = function checkedSynth(this: Stage, options?: Parameters<Stage['synth']>[0]): cxapi.CloudAssembly {
    const assembly = synth.call(this, options);
    if (!checked.has(assembly)) {
      checked.add(assembly);
      const start = performance.now();
      const problems = checkAssembly(this, assembly);
      millis += performance.now() - start;
      count++;
      if (problems.length > 0) {
        throw new Error(`Synthesized templates fail the suite-wide template checks (test/support/template-checks.ts):\n  ${problems.join('\n  ')}`);
      }
    }
    return assembly;
  };

  const timesFile = process.env.CDK_TRACE_MERGING_TEMPLATE_CHECK_TIMES;
  if (timesFile) {
    afterAll(() => fs.appendFileSync(timesFile, `${expect.getState().testPath} ${count} ${millis.toFixed(0)}\n`));
  }
}
