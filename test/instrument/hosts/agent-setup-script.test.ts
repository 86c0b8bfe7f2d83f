/**
 * The setup script DatadogEc2Tracing writes into the user data, run for real by bash with fake `aws`, `curl`,
 * `systemctl` and `snap` on the PATH and the host's paths moved into a temporary folder: it reads the key from the
 * named source, hands Datadog's install script exactly the documented variables, turns APM on, restarts the Agent,
 * and stops at the first failure. Nothing leaves the machine: the fakes answer everything.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DatadogEc2Tracing, MergedTracingOptions, TracingMode } from '../../../lib';
import { userDataLines } from '../../support/user-data';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog/api-key-AbCdEf';
const API_KEY = 'fedcba9876543210fedcba9876543210';
const HEREDOC = "cat > /opt/cdk-trace-merging/datadog-agent-setup.sh <<'DATADOG_TRACING'";

/** The user data of an instance traced with these options. */
function userDataFor(options: Partial<MergedTracingOptions>, agentVersion?: string): string[] {
  const stack = new Stack(new App(), 'Hosts', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const instance = new ec2.Instance(stack, 'Host', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  const key = options.apiKmsKey ? new kms.Key(stack, 'Key') : undefined;
  new DatadogEc2Tracing(stack, 'Tracing', {
    instance,
    agentVersion,
    mergedTracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKmsKeyEncryptionKey: key, ...options },
  });
  return userDataLines(stack);
}

interface Run {
  readonly status: number;
  readonly output: string;
  /** DD_* variables the fake install script saw, `NAME=value` sorted. */
  readonly installerSaw: string[];
  readonly datadogYaml: string;
  readonly systemctl: string;
}

/**
 * Runs the setup script of `lines` in a folder of its own. `aws` answers `awsAnswer` when called with exactly
 * `awsExpects` ($DIR: the folder), and fails otherwise.
 */
function runSetup(lines: string[], awsExpects: string, awsAnswer: string): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-setup-'));
  const start = lines.indexOf(HEREDOC);
  const script = lines.slice(start + 1, lines.indexOf('DATADOG_TRACING', start)).join('\n')
    .replace(/\/(etc\/datadog-agent|tmp|run)\//g, `${dir}/$1/`);
  for (const sub of ['bin', 'tmp', 'run', 'etc/datadog-agent']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const fake = (name: string, body: string) => fs.writeFileSync(path.join(dir, 'bin', name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  fake('aws', [
    `if [ "$*" = ${shellQuote(awsExpects.replace('$DIR', dir))} ]; then`,
    // kms decrypt: the ciphertext file must hold the decoded blob
    `  if [ "$1" = kms ]; then [ "$(cat ${dir}/run/datadog-api-key.enc)" = 'ciphertext-bytes' ] || exit 3; fi`,
    `  echo ${shellQuote(awsAnswer)}; exit 0`,
    'fi',
    'echo "fake aws: unexpected call: $*" >&2; exit 255',
  ].join('\n'));
  fake('curl', [
    // -fsSL --retry 5 <url> -o <file>: writes a fake install script that records what it was given
    '[ "$4" = https://install.datadoghq.com/scripts/install_script_agent7.sh ] || { echo "fake curl: $*" >&2; exit 22; }',
    `printf '%s\\n' 'env | grep "^DD_" | sort > ${dir}/installer-saw' 'echo "api_key: $DD_API_KEY" > ${dir}/etc/datadog-agent/datadog.yaml' > "$6"`,
  ].join('\n'));
  fake('systemctl', `echo "$*" >> ${dir}/systemctl`);
  fake('snap', 'echo "fake snap: $*" >&2; exit 1');
  fs.writeFileSync(path.join(dir, 'setup.sh'), script);
  const run = spawnSync('bash', [path.join(dir, 'setup.sh')], {
    env: { PATH: `${dir}/bin:/usr/bin:/bin`, HOME: dir }, encoding: 'utf-8', timeout: 30_000,
  });
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf-8') : '');
  const result: Run = {
    status: run.status ?? -1,
    output: `${run.stdout}${run.stderr}`,
    installerSaw: read('installer-saw').split('\n').filter(Boolean),
    datadogYaml: read('etc/datadog-agent/datadog.yaml'),
    systemctl: read('systemctl'),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

const INSTALLER_SAW = [
  'DD_AGENT_MAJOR_VERSION=7', `DD_API_KEY=${API_KEY}`, 'DD_ENV=prod', 'DD_HOST_TAGS=service:orders,version:1.0.0', 'DD_SITE=datadoghq.com',
];

describe('the Agent setup script of DatadogEc2Tracing, run by bash', () => {
  test('the whole user data is valid bash', () => {
    // GIVEN / WHEN
    const lines = userDataFor({ apiKeySecretArn: SECRET_ARN });

    // THEN bash parses it (-n: read, do not run)
    expect(() => execFileSync('bash', ['-n'], { input: lines.join('\n') })).not.toThrow();
  });

  test('a secret: read in its own region, handed to the install script with the tags; APM on; the Agent restarted', () => {
    // GIVEN / WHEN
    const run = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }, '7.60.1'),
      `secretsmanager get-secret-value --region eu-west-1 --secret-id ${SECRET_ARN} --query SecretString --output text`, API_KEY);

    // THEN
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
    expect(run.installerSaw).toEqual([...INSTALLER_SAW.slice(0, 1), 'DD_AGENT_MINOR_VERSION=60.1', ...INSTALLER_SAW.slice(1)]);
    expect(run.datadogYaml).toBe(`api_key: ${API_KEY}\napm_config:\n  enabled: true\n`);
    expect(run.systemctl).toBe('restart datadog-agent\n');
  });

  test('an SSM parameter: read with decryption', () => {
    // GIVEN
    const arn = 'arn:aws:ssm:us-west-2:123456789012:parameter/datadog/api-key';

    // WHEN
    const run = runSetup(userDataFor({ apiKeySsmArn: arn }),
      `ssm get-parameter --region us-west-2 --name ${arn} --with-decryption --query Parameter.Value --output text`, API_KEY);

    // THEN
    expect(run.status).toBe(0);
    expect(run.installerSaw).toEqual(INSTALLER_SAW);
  });

  test('a KMS-encrypted key: the ciphertext is decoded to a file, decrypted, and the plaintext decoded', () => {
    // GIVEN a ciphertext (base64 of 'ciphertext-bytes'), and a key whose ARN is a token resolved at deployment
    const ciphertext = Buffer.from('ciphertext-bytes').toString('base64');
    const lines = userDataFor({ apiKmsKey: ciphertext }).map((l) => l.replace(/\$\{Key[0-9A-F]+\.Arn\}/, 'arn:aws:kms:us-east-1:123456789012:key/k-1'));

    // WHEN
    const run = runSetup(lines, 'kms decrypt --region us-east-1 --ciphertext-blob fileb://$DIR/run/datadog-api-key.enc --query Plaintext --output text',
      Buffer.from(API_KEY).toString('base64'));

    // THEN
    expect(run.output).toBe('');
    expect(run.installerSaw).toEqual(INSTALLER_SAW);
  });

  test('a key that cannot be read stops the script before anything is installed', () => {
    // GIVEN / WHEN aws refuses (the fake answers only another call)
    const run = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }), 'sts get-caller-identity', API_KEY);

    // THEN
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/fake aws: unexpected call: secretsmanager get-secret-value/);
    expect(run.installerSaw).toEqual([]);
    expect(run.systemctl).toBe('');
  });

  test('a KMS ciphertext that does not decrypt stops the script too', () => {
    // GIVEN / WHEN aws kms decrypt fails (the fake answers only another call)
    const lines = userDataFor({ apiKmsKey: Buffer.from('ciphertext-bytes').toString('base64') })
      .map((l) => l.replace(/\$\{Key[0-9A-F]+\.Arn\}/, 'arn:aws:kms:us-east-1:123456789012:key/k-1'));
    const run = runSetup(lines, 'sts get-caller-identity', API_KEY);

    // THEN
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/fake aws: unexpected call: kms decrypt/);
    expect(run.installerSaw).toEqual([]);
  });
});
