/**
 * The example app as a user gets it: `npx cdk synth` with the real CDK CLI at the repository root
 * (cdk.json -> examples/serverless-first). Every function, REST API stage and state machine in
 * the output must be merged-traced.
 */
import * as fs from 'fs';
import * as path from 'path';
import { exampleAssembly } from './examples/example-assemblies';

const ROOT = path.resolve(__dirname, '..');
const STACK = 'ServerlessFirst';

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource>; [section: string]: unknown };

let template: Template;
let validationReport: { pluginReports: unknown[] };
/** What the CLI printed (annotations go to stderr). */
let cliOutput: string;

beforeAll(() => {
  // GIVEN a checkout, WHEN the real CLI synthesizes the app of cdk.json (once per test run, shared: example-assemblies.ts)
  const synth = exampleAssembly('serverless-first');
  cliOutput = synth.output;
  template = synth.template(STACK) as Template;
  validationReport = synth.validationReport();
});

test('the shared synthesis runs the app of cdk.json, the README\'s quick start', () => {
  // THEN (example-assemblies.ts adds only ts-node's --transpile-only: the test task type-checks the example with tsc)
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8')).app).toBe('npx ts-node --prefer-ts-exts examples/serverless-first/app.ts');
});

function ofType(type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** Statements of the policies attached to a role (by its logical id). */
/** Statements of every policy attached to the role (its DefaultPolicy and the shared tracing policy). */
function statementsOfRole(roleLogicalId: string): any[] {
  const roleRef = JSON.stringify({ Ref: roleLogicalId });
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((role: unknown) => JSON.stringify(role) === roleRef))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const layer = (name: string, version: number) => `arn:aws:lambda:us-east-1:464622532012:layer:${name}:${version}`;

/** What each runtime the example uses must get, written out rather than read from lib/. */
const EXPECTED_BY_RUNTIME: Record<string, { handler: string; layers: Record<string, string[]> }> = {
  'nodejs22.x': {
    handler: '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler',
    layers: {
      x86_64: [layer('Datadog-Node22-x', 142), layer('Datadog-Extension', 99)],
      arm64: [layer('Datadog-Node22-x', 142), layer('Datadog-Extension-ARM', 99)],
    },
  },
  'python3.13': {
    handler: 'datadog_lambda.handler.handler',
    layers: {
      x86_64: [layer('Datadog-Python313', 127), layer('Datadog-Extension', 99)],
      arm64: [layer('Datadog-Python313-ARM', 127), layer('Datadog-Extension-ARM', 99)],
    },
  },
};

const SERVICE_TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'checkout' }, { Key: 'version', Value: '1.0.0' }];

describe('examples/serverless-first synthesized by `npx cdk synth`', () => {
  test('it has the resources the checks below cover (so "every" is not vacuous)', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(2);
    expect(ofType('AWS::ApiGateway::Stage')).toHaveLength(1);
    expect(ofType('AWS::StepFunctions::StateMachine')).toHaveLength(1);
  });

  test('every Lambda function is merged-traced: X-Ray Active with its grant, Datadog layers, redirect, env, tags', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const props = fn.Properties;
      const expected = EXPECTED_BY_RUNTIME[props.Runtime];
      expect([id, expected]).toEqual([id, expect.anything()]); // a runtime this test knows
      const arch = (props.Architectures ?? ['x86_64'])[0];
      expect([id, props.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
      expect([id, props.Layers]).toEqual([id, expected.layers[arch]]);
      expect([id, props.Handler]).toEqual([id, expected.handler]);
      expect([id, props.Environment.Variables]).toEqual([id, expect.objectContaining({
        DD_ENV: 'prod',
        DD_SERVICE: 'checkout',
        DD_VERSION: '1.0.0',
        DD_SITE: 'datadoghq.com',
        DD_TRACE_ENABLED: 'true',
        DD_MERGE_XRAY_TRACES: 'true',
        DD_LAMBDA_HANDLER: 'index.handler',
        DD_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
      })]);
      expect([id, props.Tags]).toEqual([id, SERVICE_TAGS]);
      const statements = statementsOfRole(props.Role['Fn::GetAtt'][0]);
      expect([id, statements]).toEqual([id, expect.arrayContaining([
        { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
        {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
        },
      ])]);
    }
  });

  test('every REST API stage has X-Ray tracing on', () => {
    for (const [id, stage] of ofType('AWS::ApiGateway::Stage')) {
      expect([id, stage.Properties.TracingEnabled]).toEqual([id, true]);
    }
  });

  test('every state machine has X-Ray tracing on, the X-Ray actions on its role, and the service tags', () => {
    for (const [id, machine] of ofType('AWS::StepFunctions::StateMachine')) {
      expect([id, machine.Properties.TracingConfiguration]).toEqual([id, { Enabled: true }]);
      expect([id, machine.Properties.Tags]).toEqual([id, SERVICE_TAGS]);
      expect([id, statementsOfRole(machine.Properties.RoleArn['Fn::GetAtt'][0])]).toEqual([id, expect.arrayContaining([{
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        Effect: 'Allow',
        Resource: '*',
      }])]);
    }
  });

  test('CloudFormation validation of the output finds nothing', () => {
    expect(validationReport.pluginReports).toEqual([]);
  });

  test('the CLI prints no warnings or errors (no findings of ours, no CDK ones)', () => {
    expect(cliOutput).not.toMatch(/\[Warning|WARNING|\[Error|ERROR|cdk-trace-merging:/);
  });

  test('the CLI prints one line with the report\'s summary and where the report is', () => {
    expect(cliOutput.split('\n').filter((l) => l.startsWith('Merged tracing report: '))).toEqual([
      expect.stringMatching(/^Merged tracing report: 4 resources: 2 merged, 2 xray-traced\. Details: .+\/trace-merging-report\.md \(and trace-merging-report\.json\)$/),
    ]);
    // With `cdk synth --quiet` (the quick start) nothing buries it: after it, only the CLI's own feature-flag notice
    const lines = cliOutput.trim().split('\n');
    const after = lines.slice(lines.findIndex((l) => l.startsWith('Merged tracing report: ')) + 1);
    expect(after.filter((l) => !/^\d+ feature flags are not configured\./.test(l))).toEqual([]);
  });

  test('the trace map: REST API -> order function -> workflow -> price function, one trace end to end', () => {
    // THEN every hop continues, and the one path is one trace
    const map = exampleAssembly('serverless-first').traceMap();
    expect(map.edges).toEqual([
      { from: 'ServerlessFirst/CheckoutApi/DeploymentStage.prod', to: 'ServerlessFirst/OrderFunction', via: 'REST API integration', trace: 'continues', carriedBy: ['X-Ray header'] },
      { from: 'ServerlessFirst/CheckoutWorkflow', to: 'ServerlessFirst/PriceFunction', via: 'state machine task', trace: 'continues', carriedBy: ['X-Ray header'] },
      { from: 'ServerlessFirst/OrderFunction', to: 'ServerlessFirst/CheckoutWorkflow', via: 'states:StartExecution grant', trace: 'continues', carriedBy: ['X-Ray header'] },
    ]);
    expect(map.paths).toEqual([{
      through: ['ServerlessFirst/CheckoutApi/DeploymentStage.prod', 'ServerlessFirst/OrderFunction', 'ServerlessFirst/CheckoutWorkflow', 'ServerlessFirst/PriceFunction'],
      trace: 'continues',
    }]);
    expect(map.markdown).toMatchSnapshot();
  });

  test('the README shows this example\'s map as the report draws it', () => {
    // THEN the README's Mermaid block is the report's, line for line
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const mermaidOf = (markdown: string) => markdown.slice(markdown.indexOf('```mermaid\n'), markdown.indexOf('\n```\n', markdown.indexOf('```mermaid\n')));
    expect(mermaidOf(exampleAssembly('serverless-first').traceMap().markdown)).toMatch(/^```mermaid\nflowchart TB\n/);
    expect(mermaidOf(readme)).toEqual(mermaidOf(exampleAssembly('serverless-first').traceMap().markdown));
  });

  test('template snapshot (asset hashes, S3 keys and CDK\'s version report masked), on top of the assertions above', () => {
    expect(masked(template)).toMatchSnapshot();
  });
});

/**
 * The template with content hashes (assets, deployments; in keys and values) and S3 keys replaced, and CDK's version
 * report (CDKMetadata's Analytics: aws-cdk-lib's version and the constructs used, compressed) masked.
 */
function masked(value: unknown): unknown {
  const text = JSON.stringify(value, (key, v) => (key === 'S3Key' ? '<s3-key>' : key === 'Analytics' ? '<cdk-version-report>' : v));
  return JSON.parse(text.replace(/[0-9a-f]{32,64}/g, '<hash>'));
}
