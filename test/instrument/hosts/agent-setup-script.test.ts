/**
 * The setup script DatadogEc2Tracing writes into the user data, run for real by bash with fake `aws`, `curl`,
 * `systemctl` and `snap` on the PATH and the host's paths moved into a temporary folder: it reads the key from the
 * named source, hands Datadog's install script exactly the documented variables, turns APM on, restarts the Agent,
 * and stops at the first failure. Nothing leaves the machine: the fakes answer everything.
 */
import { execFileSync } from 'child_process';
import { HostTracer } from '../../../lib';
import { fakeInstallerSha256, runSetup, userDataFor } from '../../support/agent-setup';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog/api-key-AbCdEf';
const API_KEY = 'fedcba9876543210fedcba9876543210';

// The KMS key's ARN is known at deployment: CloudFormation base64-encodes it into the script; here, as it would deploy.
const KEY_ARN_BASE64 = /[A-Za-z0-9+/]*=*(?=' \| base64 -d\)"$)/;
const DEPLOYED_KEY_ARN_BASE64 = Buffer.from('arn:aws:kms:us-east-1:123456789012:key/k-1').toString('base64');

/** The SHA-256 of the install script the fake curl writes (test/support/agent-setup.ts), as `sha256sum` prints it. */
const FAKE_INSTALLER_SHA256 = fakeInstallerSha256();

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
    const run = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }, { agentVersion: '7.60.1' }),
      `secretsmanager get-secret-value --region eu-west-1 --secret-id ${SECRET_ARN} --query SecretString --output text`, API_KEY);

    // THEN
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
    expect(run.installerSaw).toEqual([...INSTALLER_SAW.slice(0, 1), 'DD_AGENT_MINOR_VERSION=60.1', ...INSTALLER_SAW.slice(1)]);
    expect(run.datadogYaml).toBe(`api_key: ${API_KEY}\napm_config:\n  enabled: true\n`);
    expect(run.systemctl).toBe('daemon-reexec\nrestart datadog-agent\n');
    expect(run.environment).toBe('DD_ENV=prod\nDD_SERVICE=orders\nDD_VERSION=1.0.0\n');
    expect(run.systemdConf).toBe('[Manager]\nDefaultEnvironment="DD_ENV=prod" "DD_SERVICE=orders" "DD_VERSION=1.0.0"\n');
    expect(run.strayFiles).toEqual([]);
  });

  test('a Java host: its propagation styles (with X-Ray\'s) for every process, beside the unified service tags', () => {
    // GIVEN / WHEN
    const run = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }, { tracer: HostTracer.JAVA }),
      `secretsmanager get-secret-value --region eu-west-1 --secret-id ${SECRET_ARN} --query SecretString --output text`, API_KEY);
    // THEN
    expect(run.status).toBe(0);
    expect(run.environment).toBe('DD_ENV=prod\nDD_SERVICE=orders\nDD_VERSION=1.0.0\nDD_TRACE_PROPAGATION_STYLE_INJECT=datadog,tracecontext,xray\n');
    expect(run.systemdConf).toBe('[Manager]\nDefaultEnvironment="DD_ENV=prod" "DD_SERVICE=orders" "DD_VERSION=1.0.0" '
      + '"DD_TRACE_PROPAGATION_STYLE_INJECT=datadog,tracecontext,xray"\n');
    expect(run.strayFiles).toEqual([]);
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
    const lines = userDataFor({ apiKmsKey: ciphertext }).map((l) => l.replace(KEY_ARN_BASE64, DEPLOYED_KEY_ARN_BASE64));

    // WHEN
    const run = runSetup(lines, 'kms decrypt --region us-east-1 --ciphertext-blob fileb://$TMP/api-key.enc --query Plaintext --output text',
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
    // The unified service tags were set before the key was read; the Agent was never installed nor restarted.
    expect(run.systemctl).toBe('daemon-reexec\n');
  });

  test('a KMS ciphertext that does not decrypt stops the script too', () => {
    // GIVEN / WHEN aws kms decrypt fails (the fake answers only another call)
    const lines = userDataFor({ apiKmsKey: Buffer.from('ciphertext-bytes').toString('base64') })
      .map((l) => l.replace(KEY_ARN_BASE64, DEPLOYED_KEY_ARN_BASE64));
    const run = runSetup(lines, 'sts get-caller-identity', API_KEY);

    // THEN
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/fake aws: unexpected call: kms decrypt/);
    expect(run.installerSaw).toEqual([]);
  });

  test('agentInstallScriptSha256: the script runs only when it is the one reviewed', () => {
    // GIVEN the SHA-256 of what the fake curl downloads, and another hash
    const read = `secretsmanager get-secret-value --region eu-west-1 --secret-id ${SECRET_ARN} --query SecretString --output text`;
    const good = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }, { agentInstallScriptSha256: FAKE_INSTALLER_SHA256 }), read, API_KEY);
    const bad = runSetup(userDataFor({ apiKeySecretArn: SECRET_ARN }, { agentInstallScriptSha256: 'a'.repeat(64) }), read, API_KEY);

    // THEN the reviewed script is run; another stops the setup, saying why, before it runs
    expect(good.status).toBe(0);
    expect(good.installerSaw).toEqual(INSTALLER_SAW);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/cdk-trace-merging: the Datadog install script is not the one agentInstallScriptSha256 names/);
    expect(bad.installerSaw).toEqual([]);
  });
});
