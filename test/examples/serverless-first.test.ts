import * as fs from 'fs';
import { cdkSynth, CliSynthesis, resourcesOfType } from './cdk-cli';

// GIVEN a checkout, WHEN the README's quick start `npx cdk synth` runs (cdk.json -> examples/serverless-first)
let synth: CliSynthesis;
beforeAll(() => {
  synth = cdkSynth();
});
afterAll(() => fs.rmSync(synth.outdir, { recursive: true, force: true }));

describe('examples/serverless-first (SERVERLESS), synthesized by `npx cdk synth`', () => {
  test('both functions (Node.js and Python) are merged-traced', () => {
    // THEN every function has X-Ray on and Datadog tracing with X-Ray merge on
    const functions = resourcesOfType(synth.template('ServerlessFirst'), 'AWS::Lambda::Function');
    expect(functions.map((f) => f.Properties.Runtime).sort()).toEqual(['nodejs22.x', 'python3.13']);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        DD_ENV: 'prod', DD_SERVICE: 'checkout', DD_TRACE_ENABLED: 'true', DD_MERGE_XRAY_TRACES: 'true',
      });
    }
  });

  test('the REST API stage and the state machine have X-Ray on', () => {
    // THEN
    const template = synth.template('ServerlessFirst');
    const [stage] = resourcesOfType(template, 'AWS::ApiGateway::Stage');
    const [machine] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    expect(stage.Properties.TracingEnabled).toBe(true);
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  test('synthesis is clean: no CloudFormation validation findings, no warnings', () => {
    expect(synth.validationReport().pluginReports).toEqual([]);
    expect(synth.output).not.toMatch(/WARNING|ERROR/);
  });
});
