/**
 * The README's example app written in Python and Java (test/consumers/<language>/), installed the way a user
 * of that language installs it, against the packages `npx projen bindings` built into dist/ and aws-cdk-lib
 * from the language's own registry, and synthesized with the real CDK CLI. Each template must be the
 * TypeScript example's (cdk.json at the root, same CLI), apart from the values MASKS names with why.
 * Go is test/consumers/go.test.ts (its own task: it compiles aws-cdk-go).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, npmCdkLibVersion, ROOT, Synthesis, timedSetup, typescriptExample } from './support/cdk-synth';
import { analyticsOf, masked } from './support/template-comparison';
import { machineCache } from '../support/machine-cache';

/** A first install downloads aws-cdk-lib (~100 MB per language) and, for Maven, its plugins. */
const INSTALL_TIMEOUT_MS = 900_000;
const SYNTH_TIMEOUT_MS = 300_000;

const PYTHON_DIR = path.join(ROOT, 'test', 'consumers', 'python');
const PYTHON_REQUIREMENTS = path.join(PYTHON_DIR, 'requirements.txt');
const PYTHON_VENV = path.join(ROOT, '.cache', 'python-consumer');

const JAVA_DIR = path.join(ROOT, 'test', 'consumers', 'java');
const MAVEN_REPO = machineCache('maven');
/** Maven keeps a release version once copied into its local repository: drop ours so dist/java's fresh build is used. */
const CACHED_OWN_ARTIFACT = path.join(MAVEN_REPO, 'io', 'github', 'cdktracemerging');
const MAVEN_ARGS = ['-q', '-B', `-Dmaven.repo.local=${MAVEN_REPO}`];

/** The aws-cdk-lib release each app's dependency file pins. */
const PYPI_CDK_LIB_VERSION = /^aws-cdk-lib==(\S+)$/m.exec(fs.readFileSync(PYTHON_REQUIREMENTS, 'utf-8'))![1];
const MAVEN_CDK_LIB_VERSION = /<cdk\.version>([^<]+)<\/cdk\.version>/.exec(fs.readFileSync(path.join(JAVA_DIR, 'pom.xml'), 'utf-8'))![1];

const timings: string[] = [];
let typescript: Synthesis;

beforeAll(() => {
  // The reference: the TypeScript example as `npx cdk synth` at the root synthesizes it (the run's shared synthesis).
  typescript = typescriptExample();
  timings.push(`TypeScript example: cdk synth ${typescript.ms} ms`);
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  // What each consumer adds to a test run (installs cost ~nothing once .cache/ is filled).
  console.log(timings.join('\n'));
});

test('the TypeScript example runs on the npm devDependency, with the Node.js jsii runtime', () => {
  expect(typescript.cdkLibVersion).toBe(npmCdkLibVersion());
  expect(analyticsOf(typescript.template)).toMatchObject({ cdkLibVersion: npmCdkLibVersion(), runtime: expect.stringMatching(/^node\.js\/v/) });
});

const NPM_CONSUMER = path.join(ROOT, 'test', 'consumers', 'javascript');
const NPM_CONSUMER_COPY = path.join(ROOT, '.cache', 'npm-consumer');

describe('npm consumer (test/consumers/javascript)', () => {
  let javascript: Synthesis;

  beforeAll(() => {
    // GIVEN the tarball `npm pack` makes of this checkout (what the README's Install section says), installed with
    // `npm install <tarball>` into a copy of the app (aws-cdk-lib from the npm registry, as its package.json pins it)
    fs.rmSync(NPM_CONSUMER_COPY, { recursive: true, force: true });
    fs.cpSync(NPM_CONSUMER, NPM_CONSUMER_COPY, { recursive: true });
    const packMs = timedSetup('npm', ['pack', '--ignore-scripts', '--pack-destination', NPM_CONSUMER_COPY], {}, INSTALL_TIMEOUT_MS);
    const tarball = fs.readdirSync(NPM_CONSUMER_COPY).find((f) => f.endsWith('.tgz'))!;
    const installMs = timedSetup('npm', ['install', '--prefix', NPM_CONSUMER_COPY, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
      path.join(NPM_CONSUMER_COPY, tarball)], {}, INSTALL_TIMEOUT_MS);
    javascript = cdkSynth({ cwd: NPM_CONSUMER_COPY, app: 'node app.js', timeoutMs: SYNTH_TIMEOUT_MS });
    timings.push(`npm consumer: npm pack ${packMs} ms, npm install ${installMs} ms, cdk synth ${javascript.ms} ms`);
  }, INSTALL_TIMEOUT_MS);

  test('JavaScript: the library came from the tarball, and the app ran on the npm aws-cdk-lib it pins', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'package.json'), 'utf-8'));
    expect(installed.name).toBe('cdk-trace-merging');
    expect(fs.existsSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'build', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'lib'))).toBe(false);
    expect(javascript.cdkLibVersion).toBe(JSON.parse(fs.readFileSync(path.join(NPM_CONSUMER, 'package.json'), 'utf-8')).dependencies['aws-cdk-lib']);
  });

  test('JavaScript: the template is the TypeScript example\'s, apart from the masked values', () => {
    expect(masked(javascript.template)).toEqual(masked(typescript.template));
  });
});

describe('Python consumer (test/consumers/python)', () => {
  let python: Synthesis;

  beforeAll(() => {
    // GIVEN the wheel `npx projen package:python` built, installed with the app's requirements.txt into a virtualenv
    const installMs = timedSetup('bash', ['scripts/python-venv.sh', PYTHON_VENV, PYTHON_REQUIREMENTS, 'dist/python'], {}, INSTALL_TIMEOUT_MS);
    // WHEN the CLI synthesizes the app
    python = cdkSynth({
      cwd: PYTHON_DIR,
      app: 'python3 app.py',
      env: { PATH: `${path.join(PYTHON_VENV, 'bin')}${path.delimiter}${process.env.PATH}`, VIRTUAL_ENV: PYTHON_VENV },
      timeoutMs: SYNTH_TIMEOUT_MS,
    });
    timings.push(`Python consumer: pip install ${installMs} ms, cdk synth ${python.ms} ms`);
  }, INSTALL_TIMEOUT_MS + SYNTH_TIMEOUT_MS);

  test('Python: the app ran on the pinned PyPI aws-cdk-lib, with the Python jsii runtime', () => {
    expect(python.cdkLibVersion).toBe(PYPI_CDK_LIB_VERSION);
    expect(analyticsOf(python.template)).toMatchObject({ cdkLibVersion: PYPI_CDK_LIB_VERSION, runtime: expect.stringMatching(/^Python\/3\./) });
  });

  test("Python: the template is the TypeScript example's, apart from the masked values", () => {
    expect(masked(python.template)).toEqual(masked(typescript.template));
  });
});

describe('Java consumer (test/consumers/java)', () => {
  let java: Synthesis;

  beforeAll(() => {
    // GIVEN the jar `npx projen package:java` built, and the app compiled against it with its pom.xml
    fs.rmSync(CACHED_OWN_ARTIFACT, { recursive: true, force: true });
    const buildMs = timedSetup('mvn', [...MAVEN_ARGS, '-f', path.join(JAVA_DIR, 'pom.xml'), 'compile'], {}, INSTALL_TIMEOUT_MS);
    // WHEN the CLI synthesizes the app
    java = cdkSynth({ cwd: JAVA_DIR, app: `mvn ${MAVEN_ARGS.join(' ')} compile exec:java`, timeoutMs: SYNTH_TIMEOUT_MS });
    timings.push(`Java consumer: mvn compile ${buildMs} ms, cdk synth ${java.ms} ms`);
  }, INSTALL_TIMEOUT_MS + SYNTH_TIMEOUT_MS);

  test('Java: the app ran on the pinned Maven Central aws-cdk-lib, with the Java jsii runtime', () => {
    expect(java.cdkLibVersion).toBe(MAVEN_CDK_LIB_VERSION);
    expect(analyticsOf(java.template)).toMatchObject({ cdkLibVersion: MAVEN_CDK_LIB_VERSION, runtime: expect.stringMatching(/^Java\//) });
  });

  test("Java: the template is the TypeScript example's, apart from the masked values and one aws-cdk-lib difference", () => {
    // aws-cdk-lib 2.272.0, Maven Central's newest, writes the state machine role's trust policy without the
    // aws:SourceArn / aws:SourceAccount condition that the newer releases on npm (2.276.0) and PyPI (2.275.0)
    // add. That is the CDK version, not the language or this library: it is taken out of the TypeScript
    // template, and only where the Java one lacks it.
    const expected = masked(typescript.template);
    const [roleId, statement] = stateMachineTrustStatement(expected);
    expect(stateMachineTrustStatement(java.template)).toEqual([roleId, { ...statement, Condition: undefined }]);
    delete statement.Condition;
    expect(masked(java.template)).toEqual(expected);
  });
});

/** The logical id of the role Step Functions assumes, and the one statement of its trust policy (a live reference into `template`). */
function stateMachineTrustStatement(template: Record<string, any>): [string, Record<string, any>] {
  const roles = Object.entries(template.Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::IAM::Role'
    && r.Properties.AssumeRolePolicyDocument.Statement.some((st: any) => st.Principal?.Service === 'states.amazonaws.com'));
  expect(roles).toHaveLength(1);
  const [roleId, role] = roles[0];
  expect(role.Properties.AssumeRolePolicyDocument.Statement).toHaveLength(1);
  return [roleId, role.Properties.AssumeRolePolicyDocument.Statement[0]];
}
