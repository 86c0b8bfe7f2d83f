/**
 * Templates that CloudFormation accepts: every template of the examples and of the test apps (test/lint/lint-apps.ts)
 * passes cfn-lint, AWS's CloudFormation linter, with no error and no warning that merged tracing caused, linted for
 * the regions Datadog's layer list treats differently. What merged tracing caused is told apart by linting the same
 * apps without it (an example's baseline: its stack with its whole path excluded) and keeping only the new findings:
 * what cfn-lint says of the app itself (a deprecated runtime the user chose, CDK's own DependsOn on a function's role)
 * is not the library's to fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { causedByTracing, cfnLint, CFN_LINT_REQUIREMENTS, CFN_LINT_VENV, LintFinding, templatesBelow } from './cfn-lint';
import { LINTED_REGIONS, synthesizeLintApps } from './lint-apps';
import { LambdaAndHostsStack } from '../../examples/lambda-and-hosts/stack';
import { MANAGED_HOPS_ENV, MANAGED_HOPS_TRACING, ManagedHopsStack } from '../../examples/managed-hops/stack';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { TracingMode } from '../../lib';
import { timedSetup } from '../consumers/support/cdk-synth';
import { exampleAssembly, ExampleName } from '../examples/example-assemblies';

/** A first install downloads cfn-lint and its region data from PyPI. */
const INSTALL_TIMEOUT_MS = 600_000;
const EXAMPLES: ExampleName[] = ['serverless-first', 'managed-hops', 'lambda-and-hosts'];

let workdir: string;
let traced: LintFinding[];
let plain: LintFinding[];

beforeAll(() => {
  timedSetup('bash', ['scripts/python-venv.sh', CFN_LINT_VENV, CFN_LINT_REQUIREMENTS], {}, INSTALL_TIMEOUT_MS);
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  // GIVEN the test apps with and without merged tracing, and the examples as their app.ts synthesizes them
  synthesizeLintApps(path.join(workdir, 'traced'), true);
  synthesizeLintApps(path.join(workdir, 'plain'), false);
  // The examples' templates from the run's one synthesis of each (the CLI runs their app.ts).
  for (const example of EXAMPLES) {
    const { outdir } = exampleAssembly(example);
    const copy = path.join(workdir, 'traced', `example-${example}`);
    fs.mkdirSync(copy, { recursive: true });
    for (const template of templatesBelow(outdir)) fs.copyFileSync(template, path.join(copy, path.basename(template)));
  }
  synthesizeExampleBaselines(path.join(workdir, 'plain'));
  // WHEN cfn-lint reads every template, for every region of the list (one process for those it has not read before on
  // this machine: its start-up is most of the cost)
  const all = cfnLint([...templatesBelow(path.join(workdir, 'traced')), ...templatesBelow(path.join(workdir, 'plain'))], LINTED_REGIONS, workdir);
  traced = all.filter((f) => f.template.startsWith('traced/')).map((f) => ({ ...f, template: f.template.slice('traced/'.length) }));
  plain = all.filter((f) => f.template.startsWith('plain/')).map((f) => ({ ...f, template: f.template.slice('plain/'.length) }));
}, INSTALL_TIMEOUT_MS * 2);

afterAll(() => workdir && fs.rmSync(workdir, { recursive: true, force: true }));

/** The examples' stacks as their app.ts builds them, with merged tracing left out (their whole path excluded). */
function synthesizeExampleBaselines(outdir: string): void {
  const untraced = (id: string) => ({ excludeConstructPaths: [id] });
  const first = new App({ outdir: path.join(outdir, 'example-serverless-first') });
  new ServerlessFirstStack(first, 'ServerlessFirst', { env: SERVERLESS_FIRST_ENV, tracing: { ...SERVERLESS_FIRST_TRACING, ...untraced('ServerlessFirst') } });
  first.synth();
  const hops = new App({ outdir: path.join(outdir, 'example-managed-hops') });
  new ManagedHopsStack(hops, 'ManagedHops', { env: MANAGED_HOPS_ENV, tracing: { ...MANAGED_HOPS_TRACING, ...untraced('ManagedHops') } });
  hops.synth();
  const hosts = new App({ outdir: path.join(outdir, 'example-lambda-and-hosts') });
  new LambdaAndHostsStack(hosts, 'LambdaAndHosts', {
    tracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, ...untraced('LambdaAndHosts') },
    datadogIntegrationRoleName: 'DatadogIntegrationRole',
  });
  hosts.synth();
}

describe('cfn-lint: merged tracing adds no error and no warning', () => {
  test('it linted every template: the test apps and the three examples, traced and plain', () => {
    const templates = templatesBelow(path.join(workdir, 'traced')).map((t) => path.relative(path.join(workdir, 'traced'), t));
    expect(templates).toEqual(expect.arrayContaining([
      'example-serverless-first/ServerlessFirst.template.json',
      'example-managed-hops/ManagedHops.template.json',
      `example-managed-hops/TraceMergingSnsXRayPolicy-${MANAGED_HOPS_ENV.account}-us-east-1.template.json`,
      'example-lambda-and-hosts/LambdaAndHosts.template.json',
      'eks/Eks.template.json',
      'eks/EksV2.template.json',
      'runtimes-agnostic/Runtimes-agnostic.template.json',
      'runtimes-ap-east-2/Runtimes-ap-east-2.template.json',
      'runtimes-me-central-1/Runtimes-me-central-1.template.json',
      'runtimes-us-gov-west-1/Runtimes-us-gov-west-1.template.json',
    ]));
    expect(templates.length).toBeGreaterThanOrEqual(17);
    // cfn-lint's findings are real (its own, or kept from its run on the same template): the plain apps' own findings
    // (deprecated runtimes the matrix holds on purpose) are there
    expect(plain.some((f) => f.rule === 'W2531')).toBe(true);
  });

  test.each(['runtimes-', 'hops/', 'network/', 'stages/', 'example-'])('%s*: no finding that the plain app lacks', (prefix) => {
    expect(causedByTracing(traced.filter((f) => f.template.startsWith(prefix)), plain)).toEqual([]);
  });

  test('control: a finding merged tracing would cause is caught (a mistyped tracing mode in one traced template)', () => {
    // GIVEN a copy of a traced template whose function has a TracingConfig CloudFormation rejects; a description no
    // run had before, so cfn-lint itself reads it (not its results kept in the machine cache, see cfn-lint.ts)
    const source = path.join(workdir, 'traced', 'hops', 'Hops.template.json');
    const template = JSON.parse(fs.readFileSync(source, 'utf-8'));
    const [id] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    template.Resources[id].Properties.TracingConfig = { Mode: 'Actve' };
    template.Description = `cfn-lint control ${process.pid}-${Date.now()}-${Math.random()}`;
    const broken = path.join(workdir, 'control', 'hops', 'Hops.template.json');
    fs.mkdirSync(path.dirname(broken), { recursive: true });
    fs.writeFileSync(broken, JSON.stringify(template));
    // WHEN linted and compared with the plain app  THEN the new error is the only difference
    const found = cfnLint([broken], ['us-east-1'], path.join(workdir, 'control'));
    expect(causedByTracing(found, plain).map((f) => [f.rule, f.where])).toEqual([['E3030', `Resources/${id}/Properties/TracingConfig/Mode`]]);
    // AND the same template again comes from the machine cache, with the same findings
    expect(cfnLint([broken], ['us-east-1'], path.join(workdir, 'control'))).toEqual(found);
  });
});
