import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { MergedTracing, MergedTracingChecker } from '../../lib';
import { REPORT_JSON, REPORT_MARKDOWN } from '../../lib/check/report';
import { ACCOUNT, plainFunction } from '../support/fixtures';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-api-key-AbCdEf`;

/** An app with a traced stack, an untraced legacy function, and a Stage with its own stack. */
function reportApp(outdir: string): App {
  const app = new App({ outdir });
  const shop = new Stack(app, 'Shop', { env: ENV });
  const fn = plainFunction(shop, 'Orders');
  plainFunction(shop, 'Arm', { runtime: lambda.Runtime.PYTHON_3_13, architecture: lambda.Architecture.ARM_64 });
  new sfn.StateMachine(shop, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(shop, 'P')) });
  new apigateway.LambdaRestApi(shop, 'Api', { handler: fn });
  new apigatewayv2.HttpApi(shop, 'Http');
  MergedTracing.applyTo(shop, { env: 'prod', apiKeySecretArn: SECRET_ARN });
  const legacy = new Stack(app, 'Legacy', { env: ENV });
  plainFunction(legacy, 'Old');
  const stageStack = new Stack(new Stage(app, 'Qa'), 'Svc', { env: ENV });
  plainFunction(stageStack, 'Fn');
  MergedTracing.applyTo(stageStack, { env: 'qa', apiKeySecretArn: SECRET_ARN });
  MergedTracingChecker.applyTo(app, { downgradeToWarning: ['FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv'] });
  return app;
}

describe('trace-merging report', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  // GIVEN the app, WHEN it synthesizes
  reportApp(outdir).synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf-8'));
  const markdown = fs.readFileSync(path.join(outdir, REPORT_MARKDOWN), 'utf-8');

  test('the JSON lists every traced resource of the app and its Stages, with what is wired and what is missing', () => {
    // THEN every resource, sorted by unit and path
    expect(json.summary).toEqual({ resources: 7, complete: 5, withMissing: 2, withUnknown: 0 });
    expect(json.resources.map((r: { unit: string; path: string; kind: string }) => `${r.unit} | ${r.path} | ${r.kind}`)).toEqual([
      'Qa | Qa/Svc/Fn | Lambda function',
      'the app | Legacy/Old | Lambda function',
      'the app | Shop/Api/DeploymentStage.prod | REST API stage',
      'the app | Shop/Arm | Lambda function',
      'the app | Shop/Flow | State machine',
      'the app | Shop/Http | HTTP API',
      'the app | Shop/Orders | Lambda function',
    ]);
    const byPath = Object.fromEntries(json.resources.map((r: { path: string }) => [r.path, r]));
    expect(byPath['Shop/Arm']).toEqual({
      unit: 'the app',
      stack: 'Shop',
      path: 'Shop/Arm',
      kind: 'Lambda function',
      runtime: 'python3.13',
      architecture: 'arm64',
      mode: 'SERVERLESS',
      env: 'prod',
      wired: [
        'X-Ray active tracing', 'Datadog layers Datadog-Python313-ARM, Datadog-Extension-ARM', 'DD_MERGE_XRAY_TRACES=true',
        'DD_TRACE_ENABLED=true (SERVERLESS)', 'handler redirected to datadog_lambda.handler.handler', 'DD_ENV=prod',
        'API key from DD_API_KEY_SECRET_ARN', '2 of 5 layers', expect.stringMatching(/^\d+ of 4096 environment bytes$/),
      ],
      missing: [],
      unknown: [],
      findings: [],
    });
    expect(byPath['Legacy/Old']).toMatchObject({
      unit: 'the app',
      stack: 'Legacy',
      runtime: 'nodejs22.x',
      architecture: 'x86_64',
      missing: ['FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv'],
    });
    expect(byPath['Legacy/Old'].findings[0]).toEqual({
      rule: 'FunctionActiveTracing',
      level: 'warning',
      message: 'This function has X-Ray tracing off, so the merged trace breaks at this function. ' +
        'Set tracing: lambda.Tracing.ACTIVE (the L2 also grants xray:PutTraceSegments), or apply MergedTracing to it.',
    });
    expect(byPath['Shop/Flow']).toMatchObject({ kind: 'State machine', env: 'prod', wired: ['X-Ray tracing on the state machine'], missing: [] });
    expect(byPath['Shop/Http']).toMatchObject({ kind: 'HTTP API', missing: ['HttpApiNoXRay'] });
    expect(byPath['Qa/Svc/Fn']).toMatchObject({ unit: 'Qa', stack: 'Qa-Svc', env: 'qa', missing: [] });
  });

  test('the Markdown has one table row per resource and a Mermaid diagram grouped by unit and stack', () => {
    // THEN the header, a full row, a row with missing rules, and the diagram
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Merged tracing report');
    expect(lines).toContain('| Unit | Stack | Path | Kind | Runtime | Mode | Env | Wired | Missing |');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Unit') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(json.resources.length);
    expect(rows).toContain('| the app | Shop | Shop/Flow | State machine | - | - | prod | X-Ray tracing on the state machine | - |');
    expect(rows.find((r) => r.includes('| Legacy/Old |'))).toMatch(
      /^\| the app \| Legacy \| Legacy\/Old \| Lambda function \| nodejs22\.x \(x86_64\) \| SERVERLESS \| - \| .* \| FunctionActiveTracing<br>FunctionDatadogLayers<br>FunctionMergeFlag<br>FunctionHandlerRedirect<br>FunctionDdEnv \|$/);
    const mermaid = markdown.slice(markdown.indexOf('```mermaid\n') + 11, markdown.lastIndexOf('```'));
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('subgraph unit0["Qa"]');
    expect(mermaid).toContain('subgraph unit1["the app"]');
    expect(mermaid).toMatch(/r\d+\["Legacy\/Old<br\/>Lambda function<br\/>nodejs22\.x<br\/>missing: FunctionActiveTracing, .*"\]:::missing/);
    expect(mermaid).toMatch(/r\d+\["Shop\/Flow<br\/>State machine<br\/>env prod"\]:::ok/);
    expect((mermaid.match(/:::(ok|missing|unknown)$/gm) ?? []).length).toBe(json.resources.length);
  });

  test('writeReport: false writes nothing, and Template.fromStack still works with the report on', () => {
    // GIVEN an app whose checker does not report, and one that does
    const quietDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const quiet = new App({ outdir: quietDir });
    plainFunction(new Stack(quiet, 'S', { env: ENV }), 'Fn');
    MergedTracingChecker.applyTo(quiet, { writeReport: false, downgradeToWarning: MergedTracingChecker.ruleNames() });
    const loud = new App();
    const stack = new Stack(loud, 'S', { env: ENV });
    plainFunction(stack, 'Fn');
    MergedTracingChecker.applyTo(loud);

    // WHEN synthesized / THEN no report in the first; the second synthesizes its template as usual
    quiet.synth();
    expect(fs.existsSync(path.join(quietDir, REPORT_JSON))).toBe(false);
    expect(Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1)).toBeUndefined();
  });
});
