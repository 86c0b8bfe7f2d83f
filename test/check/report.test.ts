import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { findings, reportEntries } from './validation';
import { TracingMode } from '../../lib';
import { MergedTracingChecker } from '../../lib/check/merged-tracing-checker';
import { REPORT_JSON, REPORT_MARKDOWN } from '../../lib/check/report';
import { warnWhileInstrumenting } from '../../lib/common/findings';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { testWithCdkAtLeast } from '../support/cdk-features';
import { ACCOUNT, bucketCode, plainFunction } from '../support/fixtures';

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
  // GIVEN the app, WHEN it synthesizes (warnings only: synthesis succeeds)
  reportApp(outdir).synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf-8'));
  const markdown = fs.readFileSync(path.join(outdir, REPORT_MARKDOWN), 'utf-8');

  test('the JSON lists every checked resource of the app and its Stages, with its status, what is wired and what is missing', () => {
    // THEN every resource, sorted by unit and path, with a status
    expect(json.summary).toEqual({
      resources: 7, byStatus: { 'incomplete': 1, 'not-traced': 1, 'merged': 3, 'xray-traced': 2 }, withMissing: 1, withUnknown: 0, withAcknowledged: 0,
    });
    expect(json.resources.map((r: { unit: string; path: string; kind: string; status: string }) => `${r.unit} | ${r.path} | ${r.kind} | ${r.status}`)).toEqual([
      'Qa | Qa/Svc/Fn | Lambda function | merged',
      'the app | Legacy/Old | Lambda function | incomplete',
      'the app | Shop/Api/DeploymentStage.prod | REST API stage | xray-traced',
      'the app | Shop/Arm | Lambda function | merged',
      'the app | Shop/Flow | State machine | xray-traced',
      'the app | Shop/Http | HTTP API | not-traced',
      'the app | Shop/Orders | Lambda function | merged',
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
        'DD_SITE=datadoghq.com', 'API key from DD_API_KEY_SECRET_ARN', '2 of 5 layers', expect.stringMatching(/^\d+ of 4096 environment bytes$/),
      ],
      missing: [],
      unknown: [],
      acknowledged: [],
      findings: [],
      status: 'merged',
    });
    expect(byPath['Legacy/Old']).toMatchObject({
      unit: 'the app',
      stack: 'Legacy',
      runtime: 'nodejs22.x',
      architecture: 'x86_64',
      status: 'incomplete',
      missing: ['FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv', 'FunctionApiKey'],
    });
    expect(byPath['Legacy/Old'].findings[0]).toEqual({
      rule: 'FunctionActiveTracing',
      level: 'warning',
      message: 'This function has X-Ray tracing off, so the merged trace breaks at this function. ' +
        'Set tracing: lambda.Tracing.ACTIVE (the L2 also grants xray:PutTraceSegments), or apply TraceMerging to it.',
      acknowledged: false,
    });
    expect(byPath['Shop/Flow']).toMatchObject({ kind: 'State machine', env: 'prod', wired: ['X-Ray tracing on the state machine'], missing: [] });
    // The HTTP API's warning was annotated while instrumenting: reported there, once, and listed here.
    expect(byPath['Shop/Http']).toMatchObject({ kind: 'HTTP API', missing: [], status: 'not-traced' });
    expect(byPath['Shop/Http'].findings.map((f: { rule: string }) => f.rule)).toEqual(['HttpApiNoXRay']);
    expect(byPath['Qa/Svc/Fn']).toMatchObject({ unit: 'Qa', stack: 'Qa-Svc', env: 'qa', missing: [], status: 'merged' });
  });

  test('the Markdown has one table row per resource with its status, and a Mermaid diagram coloured by status', () => {
    // THEN the header, a full row, a row with missing rules, and the diagram
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Merged tracing report');
    expect(lines[2]).toBe('7 resources: 1 incomplete, 1 not-traced, 3 merged, 2 xray-traced.');
    expect(lines).toContain('| Unit | Stack | Path | Kind | Status | Runtime | Mode | Env | Wired | Missing | Acknowledged |');
    const header = lines.indexOf('| Unit | Stack | Path | Kind | Status | Runtime | Mode | Env | Wired | Missing | Acknowledged |');
    const rows = lines.slice(header + 2, lines.indexOf('', header));
    expect(rows).toHaveLength(json.resources.length);
    expect(rows).toContain('| the app | Shop | Shop/Flow | State machine | xray-traced | - | - | prod | X-Ray tracing on the state machine | - | - |');
    expect(rows.find((r) => r.includes('| Legacy/Old |'))).toMatch(
      /^\| the app \| Legacy \| Legacy\/Old \| Lambda function \| incomplete \| nodejs22\.x \(x86_64\) \| SERVERLESS \| - \| .* \| FunctionActiveTracing<br>FunctionDatadogLayers<br>FunctionMergeFlag<br>FunctionHandlerRedirect<br>FunctionDdEnv<br>FunctionApiKey \| - \|$/);
    const mermaid = markdown.slice(markdown.indexOf('```mermaid\n') + 11, markdown.lastIndexOf('```'));
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('subgraph unit0["Qa"]');
    expect(mermaid).toContain('subgraph unit1["the app"]');
    // A box is named by its path below its stage and stack: the Stage's function is 'Fn', not 'Qa/Svc/Fn'
    expect(mermaid).toMatch(/r\d+\["Fn<br\/>Lambda function<br\/>nodejs22\.x<br\/>env qa<br\/>merged"\]:::merged/);
    expect(mermaid).toMatch(/r\d+\["Old<br\/>Lambda function<br\/>nodejs22\.x<br\/>incomplete<br\/>missing: FunctionActiveTracing, .*"\]:::broken/);
    expect(mermaid).toMatch(/r\d+\["Flow<br\/>State machine<br\/>env prod<br\/>xray-traced"\]:::traced/);
    expect(mermaid).toMatch(/r\d+\["Orders<br\/>Lambda function<br\/>nodejs22\.x<br\/>env prod<br\/>merged"\]:::merged/);
    expect((mermaid.match(/:::(merged|traced|partial|acknowledged|unknown|broken)$/gm) ?? []).length).toBe(json.resources.length);
  });

  test('writeReport: false writes nothing, and Template.fromStack still works with the report on', () => {
    // GIVEN an app whose checker does not report, and one that does
    const quietDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const quiet = new App({ outdir: quietDir });
    plainFunction(new Stack(quiet, 'S', { env: ENV }), 'Fn');
    MergedTracingChecker.applyTo(quiet, { writeReport: false, downgradeToWarning: MergedTracingChecker.ruleNames() });
    const loud = new App();
    const stack = new Stack(loud, 'S', { env: ENV });
    plainFunction(stack, 'Fn', { tracing: lambda.Tracing.ACTIVE });
    MergedTracingChecker.applyTo(loud, { downgradeToWarning: MergedTracingChecker.ruleNames() });

    // WHEN synthesized / THEN no report in the first; the second synthesizes its template as usual
    quiet.synth();
    expect(fs.existsSync(path.join(quietDir, REPORT_JSON))).toBe(false);
    expect(Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1)).toBeUndefined();
  });

  test('a report left by an earlier synthesis into the same directory is replaced', () => {
    // GIVEN an output directory holding a stale report
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    fs.writeFileSync(path.join(dir, REPORT_JSON), '{"stale":true}');
    const app = new App({ outdir: dir });
    plainFunction(new Stack(app, 'S', { env: ENV }), 'Fn');
    MergedTracingChecker.applyTo(app, { downgradeToWarning: MergedTracingChecker.ruleNames() });

    // WHEN synthesized / THEN the report is this synthesis's
    app.synth();
    expect(JSON.parse(fs.readFileSync(path.join(dir, REPORT_JSON), 'utf-8')).resources.map((r: { path: string }) => r.path)).toEqual(['S/Fn']);
  });
});

describe('report status per runtime and mode', () => {
  /** One instrumented function per runtime, in one app, and the statuses the report gives them. */
  function statuses(mode: TracingMode, extra: (stack: Stack) => void = () => undefined): Record<string, string> {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    plainFunction(stack, 'Node');
    plainFunction(stack, 'Python', { runtime: lambda.Runtime.PYTHON_3_13 });
    plainFunction(stack, 'Java', { runtime: lambda.Runtime.JAVA_21, code: bucketCode(stack) });
    plainFunction(stack, 'Dotnet', { runtime: lambda.Runtime.DOTNET_8, code: bucketCode(stack) });
    plainFunction(stack, 'Ruby', { runtime: lambda.Runtime.RUBY_3_3, code: bucketCode(stack) });
    plainFunction(stack, 'Go', { runtime: lambda.Runtime.PROVIDED_AL2023, code: bucketCode(stack) });
    extra(stack);
    MergedTracing.applyTo(app, { env: 'prod', mode, apiKeySecretArn: SECRET_ARN });
    MergedTracingChecker.applyTo(app);
    return Object.fromEntries(reportEntries(app).map((e) => [e.path.replace('S/', ''), e.status]));
  }

  test('SERVERLESS: merged where Datadog merges, traced-not-merged for Java and .NET, needs-code for Ruby and provided', () => {
    // GIVEN / WHEN / THEN
    expect(statuses(TracingMode.SERVERLESS)).toEqual({
      Dotnet: 'traced-not-merged', Go: 'needs-code', Java: 'traced-not-merged', Node: 'merged', Python: 'merged', Ruby: 'needs-code',
    });
  });

  test('HYBRID functions are judged against HYBRID: X-Ray traces them', () => {
    // GIVEN / WHEN / THEN
    expect(statuses(TracingMode.HYBRID)).toEqual({
      Dotnet: 'xray-traced', Go: 'xray-traced', Java: 'xray-traced', Node: 'xray-traced', Python: 'xray-traced', Ruby: 'xray-traced',
    });
  });

  test('a grant the library could not add (ImmutableRole) is incomplete until acknowledged with Validations.acknowledge', () => {
    // GIVEN two functions with an ImmutableRole warning from instrumenting: one as is, one acknowledged with Validations.acknowledge
    const result = statuses(TracingMode.SERVERLESS, (stack) => {
      for (const id of ['Fixed', 'AckValidation']) {
        const fn = plainFunction(stack, id);
        if (id === 'AckValidation') Validations.of(fn).acknowledge({ id: 'cdk-trace-merging:ImmutableRole', reason: 'granted in the role stack' });
        warnWhileInstrumenting(fn, 'ImmutableRole', 'The role is immutable.');
      }
    });

    // THEN
    expect([result.Fixed, result.AckValidation]).toEqual(['incomplete', 'acknowledged']);
  });

  // aws-cdk-lib 2.262-2.270 ignore an acknowledgeWarning made before the warning is added (fixed in 2.271.0).
  testWithCdkAtLeast('2.271.0', 'acknowledgeWarning before the warning is added',
    'a grant the library could not add (ImmutableRole) is acknowledged with Annotations.acknowledgeWarning too', () => {
      // GIVEN a function whose ImmutableRole warning the user acknowledged before instrumenting added it
      const result = statuses(TracingMode.SERVERLESS, (stack) => {
        const fn = plainFunction(stack, 'AckAnnotation');
        Annotations.of(fn).acknowledgeWarning('cdk-trace-merging:ImmutableRole', 'granted in the role stack');
        warnWhileInstrumenting(fn, 'ImmutableRole', 'The role is immutable.');
      });

      // THEN
      expect(result.AckAnnotation).toBe('acknowledged');
    });
});

describe('unknown', () => {
  test('a value only known at deployment makes the resource unknown, and acknowledging it makes it acknowledged', () => {
    // GIVEN two instrumented functions whose tracing mode comes from a deploy-time value
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const [, acked] = ['Fn', 'Acked'].map((id) => {
      const fn = plainFunction(stack, id);
      (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig.Mode', { Ref: 'AWS::NoValue' });
      return fn;
    });
    Validations.of(acked).acknowledge({ id: 'cdk-trace-merging:FunctionActiveTracing', reason: 'set by the pipeline' });
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    MergedTracingChecker.applyTo(app);

    // WHEN synthesized / THEN a warning for Fn only, and the statuses
    expect(findings(app, 'warning')).toEqual(['/S/Fn FunctionActiveTracing']);
    expect(reportEntries(app).map((e) => [e.path, e.status, e.unknown, e.acknowledged])).toEqual([
      ['S/Acked', 'acknowledged', [], ['FunctionActiveTracing']],
      ['S/Fn', 'unknown', ['FunctionActiveTracing'], []],
    ]);
  });
});
