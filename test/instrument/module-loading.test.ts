import { execFileSync } from 'child_process';
import { rmSync } from 'fs';
import { join, resolve } from 'path';
import { transpileForBench } from '../../bench/compile';

/*
 * The MergedTracing aspect visits every construct of an app. Telling node kinds apart with
 * `instanceof appsync.CfnGraphQLApi` (and the like) makes aws-cdk-lib load that service's module, hundreds
 * of KB of JavaScript, during every synth of an app that has no such resource. These tests run a real app
 * in a fresh node process (jest's module registry is not node's) and list what synthesis loaded.
 */
const REPO = resolve(__dirname, '..', '..');
// Inside the repository (git-ignored), so the transpiled code finds node_modules.
const JS_ROOT = join(REPO, '.cache', `module-loading-${process.pid}`);

/** Modules of aws-cdk-lib that merged tracing may touch but that an app without those resources never needs. */
const UNUSED_SERVICE_MODULES = /aws-cdk-lib\/(aws-appsync|aws-sns|aws-apigatewayv2|aws-stepfunctions|custom-resources)\//;

/** Synthesizes an app in a fresh process; returns what it reports, plus the modules synthesis loaded. */
function synthInFreshProcess(appBody: string): { loaded: string[]; report: Record<string, unknown> } {
  const script = `
    const cdk = require('aws-cdk-lib');
    const lambda = require('aws-cdk-lib/aws-lambda');
    const lib = require(${JSON.stringify(join(JS_ROOT, 'lib', 'index.js'))});
    const app = new cdk.App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'module-loading-')) });
    const stack = new lib.MergedTracingStack(app, 'Stack', {
      env: { account: '123456789012', region: 'us-east-1' },
      tracing: { env: 'prod', apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf' },
    });
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const report = {};
    ${appBody}
    const before = new Set(Object.keys(require.cache));
    const template = app.synth().getStackByName('Stack').template;
    report.loaded = Object.keys(require.cache).filter((m) => !before.has(m));
    report.resources = template.Resources;
    process.stdout.write(JSON.stringify(report));
  `;
  const output = execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(output) as Record<string, unknown> & { loaded: string[] };
  return { loaded: report.loaded.map((m) => m.replace(/.*node_modules\//, '')), report };
}

function resourcesOfType(report: Record<string, unknown>, type: string): Array<{ Properties: Record<string, unknown> }> {
  return Object.values(report.resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter((r) => r.Type === type);
}

describe('MergedTracing loads only the aws-cdk-lib modules the app itself uses', () => {
  beforeAll(() => transpileForBench(REPO, JS_ROOT));
  afterAll(() => rmSync(JS_ROOT, { recursive: true, force: true }));

  test('an app of Lambda functions only: synthesis loads no AppSync, SNS, HTTP API, Step Functions or custom-resources module', () => {
    // GIVEN a MergedTracingStack with one function and nothing else
    // WHEN it is synthesized in a fresh process
    const { loaded, report } = synthInFreshProcess('');

    // THEN the function is instrumented
    const [fn] = resourcesOfType(report, 'AWS::Lambda::Function');
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toEqual('/opt/nodejs/node_modules/datadog-lambda-js/handler.handler');
    // THEN no module of a service the app does not use was loaded to tell node kinds apart
    expect(loaded.filter((m) => UNUSED_SERVICE_MODULES.test(m))).toEqual([]);
    // THEN the check that the modules are watched at all: synthesis did load modules (aws-cdk-lib's own)
    expect(loaded.length).toBeGreaterThan(0);
  });

  test('an app that has an SNS topic and a state machine: both are still told apart and instrumented', () => {
    // GIVEN the same stack plus an SNS topic and a Step Functions state machine, loaded by the app itself
    const { report } = synthInFreshProcess(`
      const sns = require('aws-cdk-lib/aws-sns');
      const sfn = require('aws-cdk-lib/aws-stepfunctions');
      new sns.Topic(stack, 'Topic');
      new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Step')) });
    `);

    // THEN X-Ray is on for the topic and for the state machine (through its L2, which also grants its role)
    expect(resourcesOfType(report, 'AWS::SNS::Topic')[0].Properties.TracingConfig).toEqual('Active');
    expect(resourcesOfType(report, 'AWS::StepFunctions::StateMachine')[0].Properties.TracingConfiguration).toEqual({ Enabled: true });
    const policies = resourcesOfType(report, 'AWS::IAM::Policy').map((p) => JSON.stringify(p.Properties.PolicyDocument));
    expect(policies.some((doc) => doc.includes('xray:GetSamplingTargets'))).toBe(true);
  });
});
