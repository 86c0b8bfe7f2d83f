import { ExampleAssembly, exampleAssembly, resourcesOfType } from './example-assemblies';

// GIVEN the lambda-and-hosts example, WHEN the real CDK CLI synthesizes it (once per test run, shared: example-assemblies.ts)
let synth: ExampleAssembly;
beforeAll(() => {
  synth = exampleAssembly('lambda-and-hosts');
});

const TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'orders' }, { Key: 'version', Value: '1.0.0' }];

describe('examples/lambda-and-hosts (HYBRID), synthesized by the cdk CLI', () => {
  test('the function is traced by X-Ray, with Datadog tracing off and the shared tags', () => {
    // THEN
    const [fn] = resourcesOfType(synth.template('LambdaAndHosts'), 'AWS::Lambda::Function');
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      DD_ENV: 'prod', DD_SERVICE: 'orders', DD_VERSION: '1.0.0', DD_TRACE_ENABLED: 'false', DD_MERGE_XRAY_TRACES: 'false',
    });
    expect(fn.Properties.Tags).toEqual(TAGS);
  });

  test('the Fargate task runs the Datadog Agent beside dd-trace, with the same env and tags', () => {
    // THEN
    const [task] = resourcesOfType(synth.template('LambdaAndHosts'), 'AWS::ECS::TaskDefinition');
    const byName = Object.fromEntries(task.Properties.ContainerDefinitions.map((c: { Name: string }) => [c.Name, c]));
    const env = (name: string) => Object.fromEntries(byName[name].Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(Object.keys(byName).sort()).toEqual(['datadog-agent', 'orders']);
    expect(byName['datadog-agent'].Image).toBe('public.ecr.aws/datadog/agent:7');
    expect(env('datadog-agent')).toMatchObject({ DD_ENV: 'prod', DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true', ECS_FARGATE: 'true' });
    expect(env('orders')).toMatchObject({ DD_ENV: 'prod', DD_SERVICE: 'orders', DD_VERSION: '1.0.0', DD_AGENT_HOST: 'localhost' });
    expect(byName.orders.DockerLabels).toEqual({
      'com.datadoghq.tags.env': 'prod', 'com.datadoghq.tags.service': 'orders', 'com.datadoghq.tags.version': '1.0.0',
    });
    expect(task.Properties.Tags).toEqual(TAGS);
  });

  test('the Auto Scaling group installs the Agent at boot, reads the key from the secret, and propagates the same tags', () => {
    // THEN
    const template = synth.template('LambdaAndHosts');
    const [group] = resourcesOfType(template, 'AWS::AutoScaling::AutoScalingGroup');
    expect(group.Properties.Tags).toEqual([...TAGS.map((t) => ({ ...t, PropagateAtLaunch: true }))]);
    const [launchTemplate] = resourcesOfType(template, 'AWS::EC2::LaunchTemplate');
    const userData = JSON.stringify(launchTemplate.Properties.LaunchTemplateData.UserData);
    const script = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1][0] as string;
    expect(script.split('\n')).toEqual(expect.arrayContaining([
      "DD_ENV_VALUE='prod'", "DD_SERVICE_VALUE='orders'", "DD_VERSION_VALUE='1.0.0'", "DD_HOST_TAGS_VALUE='service:orders,version:1.0.0'",
      "DD_API_KEY_SECRET_ARN='arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf'",
      'DD_API_KEY="$DD_API_KEY" DD_SITE="$DD_SITE_VALUE" DD_ENV="$DD_ENV_VALUE" DD_HOST_TAGS="$DD_HOST_TAGS_VALUE" DD_AGENT_MAJOR_VERSION=7 ' +
        'bash "$DD_INSTALL_DIR/install_script_agent7.sh"',
    ]));
    // the service's unit comes after the Agent's lines, so it starts with DD_ENV in systemd's environment
    expect(userData.indexOf('systemctl enable --now orders')).toBeGreaterThan(userData.indexOf('systemctl daemon-reexec'));
    const hostPolicy = resourcesOfType(template, 'AWS::IAM::Policy')
      .find((p) => JSON.stringify(p.Properties.Roles).includes('OrdersHostRole'))!;
    expect(hostPolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([{
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Effect: 'Allow',
      Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf',
    }]));
  });

  test('the Datadog integration role may read X-Ray traces', () => {
    // THEN
    const policies = resourcesOfType(synth.template('LambdaAndHosts'), 'AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties.Roles) === '["DatadogIntegrationRole"]');
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[{
      Sid: 'DatadogXRayIntegration', Action: ['xray:BatchGetTraces', 'xray:GetTraceSummaries'], Effect: 'Allow', Resource: '*',
    }]]);
  });

  test('synthesis is clean: no CloudFormation validation findings, no warnings', () => {
    // THEN
    expect(synth.validationReport().pluginReports).toEqual([]);
    expect(synth.output).not.toMatch(/WARNING|ERROR/);
  });

  test('the trace map: the task and the hosts invoke the function; HYBRID makes them two traces by design, with no TraceBreaks', () => {
    // THEN
    const map = synth.traceMap();
    const hybrid = (host: string) => `HYBRID mode: LambdaAndHosts/${host} is traced by dd-trace and LambdaAndHosts/PriceFunction by X-Ray, `
      + 'two traces that Datadog shows side by side by their shared env, service and version tags';
    expect(map.edges).toEqual(['OrdersHosts', 'OrdersTask'].map((host) => ({
      from: `LambdaAndHosts/${host}`, to: 'LambdaAndHosts/PriceFunction', via: 'lambda:InvokeFunction grant', trace: 'breaks', reason: hybrid(host),
    })));
    expect(synth.output).not.toContain('TraceBreaks');
    expect(map.markdown).toMatchSnapshot();
  });
});
