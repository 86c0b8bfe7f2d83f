import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { DatadogEc2Tracing, MergedTracingOptions, MergedTracingStack, TracingMode } from '../../../lib';
import { userDataLines } from '../../support/user-data';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog/api-key-AbCdEf';
const SSM_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/datadog/api-key';
const OPTIONS: MergedTracingOptions = {
  env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN,
};
const TAGS = [{ Key: 'env', Value: 'prod' }, { Key: 'service', Value: 'orders' }, { Key: 'version', Value: '1.0.0' }];

function newStack(): Stack {
  return new Stack(new App(), 'Hosts', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** One VPC per stack, with public subnets (the Agent reaches Datadog without a NAT gateway). */
function vpcOf(stack: Stack): ec2.IVpc {
  return stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined
    ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
}

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function linuxInstance(stack: Stack, props: Partial<ec2.InstanceProps> = {}): ec2.Instance {
  return new ec2.Instance(stack, 'Host', {
    vpc: vpcOf(stack),
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    ...props,
  });
}

function group(stack: Stack, props: Partial<autoscaling.AutoScalingGroupProps> = {}): autoscaling.AutoScalingGroup {
  return new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc: vpcOf(stack),
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    ...props,
  });
}

/** The lines from the merged-tracing comment on. */
function tracingLines(stack: Stack): string[] {
  const lines = userDataLines(stack);
  return lines.slice(lines.findIndex((l) => l.startsWith('# cdk-trace-merging')));
}

const SETUP = '/opt/cdk-trace-merging/datadog-tracing-setup.sh';
const TAG_RULE = '^[a-z0-9_:./-]{1,200}$';

/** The user data around the setup script: the script is written with mode 700 from the start, then run. */
function aroundScript(script: string[]): string[] {
  return [
    '# cdk-trace-merging: Datadog Agent 7 with APM, and the env/service/version of merged tracing (HYBRID host)',
    'install -d -m 700 /opt/cdk-trace-merging',
    `install -m 700 /dev/null ${SETUP}`,
    `cat > ${SETUP} <<'DATADOG_TRACING'`,
    ...script,
    'DATADOG_TRACING',
    `bash ${SETUP} || echo 'cdk-trace-merging: merged tracing was not set up on this host (see above), so it sends no traces' >&2`,
  ];
}

/** The script's first part: the unified service tags as checked data, written for every process. */
const ENVIRONMENT_SCRIPT = [
  '#!/bin/bash',
  'set -euo pipefail',
  'export LC_ALL=C',
  "refuse() { printf 'cdk-trace-merging: %s\\n' \"$1\" >&2; exit 1; }",
  "DD_ENV_VALUE='prod'",
  "DD_SERVICE_VALUE='orders'",
  "DD_VERSION_VALUE='1.0.0'",
  ...['DD_ENV', 'DD_SERVICE', 'DD_VERSION'].map((name) =>
    `[[ $${name}_VALUE =~ ${TAG_RULE} ]] || refuse '${name} breaks Datadog'\\''s tag rules (lowercase letters, digits, _ - : . / only)'`),
  'printf \'%s\\n\' "DD_ENV=$DD_ENV_VALUE" "DD_SERVICE=$DD_SERVICE_VALUE" "DD_VERSION=$DD_VERSION_VALUE" >> /etc/environment',
  'mkdir -p /etc/systemd/system.conf.d',
  'printf \'[Manager]\\nDefaultEnvironment=%s\\n\' \'"DD_ENV=\'"$DD_ENV_VALUE"\'" "DD_SERVICE=\'"$DD_SERVICE_VALUE"\'" "DD_VERSION=\'"$DD_VERSION_VALUE"\'"\' ' +
    '> /etc/systemd/system.conf.d/datadog-tracing.conf',
  'systemctl daemon-reexec',
];
const ENVIRONMENT_LINES = aroundScript(ENVIRONMENT_SCRIPT);

/** The whole appended user data for a key read by `keyLines` and an install line with `installExtra` after the major version. */
function expectedLines(keyLines: string[], installExtra = ''): string[] {
  return aroundScript([
    ...ENVIRONMENT_SCRIPT,
    "DD_SITE_VALUE='datadoghq.com'",
    "[[ $DD_SITE_VALUE =~ ^[a-z0-9.-]+$ ]] || refuse 'DD_SITE is not a Datadog site name'",
    "DD_HOST_TAGS_VALUE='service:orders,version:1.0.0'",
    '[[ $DD_HOST_TAGS_VALUE =~ ^[a-z][a-z0-9_./-]*:[a-z0-9_:./-]+(,[a-z][a-z0-9_./-]*:[a-z0-9_:./-]+)*$ ]] || ' +
      "refuse 'the host tags break Datadog'\\''s tag rules (key:value pairs, lowercase)'",
    'export PATH="$PATH:/snap/bin"',
    'if ! command -v aws >/dev/null 2>&1; then snap wait system seed.loaded && snap install aws-cli --classic; fi',
    'DD_INSTALL_DIR="$(mktemp -d)"',
    'trap \'rm -rf "$DD_INSTALL_DIR"\' EXIT',
    ...keyLines,
    "[[ $DD_API_KEY =~ ^[A-Za-z0-9]+$ ]] || refuse 'the Datadog API key read at boot is not one (letters and digits only; the secret must hold the key itself, not JSON)'",
    "curl -fsSL --proto '=https' --tlsv1.2 --retry 5 https://install.datadoghq.com/scripts/install_script_agent7.sh -o \"$DD_INSTALL_DIR/install_script_agent7.sh\"",
    `DD_API_KEY="$DD_API_KEY" DD_SITE="$DD_SITE_VALUE" DD_ENV="$DD_ENV_VALUE" DD_HOST_TAGS="$DD_HOST_TAGS_VALUE" DD_AGENT_MAJOR_VERSION=7${installExtra} ` +
      'bash "$DD_INSTALL_DIR/install_script_agent7.sh"',
    "grep -q '^apm_config:' /etc/datadog-agent/datadog.yaml || printf 'apm_config:\\n  enabled: true\\n' >> /etc/datadog-agent/datadog.yaml",
    'systemctl restart datadog-agent',
  ]);
}

/** The lines that read a secret's key on the instance, the ARN given as the shell word `arnWord`. */
function secretLines(arnWord: string): string[] {
  return [
    `DD_API_KEY_SECRET_ARN=${arnWord}`,
    'DD_API_KEY="$(aws secretsmanager get-secret-value --region "$(cut -d: -f4 <<<"$DD_API_KEY_SECRET_ARN")" --secret-id "$DD_API_KEY_SECRET_ARN" ' +
      '--query SecretString --output text)"',
  ];
}
const SECRET_LINES = secretLines(`'${SECRET_ARN}'`);

/** Every statement of the policies attached to the role with this logical id. */
function statementsOf(stack: Stack, roleLogicalId: string): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleLogicalId }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The logical id of the stack's one role. */
function roleId(stack: Stack): string {
  const roles = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0];
}

describe('DatadogEc2Tracing on an instance', () => {
  test('appends the Agent install to the user data, reads the secret at boot, grants only that read, tags the instance', () => {
    // GIVEN an Amazon Linux 2023 instance
    const stack = newStack();
    const instance = linuxInstance(stack);

    // WHEN it is traced
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: OPTIONS });

    // THEN its user data is bash with exactly the merged-tracing lines, the key read from the secret at boot
    expect(userDataLines(stack)).toEqual(['#!/bin/bash', ...expectedLines(SECRET_LINES)]);
    // AND the role may read that one secret, nothing else
    expect(statementsOf(stack, roleId(stack))).toEqual([{
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: SECRET_ARN,
    }]);
    // AND the instance carries the unified service tags
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { Tags: [...TAGS.slice(0, 1), { Key: 'Name', Value: 'Hosts/Host' }, ...TAGS.slice(1)] });
  });

  test('keeps the user data the instance already has, before its own lines', () => {
    // GIVEN an instance whose user data starts the app
    const stack = newStack();
    const userData = ec2.UserData.forLinux();
    userData.addCommands('systemctl start orders');
    const instance = linuxInstance(stack, { userData });

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: OPTIONS });

    // THEN
    expect(userDataLines(stack).slice(0, 3)).toEqual(['#!/bin/bash', 'systemctl start orders', ENVIRONMENT_LINES[0]]);
  });

  test('never writes the API key itself into the template', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack), mergedTracing: OPTIONS });

    // THEN the user data names the secret, and DD_API_KEY is only ever read on the instance
    const keyAssignments = tracingLines(stack).filter((l) => /DD_API_KEY=/.test(l));
    expect(keyAssignments).toEqual([SECRET_LINES[1], expect.stringMatching(/^DD_API_KEY="\$DD_API_KEY" /)]);
  });

  test('an SSM parameter is read with decryption, and the role may get exactly that parameter', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', {
      instance: linuxInstance(stack), mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKeySsmArn: SSM_ARN },
    });

    // THEN
    const lines = tracingLines(stack);
    const read = lines.indexOf(`DD_API_KEY_SSM_ARN='${SSM_ARN}'`);
    expect(lines.slice(read, read + 2)).toEqual([`DD_API_KEY_SSM_ARN='${SSM_ARN}'`,
      'DD_API_KEY="$(aws ssm get-parameter --region "$(cut -d: -f4 <<<"$DD_API_KEY_SSM_ARN")" --name "$DD_API_KEY_SSM_ARN" --with-decryption ' +
        '--query Parameter.Value --output text)"']);
    expect(statementsOf(stack, roleId(stack))).toEqual([{ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: SSM_ARN }]);
  });

  test('a KMS-encrypted key is decrypted at boot, and the role may decrypt with that key only', () => {
    // GIVEN a key of the app and a ciphertext
    const stack = newStack();
    const key = new kms.Key(stack, 'ApiKeyKey');

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', {
      instance: linuxInstance(stack),
      mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKmsKey: 'AQICAHhCiphertext0==', apiKmsKeyEncryptionKey: key },
    });

    // THEN
    const keyArn = `\${${logicalId(key)}.Arn}`;
    const lines = tracingLines(stack);
    const decode = lines.indexOf("DD_API_KEY_CIPHERTEXT='AQICAHhCiphertext0=='");
    expect(lines.slice(decode, decode + 4)).toEqual([
      "DD_API_KEY_CIPHERTEXT='AQICAHhCiphertext0=='",
      // The key's ARN is only known at deployment: CloudFormation base64-encodes it into the script, the host decodes it.
      `DD_API_KEY_KMS_KEY_ARN="$(printf '%s' '\${base64(${keyArn})}' | base64 -d)"`,
      'printf \'%s\' "$DD_API_KEY_CIPHERTEXT" | base64 -d > "$DD_INSTALL_DIR/api-key.enc"',
      'DD_API_KEY="$(aws kms decrypt --region "$(cut -d: -f4 <<<"$DD_API_KEY_KMS_KEY_ARN")" --ciphertext-blob "fileb://$DD_INSTALL_DIR/api-key.enc" ' +
        '--query Plaintext --output text | base64 -d)"',
    ]);
    expect(statementsOf(stack, roleId(stack))).toEqual([{
      Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
    }]);
  });

  test('a secret encrypted with a customer-managed key: the role may decrypt with it through Secrets Manager only', () => {
    // GIVEN a secret of the app under its own key
    const stack = newStack();
    const key = new kms.Key(stack, 'SecretKey');
    const secret = new secretsmanager.Secret(stack, 'ApiKey', { encryptionKey: key });

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack), mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKeySecret: secret } });

    // THEN the key is read from the secret's ARN, and the grants name the secret and its key
    const secretRef = `\${${logicalId(secret)}}`;
    const lines = tracingLines(stack);
    const read = lines.findIndex((l) => l.startsWith('DD_API_KEY_SECRET_ARN='));
    expect(lines.slice(read, read + 2)).toEqual(secretLines(`"$(printf '%s' '\${base64(${secretRef})}' | base64 -d)"`));
    expect(statementsOf(stack, roleId(stack))).toEqual([
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
      { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: logicalId(secret) } },
    ]);
  });

  test('a plaintext key goes into the user data only with allowPlaintextApiKey, and needs no grant', () => {
    // GIVEN the explicit opt-in
    const stack = newStack();

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', {
      instance: linuxInstance(stack),
      mergedTracing: { ...OPTIONS, apiKeySecretArn: undefined, apiKey: '0123456789abcdef0123456789abcdef', allowPlaintextApiKey: true },
    });

    // THEN
    expect(tracingLines(stack)).toEqual(expectedLines(["DD_API_KEY='0123456789abcdef0123456789abcdef'"]));
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('agentVersion pins the Agent 7 release the install script takes', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack), mergedTracing: OPTIONS, agentVersion: '7.60.1' });

    // THEN
    expect(tracingLines(stack)).toEqual(expectedLines(SECRET_LINES, " DD_AGENT_MINOR_VERSION='60.1'"));
  });

  test('without an API key source: only the variables, no Agent, and a NoApiKey warning', () => {
    // GIVEN / WHEN
    const stack = newStack();
    new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack), mergedTracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID } });

    // THEN
    expect(tracingLines(stack)).toEqual(ENVIRONMENT_LINES);
    Annotations.fromStack(stack).hasWarning('/Hosts/Tracing', Match.stringLikeRegexp('^No Datadog API key source is set, so the Datadog Agent is not installed'));
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('inside a MergedTracingStack, the stack\'s options apply', () => {
    // GIVEN
    const stack = new MergedTracingStack(new App(), 'Traced', { env: { account: '123456789012', region: 'us-east-1' }, tracing: OPTIONS });

    // WHEN
    const tracing = new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack) });

    // THEN
    expect(tracing.mergedTracing).toBe(OPTIONS);
    expect(tracingLines(stack)).toEqual(expectedLines(SECRET_LINES));
  });
});

describe('DatadogEc2Tracing on an Auto Scaling group', () => {
  test('the group\'s user data gets the lines, its tags propagate to its instances, its role reads the key', () => {
    // GIVEN
    const stack = newStack();
    const asg = group(stack);

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', { autoScalingGroup: asg, mergedTracing: OPTIONS });

    // THEN
    expect(userDataLines(stack)).toEqual(['#!/bin/bash', ...expectedLines(SECRET_LINES)]);
    Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      Tags: [
        { Key: 'env', Value: 'prod', PropagateAtLaunch: true },
        { Key: 'Name', Value: 'Hosts/Group', PropagateAtLaunch: true },
        { Key: 'service', Value: 'orders', PropagateAtLaunch: true },
        { Key: 'version', Value: '1.0.0', PropagateAtLaunch: true },
      ],
    });
    expect(statementsOf(stack, roleId(stack))).toEqual([{
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: SECRET_ARN,
    }]);
  });

  test('a launch template of the app\'s with user data and a role works; its own commands come first', () => {
    // GIVEN a launch template with user data and a role
    const stack = newStack();
    const role = new iam.Role(stack, 'HostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const userData = ec2.UserData.forLinux();
    userData.addCommands('echo app');
    const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(), instanceType: new ec2.InstanceType('t3.micro'), userData, role,
    });
    const asg = new autoscaling.AutoScalingGroup(stack, 'Group', { vpc: vpcOf(stack), launchTemplate });

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', { autoScalingGroup: asg, mergedTracing: OPTIONS });

    // THEN
    expect(userDataLines(stack)).toEqual(['#!/bin/bash', 'echo app', ...expectedLines(SECRET_LINES)]);
    expect(statementsOf(stack, logicalId(role))).toEqual([{
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: SECRET_ARN,
    }]);
  });
});

test('a multipart user data takes the lines in its default shell part', () => {
  // GIVEN an instance whose user data is multipart, with a default shell part
  const stack = newStack();
  const userData = new ec2.MultipartUserData();
  const shell = ec2.UserData.forLinux();
  userData.addUserDataPart(shell, ec2.MultipartBody.SHELL_SCRIPT, true);

  // WHEN
  new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack, { userData }), mergedTracing: OPTIONS });

  // THEN
  expect(shell.render().split('\n')).toEqual(['#!/bin/bash', ...expectedLines(SECRET_LINES)]);
});

describe('DatadogEc2Tracing refuses what it cannot trace', () => {
  test.each([
    ['both a host and a group', (s: Stack) => ({ instance: linuxInstance(s), autoScalingGroup: group(s) }),
      /^\[cdk-trace-merging\] Hosts\/Tracing: has both instance and autoScalingGroup\. Pass one of them/],
    ['neither', () => ({}), /^\[cdk-trace-merging\] Hosts\/Tracing: has neither instance nor autoScalingGroup\. Pass the ec2\.Instance/],
    ['a Windows instance', (s: Stack) => ({ instance: linuxInstance(s, { machineImage: ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE) }) }),
      /^\[cdk-trace-merging\] Hosts\/Tracing: Hosts\/Host runs Windows, but DatadogEc2Tracing writes Linux user data\. Install the Agent with Datadog's Windows installer/],
    ['an Agent version that is not 7.x', (s: Stack) => ({ instance: linuxInstance(s), agentVersion: '6.53.0' }),
      /^\[cdk-trace-merging\] Hosts\/Tracing: agentVersion '6\.53\.0' is not a Datadog Agent 7 version\. Pass '7\.<minor>'/],
    ['a multipart user data without a default part', (s: Stack) => ({ instance: linuxInstance(s, { userData: new ec2.MultipartUserData() }) }),
      /^\[cdk-trace-merging\] Hosts\/Tracing: the user data of Hosts\/Host is not a shell script that takes commands/],
    ['user data that takes no commands', (s: Stack) => ({ instance: linuxInstance(s, { userData: ec2.UserData.custom('#cloud-config') }) }),
      /^\[cdk-trace-merging\] Hosts\/Tracing: the user data of Hosts\/Host is not a shell script that takes commands \(UserData\.custom.*Use ec2\.UserData\.forLinux\(\)/],
  ])('%s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new DatadogEc2Tracing(stack, 'Tracing', { mergedTracing: OPTIONS, ...props(stack) })).toThrow(message);
  });

  test('a launch template without user data', () => {
    // GIVEN
    const stack = newStack();
    const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(), instanceType: new ec2.InstanceType('t3.micro'),
    });
    const asg = new autoscaling.AutoScalingGroup(stack, 'Group', { vpc: vpcOf(stack), launchTemplate });

    // WHEN / THEN
    expect(() => new DatadogEc2Tracing(stack, 'Tracing', { autoScalingGroup: asg, mergedTracing: OPTIONS })).toThrow(
      /^\[cdk-trace-merging\] Hosts\/Tracing: the launch template of Hosts\/Group does not expose its user data, so the Agent could not be set up\. Create the launch template with userData/);
  });

  test('no options outside a MergedTracingStack', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack) })).toThrow(
      '[cdk-trace-merging] Hosts/Tracing: has no merged-tracing options. Pass mergedTracing: { env: ... } in its props, or create it inside a MergedTracingStack.');
  });

  test('the same host twice', () => {
    // GIVEN
    const stack = newStack();
    const instance = linuxInstance(stack);
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: OPTIONS });

    // WHEN / THEN
    expect(() => new DatadogEc2Tracing(stack, 'Again', { instance, mergedTracing: OPTIONS })).toThrow(
      '[cdk-trace-merging] Hosts/Again: Hosts/Host is already traced by Hosts/Tracing. Keep one DatadogEc2Tracing per host.');
  });

  test('an imported role that cannot be changed', () => {
    // GIVEN an instance with an immutable imported role
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Fixed', 'arn:aws:iam::123456789012:role/fixed', { mutable: false });

    // WHEN / THEN
    expect(() => new DatadogEc2Tracing(stack, 'Tracing', { instance: linuxInstance(stack, { role }), mergedTracing: OPTIONS })).toThrow(
      /^\[cdk-trace-merging\] Hosts\/Tracing: the instance role Hosts\/Fixed cannot be given the read of the Datadog API key.*Allow secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on arn:aws:secretsmanager/);
  });
});
