/**
 * The README's example app written in Java (test/consumers/java), built the way a Java user builds it: Maven, the
 * jar `npx projen bindings` built into dist/java (a Maven repository) and aws-cdk-lib from Maven Central (pom.xml);
 * synthesized with the real CDK CLI. Its template must be the TypeScript example's, masks aside.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, INSTALL_TIMEOUT_MS, ROOT, Synthesis, SYNTH_TIMEOUT_MS, timedSetup, typescriptExample } from './support/cdk-synth';
import { analyticsOf, masked } from './support/template-comparison';
import { machineCache } from '../support/machine-cache';

const JAVA_DIR = path.join(ROOT, 'test', 'consumers', 'java');
const MAVEN_REPO = machineCache('maven');
/** Maven keeps a release version once copied into its local repository: drop ours so dist/java's fresh build is used. */
const CACHED_OWN_ARTIFACT = path.join(MAVEN_REPO, 'io', 'github', 'cdktracemerging');
const MAVEN_ARGS = ['-q', '-B', `-Dmaven.repo.local=${MAVEN_REPO}`];
/** The aws-cdk-lib release pom.xml pins. */
const MAVEN_CDK_LIB_VERSION = /<cdk\.version>([^<]+)<\/cdk\.version>/.exec(fs.readFileSync(path.join(JAVA_DIR, 'pom.xml'), 'utf-8'))![1];

let typescript: Synthesis;

beforeAll(() => {
  // The reference: the TypeScript example as `npx cdk synth` at the root synthesizes it (the run's shared synthesis).
  typescript = typescriptExample();
}, SYNTH_TIMEOUT_MS);

describe('Java consumer (test/consumers/java)', () => {
  let java: Synthesis;

  beforeAll(() => {
    // GIVEN the jar `npx projen package:java` built, and the app compiled against it with its pom.xml
    fs.rmSync(CACHED_OWN_ARTIFACT, { recursive: true, force: true });
    const buildMs = timedSetup('mvn', [...MAVEN_ARGS, '-f', path.join(JAVA_DIR, 'pom.xml'), 'compile'], {}, INSTALL_TIMEOUT_MS);
    // WHEN the CLI synthesizes the app
    java = cdkSynth({ cwd: JAVA_DIR, app: `mvn ${MAVEN_ARGS.join(' ')} compile exec:java`, timeoutMs: SYNTH_TIMEOUT_MS });
    console.log(`Java consumer: mvn compile ${buildMs} ms, cdk synth ${java.ms} ms`);
  }, INSTALL_TIMEOUT_MS + SYNTH_TIMEOUT_MS);

  test('Java: the app ran on the pinned Maven Central aws-cdk-lib, with the Java jsii runtime', () => {
    expect(java.cdkLibVersion).toBe(MAVEN_CDK_LIB_VERSION);
    expect(analyticsOf(java.template)).toMatchObject({ cdkLibVersion: MAVEN_CDK_LIB_VERSION, runtime: expect.stringMatching(/^Java\//) });
  });

  test("Java: the template is the TypeScript example's, apart from the masked values and one aws-cdk-lib difference", () => {
    // aws-cdk-lib 2.272.0, Maven Central's newest, writes the state machine role's trust policy without the
    // aws:SourceArn / aws:SourceAccount condition that the newer releases on npm (2.277.0) and PyPI (2.275.0)
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
