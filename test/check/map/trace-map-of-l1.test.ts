import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { IConstruct } from 'constructs';
import { ENV, everyHopStack, mapOfTracedApp, serviceHopsStack } from './hops-of-constructs';
import { MergedTracingChecker } from '../../../lib/check/merged-tracing-checker';
import { logicalId } from '../../support/fixtures';
import { reportedMap } from '../validation';

describe.each([
  ['every function hop', everyHopStack, 17],
  ['the hops between services', serviceHopsStack, 8],
])('the trace map reads L1 templates (CfnInclude) as it reads L2 constructs: %s', (_name, build, hopCount) => {
  // GIVEN an app made of L2 constructs, instrumented, and its synthesized template
  const l2App = new App();
  const l2Stack = build(l2App, 'Shop');
  const l2Map = mapOfTracedApp(l2App);
  const templateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'l1-map-')), 'shop.json');
  // (without the bootstrap version check the including stack adds again)
  const { Parameters: _bootstrapVersion, Rules: _bootstrapRule, ...template } = JSON.parse(fs.readFileSync(path.join(l2App.outdir, 'Shop.template.json'), 'utf-8'));
  fs.writeFileSync(templateFile, JSON.stringify(template));

  // ... and the same template included as L1 resources in another app, checked only
  const l1App = new App();
  const l1Stack = new Stack(l1App, 'Imported', { env: ENV });
  new cfninc.CfnInclude(l1Stack, 'Shop', { templateFile });
  MergedTracingChecker.applyTo(l1App, { downgradeToWarning: MergedTracingChecker.ruleNames() });

  test('the same hops, with the same verdicts and carriers, between the same resources (by logical id)', () => {
    // WHEN
    const l1Map = reportedMap(l1App);
    // THEN each L2 path is the included resource of its logical id
    const asIncluded = (p: string) => (p.startsWith('arn:') ? p : `Imported/Shop/${logicalId(constructAt(l2Stack, p))}`);
    const expected = l2Map.edges.map((e) => ({
      ...e,
      from: asIncluded(e.from),
      to: asIncluded(e.to),
      ...reasonAsIncluded(e.reason, asIncluded),
      ...(e.byOrigin ? { byOrigin: e.byOrigin.map((o) => ({ ...o, origin: asIncluded(o.origin), ...reasonAsIncluded(o.reason, asIncluded) })) } : {}),
    }));
    expect(l1Map.edges).toEqual(expected.sort((a, b) => (`${a.from}\0${a.to}\0${a.via}` < `${b.from}\0${b.to}\0${b.via}` ? -1 : 1)));
    expect(l1Map.edges).toHaveLength(hopCount);
  });
});

/** The construct of a report path below the app root. */
function constructAt(stack: Stack, reportPath: string): IConstruct {
  const found = stack.node.findAll().find((c) => c.node.path === reportPath);
  if (!found) throw new Error(`no construct at ${reportPath}`);
  return found;
}

/** A reason names resources by path: the same names, as included. */
function reasonAsIncluded(reason: string | undefined, asIncluded: (p: string) => string): { reason?: string } {
  if (reason === undefined) return {};
  return { reason: reason.replace(/Shop\/[\w./]+?(?=[ ,:]|$)/g, (p) => asIncluded(p)) };
}
