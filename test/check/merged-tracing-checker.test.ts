import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations as CoreAnnotations, App, Aspects, AspectPriority, CfnParameter, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { findings, reportEntries, violationAt, violations } from './validation';
import { SERVERLESS_FIRST_ENV, SERVERLESS_FIRST_TRACING, ServerlessFirstStack } from '../../examples/serverless-first/stack';
import { MergedTracingStack, TracingMode } from '../../lib';
import { MergedTracingChecker } from '../../lib/check/merged-tracing-checker';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { ACCOUNT, bucketCode, errorOf, plainFunction, stackIn } from '../support/fixtures';

const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-api-key-AbCdEf`;
const ENV = { account: ACCOUNT, region: 'us-east-1' };

/** The description and fix of our violation of `rule` at `constructPath`. */
function messageOf(scope: IConstruct, constructPath: string, rule: string): string | undefined {
  const v = violationAt(scope, constructPath.replace(/^\//, ''), rule);
  return v ? `${v.description} | ${v.suggestedFix}` : undefined;
}

describe('MergedTracingChecker on a brownfield stack', () => {
  test('hand-written functions, an L1 CfnFunction and escape-hatch overrides are read as synthesized', () => {
    // GIVEN a plain Stack: an untraced L2 function, an L1 CfnFunction, and an L2 traced only through addPropertyOverride
    const stack = stackIn();
    plainFunction(stack, 'Plain');
    new lambda.CfnFunction(stack, 'L1', {
      runtime: 'python3.12',
      handler: 'index.handler',
      role: `arn:aws:iam::${ACCOUNT}:role/r`,
      code: { s3Bucket: 'code-bucket', s3Key: 'code.zip' },
      tracingConfig: { mode: 'Active' },
    });
    const overridden = plainFunction(stack, 'Overridden');
    (overridden.node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig.Mode', 'Active');

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN every gap is an error on the construct users know (the L2, or the L1 itself), and the override counts
    expect(findings(stack, 'error')).toEqual([
      '/Stack/L1 FunctionDatadogLayers', '/Stack/L1 FunctionDdEnv', '/Stack/L1 FunctionHandlerRedirect', '/Stack/L1 FunctionMergeFlag',
      '/Stack/Overridden FunctionDatadogLayers', '/Stack/Overridden FunctionDdEnv', '/Stack/Overridden FunctionHandlerRedirect', '/Stack/Overridden FunctionMergeFlag',
      '/Stack/Plain FunctionActiveTracing', '/Stack/Plain FunctionDatadogLayers', '/Stack/Plain FunctionDdEnv',
      '/Stack/Plain FunctionHandlerRedirect', '/Stack/Plain FunctionMergeFlag',
    ]);
    expect(messageOf(stack, '/Stack/Plain', 'FunctionActiveTracing')).toBe(
      'This function has X-Ray tracing off, so the merged trace breaks at this function. [cdk-trace-merging:FunctionActiveTracing] | ' +
      'Set tracing: lambda.Tracing.ACTIVE (the L2 also grants xray:PutTraceSegments), or apply TraceMerging to it.');
    // and none has an API key: no trace of theirs could reach Datadog
    expect(findings(stack, 'warning')).toEqual(['/Stack/L1 FunctionApiKey', '/Stack/Overridden FunctionApiKey', '/Stack/Plain FunctionApiKey']);
  });

  test('the same functions are clean once MergedTracing instruments them', () => {
    // GIVEN the brownfield stack instrumented by MergedTracing (L2 functions) and checked in the same app
    const app = new App();
    const stack = stackIn('us-east-1', {}, app);
    plainFunction(stack, 'Plain');
    plainFunction(stack, 'Java', { runtime: lambda.Runtime.JAVA_21, code: bucketCode(stack) });
    plainFunction(stack, 'Arm', { runtime: lambda.Runtime.PYTHON_3_13, architecture: lambda.Architecture.ARM_64 });

    // WHEN
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    MergedTracingChecker.applyTo(app, { env: 'prod', mode: TracingMode.SERVERLESS });

    // THEN no checker findings; MergedTracing said (an annotation) that Datadog's Java tracer cannot merge,
    // and the report shows that hop as traced but not merged
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Stack/Java', Match.stringLikeRegexp('^Datadog\'s Java tracer cannot merge X-Ray traces'));
    expect(reportEntries(stack).filter((e) => e.kind === 'Lambda function').map((e) => [e.path, e.status])).toEqual([
      ['Stack/Arm', 'merged'], ['Stack/Java', 'traced-not-merged'], ['Stack/Plain', 'merged'],
    ]);
  });

  test('HYBRID is inferred from DD_TRACE_ENABLED=false, so a hybrid stack is clean without options', () => {
    // GIVEN a stack instrumented in HYBRID mode
    const stack = stackIn();
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN });

    // WHEN checked without options, and a second stack checked expecting SERVERLESS
    MergedTracingChecker.applyTo(stack);
    const other = new Stack(stack.node.root as App, 'Other', { env: ENV });
    plainFunction(other, 'Fn');
    MergedTracing.applyTo(other, { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN });
    MergedTracingChecker.applyTo(other, { mode: TracingMode.SERVERLESS });

    // THEN the first is clean, the second is wrong for SERVERLESS on both flags
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(other, 'error')).toEqual(['/Other/Fn FunctionMergeFlag', '/Other/Fn FunctionTraceEnabled']);
  });

  test('an environment-agnostic stack: the Fn::Join / FindInMap layer ARNs of our mapping are compliant', () => {
    // GIVEN a stack without env (region is a token), instrumented by MergedTracing
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    plainFunction(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_12, architecture: lambda.Architecture.ARM_64 });
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecretArn: SECRET_ARN });

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN no findings: the layers are recognised through the DatadogLayerAccounts mapping
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
  });

  test('a REST API stage and a state machine without X-Ray are errors on the L2', () => {
    // GIVEN a plain stack with a REST API (tracing off) and a state machine (tracing off)
    const stack = stackIn();
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { tracingEnabled: false } });
    api.root.addMethod('GET');
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN
    expect(findings(stack, 'error')).toEqual(['/Stack/Api/DeploymentStage.prod RestStageTracing', '/Stack/Flow StateMachineTracing']);
    expect(messageOf(stack, '/Stack/Flow', 'StateMachineTracing')).toBe(
      'This state machine has X-Ray tracing off, so the trace breaks between the functions it invokes. [cdk-trace-merging:StateMachineTracing] | ' +
      'Set tracingEnabled: true on the state machine (its role needs xray:PutTraceSegments) or apply TraceMerging.');
  });

  test('a GraphQL API without X-Ray is an error and an SNS topic in PassThrough a warning, with their report status', () => {
    // GIVEN a plain stack (no MergedTracing) with an AppSync GraphQL API and an SNS topic, both untraced
    const stack = stackIn();
    new appsync.CfnGraphQLApi(stack, 'Graph', { name: 'orders', authenticationType: 'AWS_IAM' });
    new sns.Topic(stack, 'Orders');

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN the API fails the check, the topic warns, and the report shows neither as traced
    expect(findings(stack, 'error')).toEqual(['/Stack/Graph GraphqlApiTracing']);
    expect(findings(stack, 'warning')).toEqual(['/Stack/Orders SnsTopicTracing']);
    expect(messageOf(stack, '/Stack/Orders', 'SnsTopicTracing')).toBe(
      'This SNS topic has tracing unset (PassThrough), so it forwards the trace header but sends no segment, and the topic hop is missing from the merged trace. [cdk-trace-merging:SnsTopicTracing] | ' +
      'Set tracingConfig: sns.TracingConfig.ACTIVE (SNS then needs an X-Ray resource policy, which TraceMerging adds) or apply TraceMerging.');
    expect(reportEntries(stack).filter((e) => e.kind === 'GraphQL API' || e.kind === 'SNS topic')
      .map((e) => [e.path, e.kind, e.status, e.missing])).toEqual([
      ['Stack/Graph', 'GraphQL API', 'not-traced', ['GraphqlApiTracing']],
      ['Stack/Orders', 'SNS topic', 'not-traced', ['SnsTopicTracing']],
    ]);
  });

  test('a GraphQL API and an SNS topic under MergedTracing pass and are reported as X-Ray traced', () => {
    // GIVEN both under MergedTracing in SERVERLESS mode
    const stack = stackIn();
    new appsync.GraphqlApi(stack, 'Graph', {
      name: 'orders', definition: appsync.Definition.fromFile(path.join(__dirname, '..', '..', 'examples', 'managed-hops', 'schema.graphql')),
    });
    new sns.Topic(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecretArn: SECRET_ARN });

    // WHEN checked
    MergedTracingChecker.applyTo(stack, { env: 'prod' });

    // THEN no findings, and both are X-Ray traced with the shared env
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
    expect(reportEntries(stack).filter((e) => e.kind === 'GraphQL API' || e.kind === 'SNS topic')
      .map((e) => [e.path, e.status, e.env])).toEqual([
      ['Stack/Graph', 'xray-traced', 'prod'],
      ['Stack/Orders', 'xray-traced', 'prod'],
    ]);
  });

  test('CDK-internal functions and CfnResource-based providers are skipped', () => {
    // GIVEN an AwsCustomResource (singleton function) and a core CustomResourceProvider (a CfnResource function)
    const stack = stackIn();
    new cr.AwsCustomResource(stack, 'Sdk', {
      onCreate: { service: 'S3', action: 'listBuckets', physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const codeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-'));
    fs.writeFileSync(path.join(codeDirectory, 'index.js'), 'exports.handler = async () => ({});');
    const provider = CustomResourceProvider.getOrCreateProvider(stack, 'Custom::Thing', {
      codeDirectory, runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken, resourceType: 'Custom::Thing' });

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN nothing is reported
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
  });

  test('Lambda@Edge functions are skipped: they can take neither layers nor variables, so no rule could be met', () => {
    // GIVEN an EdgeFunction (its role trusts edgelambda.amazonaws.com) and an unwired plain function beside it
    const stack = stackIn();
    new cloudfront.experimental.EdgeFunction(stack, 'Edge', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    plainFunction(stack, 'Plain');

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN only the plain function is reported; the report lists the edge function as excluded, saying why
    expect(new Set(violations(stack).flatMap((v) => v.violatingConstructs.map((c) => c.constructPath)))).toEqual(new Set(['Stack/Plain']));
    expect(reportEntries(stack).map((e) => [e.path, e.status, e.exclusion])).toEqual([
      ['Stack/Edge/Fn', 'excluded', 'Lambda@Edge: it can take neither layers nor environment variables (see the LambdaAtEdge warning)'],
      ['Stack/Plain', 'incomplete', undefined],
    ]);
  });

  test('an unresolved value gives an acknowledgeable warning, never a silent pass', () => {
    // GIVEN a function nobody instruments, whose DD_ENV comes from a parameter
    const stack = stackIn();
    const envParam = new CfnParameter(stack, 'Env');
    plainFunction(stack, 'Fn', { environment: { DD_ENV: envParam.valueAsString } });

    // WHEN checked
    MergedTracingChecker.applyTo(stack);

    // THEN the DD_ENV check is a warning with our id, listed as unknown in the report (the unwired function misses more)
    expect(findings(stack, 'warning')).toEqual(['/Stack/Fn FunctionApiKey', '/Stack/Fn FunctionDdEnv']);
    expect(messageOf(stack, 'Stack/Fn', 'FunctionDdEnv')).toBe(
      'This function cannot be checked for FunctionDdEnv at synth time: its DD_ENV is only known at deployment. [cdk-trace-merging:FunctionDdEnv] | ' +
      "Make it a literal value, or check it yourself and acknowledge this warning (Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:FunctionDdEnv', reason })).");
    expect(reportEntries(stack).find((e) => e.path === 'Stack/Fn')).toMatchObject({ status: 'incomplete', unknown: ['FunctionDdEnv'] });
  });
});

describe('env must agree within a deployment unit', () => {
  test('two top-level stacks with different envs: an error naming both values and both paths', () => {
    // GIVEN two stacks of one app traced with env prod and env staging
    const app = new App();
    const prod = new Stack(app, 'Prod', { env: ENV });
    const staging = new Stack(app, 'Staging', { env: ENV });
    plainFunction(prod, 'Fn');
    plainFunction(prod, 'Fn2');
    plainFunction(staging, 'Fn');
    MergedTracing.applyTo(prod, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    MergedTracing.applyTo(staging, { env: 'staging', apiKeySecretArn: SECRET_ARN });

    // WHEN the app is checked
    MergedTracingChecker.applyTo(app);

    // THEN the odd one out is reported against the other stack's function
    expect(findings(staging, 'error')).toEqual(['/Staging/Fn EnvMismatch']);
    expect(findings(prod, 'error')).toEqual([]);
    expect(messageOf(staging, '/Staging/Fn', 'EnvMismatch')).toBe(
      "This resource has env 'staging', but 'prod' at Prod/Fn is in the same deployment unit (the app), so their traces would not connect in Datadog. [cdk-trace-merging:EnvMismatch] | " +
      "Use env 'prod' for every traced resource of the app: set it in the options given at Staging (deploy other environments as separate Stages).");
  });

  test('different Stages may be different environments; within one Stage they must agree', () => {
    // GIVEN a Stage 'Test' whose two stacks agree, and a Stage 'Live' whose stacks do not
    const app = new App();
    const testStage = new Stage(app, 'Test');
    const live = new Stage(app, 'Live');
    const stacks = [
      [testStage, 'A', 'test'], [testStage, 'B', 'test'], [live, 'A', 'prod'], [live, 'B', 'prod'], [live, 'C', 'qa'],
    ] as const;
    for (const [stage, id, env] of stacks) {
      const stack = new Stack(stage, id, { env: ENV });
      plainFunction(stack, 'Fn');
      MergedTracing.applyTo(stack, { env, apiKeySecretArn: SECRET_ARN });
    }

    // WHEN the whole app is checked
    MergedTracingChecker.applyTo(app);

    // THEN only Live/C is reported, in the Live unit
    expect(findings(app, 'error')).toEqual(['/Live/C/Fn EnvMismatch']);
    expect(messageOf(app, 'Live/C/Fn', 'EnvMismatch')).toContain("has env 'qa', but 'prod' at Live/A/Fn is in the same deployment unit (Live)");
  });

  test('the env option is the reference when given, for every traced resource', () => {
    // GIVEN one stack all in staging, checked expecting prod
    const stack = stackIn();
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'staging', apiKeySecretArn: SECRET_ARN });

    // WHEN checked with env prod
    MergedTracingChecker.applyTo(stack, { env: 'prod' });

    // THEN the function is reported once, for its DD_ENV (EnvMismatch would say the same again)
    expect(findings(stack, 'error')).toEqual(['/Stack/Fn FunctionDdEnv']);
  });
});

describe('reporting options', () => {
  test('downgradeToWarning turns a rule\'s errors into warnings, which can be acknowledged', () => {
    // GIVEN two untraced-by-X-Ray stacks, one downgrading FunctionActiveTracing, one also acknowledging it
    const app = new App();
    const [, acknowledged] = ['Downgraded', 'Acknowledged'].map((id) => {
      const stack = new Stack(app, id, { env: ENV });
      plainFunction(stack, 'Fn');
      MergedTracingChecker.applyTo(stack, {
        downgradeToWarning: ['FunctionActiveTracing', 'cdk-trace-merging:FunctionDatadogLayers'],
        disabledRules: ['FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv', 'FunctionApiKey'],
      });
      return stack;
    });
    Validations.of(acknowledged).acknowledge({ id: 'cdk-trace-merging:FunctionActiveTracing', reason: 'X-Ray is off on purpose' });

    // WHEN synthesized / THEN warnings, not errors; the acknowledged one is gone (only below its scope); disabled rules say nothing
    expect(findings(app, 'error')).toEqual([]);
    expect(findings(app, 'warning')).toEqual([
      '/Acknowledged/Fn FunctionDatadogLayers', '/Downgraded/Fn FunctionActiveTracing', '/Downgraded/Fn FunctionDatadogLayers',
    ]);
    expect(reportEntries(app).find((e) => e.path === 'Acknowledged/Fn')).toMatchObject({
      acknowledged: ['FunctionActiveTracing'], missing: ['FunctionDatadogLayers'], status: 'incomplete',
    });
  });

  test('HTTP APIs are warnings, acknowledged with Validations.of(scope).acknowledge, for that scope only', () => {
    // GIVEN two stacks with an HTTP API, the second acknowledging the warning
    const app = new App();
    const [, acked] = ['Plain', 'Acked'].map((id) => {
      const stack = new Stack(app, id, { env: ENV });
      new apigatewayv2.HttpApi(stack, 'Api');
      MergedTracingChecker.applyTo(stack);
      return stack;
    });
    Validations.of(acked).acknowledge({ id: 'cdk-trace-merging:HttpApiNoXRay', reason: 'no API hop needed' });

    // THEN only the first has the warning; synthesis succeeds; the report says acknowledged
    expect(findings(app, 'warning')).toEqual(['/Plain/Api HttpApiNoXRay']);
    expect(() => app.synth({ force: true })).not.toThrow();
    expect(reportEntries(app).map((e) => [e.path, e.status])).toEqual([['Acked/Api', 'acknowledged'], ['Plain/Api', 'not-traced']]);
  });

  test('the acknowledgement id CDK\'s console report suggests works as well', () => {
    // GIVEN an HTTP API acknowledged with 'cdk-trace-merging::cdk-trace-merging:HttpApiNoXRay' (in an app of its own:
    // aws-cdk-lib 2.262 applies that form to every resource of the app)
    const stack = stackIn();
    new apigatewayv2.HttpApi(stack, 'Api');
    MergedTracingChecker.applyTo(stack);
    Validations.of(stack).acknowledge({ id: 'cdk-trace-merging::cdk-trace-merging:HttpApiNoXRay', reason: 'same' });

    // THEN no violation, and the report says acknowledged
    expect(findings(stack, 'warning')).toEqual([]);
    expect(reportEntries(stack).map((e) => [e.path, e.status])).toEqual([['Stack/Api', 'acknowledged']]);
  });

  test('an HTTP API under MergedTracing is reported once (by instrumenting), also when acknowledged by annotation', () => {
    // GIVEN two stacks with an HTTP API, instrumented and checked; the second acknowledges the annotation
    const app = new App();
    const [plain, acked] = ['Plain', 'Acked'].map((id) => {
      const stack = new Stack(app, id, { env: ENV });
      new apigatewayv2.HttpApi(stack, 'Api');
      return stack;
    });
    CoreAnnotations.of(acked).acknowledgeWarning('cdk-trace-merging:HttpApiNoXRay', 'internal API');
    MergedTracing.applyTo(app, { env: 'prod', apiKeySecretArn: SECRET_ARN });
    MergedTracingChecker.applyTo(app);

    // WHEN synthesized / THEN one annotation on the first, no checker violation for either, and the report knows both
    const messages = (stack: Stack) => app.synth().getStackArtifact(stack.artifactId).messages
      .filter((m) => String(m.entry.data).endsWith('[ack: cdk-trace-merging:HttpApiNoXRay]')).map((m) => m.id);
    expect(messages(plain)).toEqual(['/Plain/Api/Resource']);
    expect(messages(acked)).toEqual([]);
    expect(findings(app, 'warning')).toEqual([]);
    expect(reportEntries(app).map((e) => [e.path, e.status, e.findings.map((f) => [f.rule, f.acknowledged])])).toEqual([
      ['Acked/Api', 'acknowledged', [['HttpApiNoXRay', true]]],
      ['Plain/Api', 'not-traced', [['HttpApiNoXRay', false]]],
    ]);
  });

  test('an error violation fails synthesis with the finding, its fix and its id', () => {
    // GIVEN a stack with a state machine without X-Ray
    const stack = stackIn();
    new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    MergedTracingChecker.applyTo(stack);

    // WHEN synthesized as in a test (CDK's in-memory mode) / THEN CDK throws its validation report with our finding
    const message = errorOf(() => (stack.node.root as App).synth());
    expect(message).toContain('ERROR This state machine has X-Ray tracing off, so the trace breaks between the functions it invokes. [cdk-trace-merging:StateMachineTracing] (cdk-trace-merging)');
    expect(message).toContain('Stack/Flow');
    expect(message).toContain('Suggested fix: Set tracingEnabled: true on the state machine');
  });

  test('a warning does not fail synthesis, and stays out of the annotations (CDK writes them before plugins run)', () => {
    // GIVEN a stack with an HTTP API
    const stack = stackIn();
    new apigatewayv2.HttpApi(stack, 'Api');
    MergedTracingChecker.applyTo(stack);

    // WHEN synthesized / THEN no throw, and the warning is in CDK's validation report only
    const assembly = (stack.node.root as App).synth();
    expect(findings(stack, 'warning')).toEqual(['/Stack/Api HttpApiNoXRay']);
    expect(assembly.getStackArtifact(stack.artifactId).messages.filter((m) => String(m.entry.data).includes('cdk-trace-merging'))).toEqual([]);
  });

  test('a plaintext API key the mutating aspect allowed is still reported by a standalone checker', () => {
    // GIVEN a function given a plaintext key with allowPlaintextApiKey
    const stack = stackIn();
    plainFunction(stack, 'Fn');
    MergedTracing.applyTo(stack, { env: 'prod', apiKey: 'ddplaintextsentinel0123456789abc', allowPlaintextApiKey: true });

    // WHEN checked / THEN PlaintextApiKey is an error
    MergedTracingChecker.applyTo(stack);
    expect(findings(stack, 'error')).toEqual(['/Stack/Fn PlaintextApiKey']);
  });

  test('unknown rule names in the options are refused with the list of rules', () => {
    // WHEN / THEN
    expect(() => new MergedTracingChecker({ downgradeToWarning: ['ActiveTracing'] })).toThrow(
      `[cdk-trace-merging] TraceMerging check options: downgradeToWarning names an unknown rule 'ActiveTracing'. Use one of ${MergedTracingChecker.ruleNames().join(', ')}.`);
    expect(MergedTracingChecker.ruleNames()).toEqual([
      'FunctionActiveTracing', 'FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionTraceEnabled', 'FunctionHandlerRedirect',
      'FunctionDdEnv', 'FunctionDdSite', 'PlaintextApiKey', 'FunctionApiKey', 'FunctionLayerLimit', 'FunctionEnvironmentSize', 'FunctionNoEgress',
      'RestStageTracing',
      'StateMachineTracing', 'HttpApiNoXRay', 'GraphqlApiTracing', 'SnsTopicTracing', 'EksWorkloadLabels', 'EksClusterAgent', 'EksAgentApiKey', 'EksFargateProfile', 'EnvMismatch', 'XRayResourcePolicyQuota', 'TraceBreaks',
    ]);
  });

  test('excludeConstructPaths skips a subtree', () => {
    // GIVEN an untraced function under an excluded path
    const stack = stackIn();
    plainFunction(stack, 'Legacy');
    // WHEN checked excluding it (leading slash as annotations print paths) / THEN no findings
    MergedTracingChecker.applyTo(stack, { excludeConstructPaths: ['/Stack/Legacy'] });
    expect(findings(stack, 'error')).toEqual([]);
  });
});

describe('reach', () => {
  test('applyTo reaches nested Stages, also those created after it, and nested stacks', () => {
    // GIVEN an untraced function in a Stage existing at applyTo, one in a Stage created afterwards, one in a nested stack
    const app = new App();
    const early = new Stack(new Stage(app, 'Early'), 'S', { env: ENV });
    plainFunction(early, 'Fn');
    MergedTracingChecker.applyTo(app, { disabledRules: ['FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv'] });
    const late = new Stack(new Stage(new Stage(app, 'Late'), 'Inner'), 'S', { env: ENV });
    plainFunction(late, 'Fn');
    plainFunction(new NestedStack(late, 'Nested'), 'Fn');

    // WHEN synthesized / THEN all are checked
    expect(findings(app, 'error')).toEqual([
      '/Early/S/Fn FunctionActiveTracing', '/Late/Inner/S/Fn FunctionActiveTracing', '/Late/Inner/S/Nested/Fn FunctionActiveTracing',
    ]);
    expect(reportEntries(app).map((e) => [e.unit, e.stack, e.path])).toEqual([
      ['Early', 'Early-S', 'Early/S/Fn'], ['Late/Inner', 'Late-Inner-S', 'Late/Inner/S/Fn'], ['Late/Inner', 'Late-Inner-S', 'Late/Inner/S/Nested/Fn'],
    ]);
  });

  test('a MergedTracingStack checks itself and honours its exclusions', () => {
    // GIVEN a MergedTracingStack with one excluded function and one imported by path
    const app = new App();
    const stack = new MergedTracingStack(app, 'Traced', { env: ENV, tracing: { env: 'prod', apiKeySecretArn: SECRET_ARN, excludeConstructPaths: ['Traced/Legacy'] } });
    plainFunction(stack, 'Fn');
    plainFunction(stack, 'Legacy');

    // WHEN synthesized / THEN clean: the checker runs (the report lists Fn) and skips what the options exclude
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
    expect(reportEntries(stack).map((e) => [e.path, e.status])).toEqual([['Traced/Fn', 'merged'], ['Traced/Legacy', 'excluded']]);
  });

  test('a checker added as an aspect (the route before the plugin) still checks its scope', () => {
    // GIVEN an untraced function, and the checker added with Aspects.of(stack).add
    const stack = stackIn();
    plainFunction(stack, 'Fn');
    Aspects.of(stack).add(new MergedTracingChecker({ disabledRules: ['FunctionDatadogLayers', 'FunctionMergeFlag', 'FunctionHandlerRedirect', 'FunctionDdEnv'] }),
      { priority: AspectPriority.READONLY });

    // WHEN synthesized / THEN the finding is reported by the plugin
    expect(findings(stack, 'error')).toEqual(['/Stack/Fn FunctionActiveTracing']);
  });

  test('the nearest checker wins: an app-wide checker does not report what a MergedTracingStack allows', () => {
    // GIVEN a MergedTracingStack that opts in to a plaintext key, under an app-wide checker
    const app = new App();
    const stack = new MergedTracingStack(app, 'Traced', { env: ENV, tracing: { env: 'prod', apiKey: 'ddplaintextsentinel0123456789abc', allowPlaintextApiKey: true } });
    plainFunction(stack, 'Fn');
    MergedTracingChecker.applyTo(app);

    // WHEN synthesized / THEN no PlaintextApiKey finding, and the function is reported once
    expect(findings(app, 'error')).toEqual([]);
    expect(reportEntries(app).map((e) => e.path)).toEqual(['Traced/Fn']);
  });

  test('checker options that are not valid fail at construction, before synthesis', () => {
    expect(errorOf(() => MergedTracingChecker.applyTo(new App(), { disabledRules: ['Nope'] })))
      .toContain("disabledRules names an unknown rule 'Nope'");
  });
});

describe('the example app', () => {
  test('ServerlessFirst has no findings', () => {
    // GIVEN the example stack (a MergedTracingStack, so checked by its own checker) and an app-wide checker on top
    const app = new App();
    const stack = new ServerlessFirstStack(app, 'ServerlessFirst', { env: SERVERLESS_FIRST_ENV, tracing: SERVERLESS_FIRST_TRACING });
    MergedTracingChecker.applyTo(app, { env: 'prod', mode: TracingMode.SERVERLESS });

    // WHEN synthesized / THEN not one error or warning of ours
    expect(findings(stack, 'error')).toEqual([]);
    expect(findings(stack, 'warning')).toEqual([]);
  });
});

describe('the CDK behaviour the plugin route relies on', () => {
  test('an annotation added by a validation plugin never reaches the cloud assembly (so findings are violations)', () => {
    // GIVEN a plugin that annotates a function while validating
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const fn = plainFunction(stack, 'Fn');
    Validations.of(app).addPlugins({
      name: 'late-annotator',
      validate: () => {
        CoreAnnotations.of(fn).addWarningV2('late:Warning', 'added while validating');
        return { success: true, violations: [] };
      },
    });

    // WHEN synthesized / THEN the annotation is on the construct but in no artifact
    const assembly = app.synth();
    expect(fn.node.metadata.some((m) => String(m.data).startsWith('added while validating'))).toBe(true);
    expect(assembly.getStackArtifact(stack.artifactId).messages.filter((m) => String(m.entry.data).includes('added while validating'))).toEqual([]);
  });
});
