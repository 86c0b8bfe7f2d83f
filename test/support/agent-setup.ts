/**
 * Runs the setup script DatadogEc2Tracing writes into the user data for real, with bash, fake `aws`, `curl`,
 * `systemctl` and `snap` on the PATH, /etc moved into a temporary folder and TMPDIR pointed there. Nothing
 * leaves the machine: the fakes answer everything. CloudFormation's part is done first: Fn::Base64 of the values the
 * template leaves to deployment is encoded here as CloudFormation would.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { userDataLines } from './user-data';
import { DatadogEc2Tracing, HostTracer, MergedTracingOptions, TracingMode } from '../../lib';

export const INSTALL_SCRIPT_URL = 'https://install.datadoghq.com/scripts/install_script_agent7.sh';
const HEREDOC = "cat > /opt/cdk-trace-merging/datadog-tracing-setup.sh <<'DATADOG_TRACING'";

/** The user data of an instance traced with these options (over env 'prod', service 'orders', version '1.0.0', HYBRID). */
export function userDataFor(options: Partial<MergedTracingOptions>,
  props: { agentVersion?: string; agentInstallScriptSha256?: string; tracer?: HostTracer } = {}): string[] {
  const stack = new Stack(new App(), 'Hosts', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const instance = new ec2.Instance(stack, 'Host', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  const key = options.apiKmsKey ? new kms.Key(stack, 'Key') : undefined;
  new DatadogEc2Tracing(stack, 'Tracing', {
    instance,
    ...props,
    mergedTracing: { env: 'prod', service: 'orders', version: '1.0.0', mode: TracingMode.HYBRID, apiKmsKeyEncryptionKey: key, ...options },
  });
  return userDataLines(stack, 'deployed');
}

export interface SetupRun {
  readonly status: number;
  readonly output: string;
  /** DD_* variables the fake install script saw, `NAME=value` sorted. */
  readonly installerSaw: string[];
  readonly datadogYaml: string;
  readonly systemctl: string;
  /** What the script wrote to /etc/environment and systemd's DefaultEnvironment. */
  readonly environment: string;
  readonly systemdConf: string;
  /** Files in the run's folder that neither the script nor the fakes make: a command from a value ran. */
  readonly strayFiles: string[];
}

/**
 * Runs the setup script of `lines` in a folder of its own. `aws` answers `awsAnswer` when called with exactly
 * `awsExpects` ($DIR: the folder, $TMP: the script's mktemp folder), and fails otherwise.
 */
export function runSetup(lines: string[], awsExpects: string, awsAnswer: string): SetupRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-setup-'));
  const start = lines.indexOf(HEREDOC);
  const script = lines.slice(start + 1, lines.indexOf('DATADOG_TRACING', start)).join('\n')
    .replace(/ \/(etc|run)\//g, ` ${dir}/$1/`);
  for (const sub of ['bin', 'tmp', 'run', 'etc/datadog-agent', 'work']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const fake = (name: string, body: string) => fs.writeFileSync(path.join(dir, 'bin', name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  fake('aws', [
    `call="$(printf '%s' "$*" | sed -E 's#${dir}/tmp/tmp\\.[A-Za-z0-9]+#$TMP#g')"`,
    `if [ "$call" = ${shellQuote(awsExpects.replace('$DIR', dir))} ]; then`,
    // kms decrypt: the ciphertext file must hold the decoded blob
    '  if [ "$1" = kms ]; then [ "$(cat "${6#fileb://}")" = \'ciphertext-bytes\' ] || exit 3; fi',
    `  echo ${shellQuote(awsAnswer)}; exit 0`,
    'fi',
    'echo "fake aws: unexpected call: $call" >&2; exit 255',
  ].join('\n'));
  fake('curl', [
    // ... <url> -o <file>: writes a fake install script that records what it was given
    `[ "\${@: -3:1}" = ${INSTALL_SCRIPT_URL} ] || { echo "fake curl: $*" >&2; exit 22; }`,
    `printf '%s' ${shellQuote(FAKE_INSTALLER)} > "\${@: -1}"`,
  ].join('\n'));
  fake('systemctl', `echo "$*" >> ${dir}/systemctl`);
  fake('snap', 'echo "fake snap: $*" >&2; exit 1');
  fs.writeFileSync(path.join(dir, 'setup.sh'), script);
  const run = spawnSync('bash', [path.join(dir, 'setup.sh')], {
    cwd: path.join(dir, 'work'), env: { PATH: `${dir}/bin:/usr/bin:/bin`, HOME: dir, TMPDIR: path.join(dir, 'tmp') }, encoding: 'utf-8', timeout: 30_000,
  });
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf-8') : '');
  const result: SetupRun = {
    status: run.status ?? -1,
    output: `${run.stdout}${run.stderr}`,
    installerSaw: read('installer-saw').split('\n').filter(Boolean),
    datadogYaml: read('etc/datadog-agent/datadog.yaml'),
    systemctl: read('systemctl'),
    environment: read('etc/environment'),
    systemdConf: read('etc/systemd/system.conf.d/datadog-tracing.conf'),
    strayFiles: [...fs.readdirSync(path.join(dir, 'work')), ...fs.readdirSync(path.join(dir, 'tmp'))],
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * The install script the fake curl serves: it records the DD_* variables it was given and writes the key as the Agent
 * would, into the run's folder ($HOME), so that it is the same script, with one SHA-256, in every run.
 */
const FAKE_INSTALLER = 'env | grep "^DD_" | sort > "$HOME/installer-saw"\necho "api_key: $DD_API_KEY" > "$HOME/etc/datadog-agent/datadog.yaml"\n';

/** The SHA-256 of the fake install script, as `sha256sum` prints it. */
export function fakeInstallerSha256(): string {
  return createHash('sha256').update(FAKE_INSTALLER).digest('hex');
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}
