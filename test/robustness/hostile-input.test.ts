/**
 * Input tried as an attacker and as a careless user would (issue 29): values that would widen a grant, put the API key
 * where it should not be, break a host at launch, or vanish without a word. Each gets its exact message, or the
 * template that stays correct. The EC2 boot script's own defence is run by bash in test/instrument/hosts.
 */
import { App, Annotations as CoreAnnotations, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatadogEc2Tracing, DatadogEcsTracing, DatadogEcsTracingProps, MergedTracingOptions, MergedTracingStack, TraceMerging, TracingMode } from '../../lib';
import { MergedTracing } from '../../lib/instrument/merged-tracing';
import { findings, violationAt } from '../check/validation';
import { ACCOUNT, errorOf, logicalId, plainFunction, synthError } from '../support/fixtures';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`;
const SECRET_FORM = 'arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>';
const SSM_FORM = 'arn:<partition>:ssm:<region>:<12-digit account>:parameter/<name>';

/** The error creating a MergedTracingStack 'Shop' with these options throws. */
function optionsError(tracing: Partial<MergedTracingOptions>): string {
  return errorOf(() => new MergedTracingStack(new App(), 'Shop', { env: ENV, tracing: tracing as MergedTracingOptions }));
}

/** A stack with one Node.js function, traced with these options; returns the stack and the function. */
function tracedShop(options: MergedTracingOptions, env: { account?: string; region?: string } = ENV, extra: Partial<lambda.FunctionProps> = {}) {
  const stack = new Stack(new App(), 'Shop', { env });
  const fn = plainFunction(stack, 'Orders', extra);
  MergedTracing.applyTo(stack, options);
  return { stack, fn };
}

/** The warnings of a stack, as `<path> <finding> <message>`. */
function warningsOf(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => {
    const data = String(w.entry.data);
    const finding = / \[ack: cdk-trace-merging:(\w+)\]$/.exec(data)?.[1] ?? '(not ours)';
    return `${w.id} ${finding} ${data.replace(/ \[ack: [^\]]+\]$/, '')}`;
  }).filter((w) => !w.includes(' (not ours) '));
}

describe('key ARNs name exactly one resource', () => {
  test.each([
    ['a wildcard secret name', { apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:*` },
      `apiKeySecretArn 'arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:*' has a wildcard, which would grant the read of every resource it matches; ` +
      `merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one Secrets Manager secret (${SECRET_FORM}).`],
    ['a parameter ARN of every region, account and name', { apiKeySsmArn: 'arn:aws:ssm:*:*:parameter/*' },
      "apiKeySsmArn 'arn:aws:ssm:*:*:parameter/*' has a wildcard, which would grant the read of every resource it matches; " +
      `merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one SSM parameter (${SSM_FORM}).`],
    ['a Secrets Manager ARN with ":ssm:" in its name given as a parameter', { apiKeySsmArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:a:ssm:b` },
      `apiKeySsmArn 'arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:a:ssm:b' names the service 'secretsmanager', not ssm (it is not an SSM ` +
      `parameter ARN); merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one SSM parameter (${SSM_FORM}).`],
    ['a partial service name', { apiKeySecretArn: `arn:aws:secrets:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` },
      `apiKeySecretArn 'arn:aws:secrets:us-east-1:${ACCOUNT}:secret:dd-AbCdEf' names the service 'secrets', not secretsmanager (it is not a ` +
      'Secrets Manager secret ARN); merged tracing grants the read of exactly the resource it names. ' +
      `Pass the complete ARN of the one Secrets Manager secret (${SECRET_FORM}).`],
    ['no account', { apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1::secret:dd-AbCdEf' },
      "apiKeySecretArn 'arn:aws:secretsmanager:us-east-1::secret:dd-AbCdEf' is not a Secrets Manager secret ARN; " +
      `merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one Secrets Manager secret (${SECRET_FORM}).`],
    ['a secret ARN without the secret', { apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:` },
      `apiKeySecretArn 'arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:' does not name a Secrets Manager secret by its full name; ` +
      `merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one Secrets Manager secret (${SECRET_FORM}).`],
    ['a parameter path with a quote', { apiKeySsmArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/dd';touch x'` },
      `apiKeySsmArn 'arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/dd';touch x'' does not name an SSM parameter by its full name; ` +
      `merged tracing grants the read of exactly the resource it names. Pass the complete ARN of the one SSM parameter (${SSM_FORM}).`],
  ])('%s is refused', (_what, key, message) => {
    expect(optionsError({ env: 'prod', ...key })).toBe(`[cdk-trace-merging] Shop: ${message}`);
  });

  test('the grant is exactly the one secret the ARN names', () => {
    // GIVEN / WHEN
    const { stack, fn } = tracedShop({ env: 'prod', apiKeySecretArn: SECRET_ARN });

    // THEN
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s) => JSON.stringify(s.Action).includes('secretsmanager'));
    expect(statements).toEqual([{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: SECRET_ARN }]);
    expect(fn).toBeDefined();
  });

  test('a secret of another partition than the stack is refused: no grant reaches it', () => {
    // GIVEN a commercial-partition secret, a GovCloud stack
    const { stack } = tracedShop({ env: 'prod', apiKeySecretArn: SECRET_ARN }, { account: ACCOUNT, region: 'us-gov-west-1' });

    // WHEN / THEN
    expect(synthError(stack)).toBe(`[cdk-trace-merging] Shop: the Datadog API key secret '${SECRET_ARN}' is in the partition 'aws', but this ` +
      "stack deploys to 'aws-us-gov' (us-gov-west-1), where no grant can reach it. Store the API key in us-gov-west-1 (or another region of " +
      "'aws-us-gov') and pass that ARN.");
  });
});

describe('keys whose owner must consent', () => {
  test('a secret in another account: one warning saying what its owner must add', () => {
    // GIVEN
    const other = 'arn:aws:secretsmanager:us-east-1:210987654321:secret:datadog/api-key-AbCdEf';

    // WHEN
    const { stack } = tracedShop({ env: 'prod', apiKeySecretArn: other });

    // THEN
    expect(warningsOf(stack)).toEqual([`/Shop ApiKeyInOtherAccount The Datadog API key secret '${other}' is in account 210987654321, ` +
      `and this stack in ${ACCOUNT}: the IAM grant merged tracing adds here is not enough. In account 210987654321, the secret needs a ` +
      'resource policy allowing secretsmanager:GetSecretValue to the readers of this stack, and the KMS key that encrypts it (a customer-managed ' +
      'key: AWS managed keys cannot be used across accounts) needs a key policy statement allowing kms:Decrypt to the readers of this stack ' +
      `(or to arn:aws:iam::${ACCOUNT}:root). Add them there, then acknowledge this warning.`]);
  });

  test('a KMS key of the app whose policy has no account-root statement: the IAM grant would do nothing, said once', () => {
    // GIVEN the key that encrypted the API key, with a policy of its own that names only an admin role
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    const key = keyForAdminOnly(stack);
    plainFunction(stack, 'Orders');
    plainFunction(stack, 'Payments');

    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', apiKmsKey: 'AQICAHhCiphertext0==', apiKmsKeyEncryptionKey: key });

    // THEN
    expect(warningsOf(stack)).toEqual(['/Shop/Key KeyPolicyNoAccountRoot The key policy of Shop/Key, which encrypts the Datadog API key, has no ' +
      'statement allowing kms:Decrypt (or kms:*) to the account root, so the IAM grants merged tracing adds cannot let anyone decrypt with it: ' +
      "the key cannot be read at run time. Add a statement allowing kms:* to the account root (new kms.Key's default policy has it), or name " +
      'the readers in the key policy and acknowledge this warning.']);
  });

  test('a secret under such a key: Secrets Manager\'s own statement for the account root lets the grant work, so nothing is said', () => {
    // GIVEN (secretsmanager.Secret adds kms:Decrypt via Secrets Manager for the account root to its key's policy)
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    const key = keyForAdminOnly(stack);
    plainFunction(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: new secretsmanager.Secret(stack, 'ApiKey', { encryptionKey: key }) });
    expect(warningsOf(stack)).toEqual([]);
  });

  test("a key with kms.Key's default policy: no warning", () => {
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    const secret = new secretsmanager.Secret(stack, 'ApiKey', { encryptionKey: new kms.Key(stack, 'Key') });
    plainFunction(stack, 'Orders');
    MergedTracing.applyTo(stack, { env: 'prod', apiKeySecret: secret });
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('plaintext keys', () => {
  test('an empty key is refused, even with the opt-in', () => {
    expect(optionsError({ env: 'prod', apiKey: '', allowPlaintextApiKey: true })).toBe('[cdk-trace-merging] Shop: apiKey is empty. ' +
      "Pass the 32-character API key from Datadog's Organization Settings > API Keys, or better, store it in Secrets Manager and pass apiKeySecret.");
  });

  test('a key with a line break is refused', () => {
    expect(optionsError({ env: 'prod', apiKey: 'abc\ndef', allowPlaintextApiKey: true })).toBe('[cdk-trace-merging] Shop: apiKey has whitespace, ' +
      "line breaks or other characters no Datadog API key has. Pass the 32-character API key from Datadog's Organization Settings > API Keys, " +
      'or better, store it in Secrets Manager and pass apiKeySecret.');
  });

  test('the opt-in gives one acknowledgeable warning per stack naming where the key is readable', () => {
    // GIVEN two functions
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    plainFunction(stack, 'Payments');

    // WHEN
    MergedTracing.applyTo(stack, { env: 'prod', apiKey: '0123456789abcdef0123456789abcdef', allowPlaintextApiKey: true });

    // THEN one warning, and it can be acknowledged
    expect(warningsOf(stack)).toEqual(['/Shop PlaintextApiKeyAllowed allowPlaintextApiKey is set, so the Datadog API key is written in plaintext ' +
      "into the CloudFormation template (readable by anyone who can read the stack's template or its cloud assembly) and in every function's " +
      'environment (the Lambda console, GetFunctionConfiguration). Prefer apiKeySecret; acknowledge this warning to accept the exposure.']);
    CoreAnnotations.of(stack).acknowledgeWarning('cdk-trace-merging:PlaintextApiKeyAllowed', 'a test account');
    expect(warningsOf(stack)).toEqual([]);
  });

  test('ECS and EC2 say where the key lands on them', () => {
    // GIVEN a task definition and an instance traced with a plaintext key
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    const options: MergedTracingOptions = { env: 'prod', mode: TracingMode.HYBRID, apiKey: '0123456789abcdef0123456789abcdef', allowPlaintextApiKey: true };
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('orders') });
    new DatadogEcsTracing(stack, 'Ecs', { taskDefinition: task, mergedTracing: options });
    new DatadogEc2Tracing(stack, 'Ec2', { instance: instanceIn(stack), mergedTracing: options });
    // (and a function with the same options: the suite's template checks learn the opt-in from instrumented functions)
    plainFunction(stack, 'Orders');
    MergedTracing.applyTo(stack, options);

    // THEN
    const warnings = warningsOf(stack);
    expect(warnings.find((w) => w.startsWith('/Hosts/Ecs '))).toMatch(/and in the ECS task definition \(DescribeTaskDefinition, the ECS console\) of the Agent container\./);
    expect(warnings.find((w) => w.startsWith('/Hosts/Ec2 '))).toMatch(
      /and in the user data of the host \(readable by any process on the instance through the instance metadata service, and by ec2:DescribeInstanceAttribute\)\./);
  });
});

describe('EC2 hosts', () => {
  test('user data over 16 KB once the Agent setup is appended is refused, naming the host and the sizes', () => {
    // GIVEN an instance whose own user data is 15.5 KB
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    const instance = instanceIn(stack);
    instance.userData.addCommands(`echo '${'x'.repeat(15_500)}' > /dev/null`);

    // WHEN
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN } });

    // THEN
    expect(synthError(stack)).toMatch(new RegExp('^\\[cdk-trace-merging\\] Hosts/Tracing: the user data of Hosts/Host is (\\d+) bytes with the ' +
      'Datadog Agent setup \\((\\d+) after base64\\), over EC2\'s limit of 16384 bytes before base64: the instances would fail to launch\\. ' +
      "Move the host's own setup into a script it downloads at boot \\(an S3 asset, ec2\\.UserData\\.addS3DownloadCommand\\) to make room\\.$"));
  });

  test('commands added after the tracing count too; under the limit, nothing is said', () => {
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    const instance = instanceIn(stack);
    new DatadogEc2Tracing(stack, 'Tracing', { instance, mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN } });
    instance.userData.addCommands('systemctl start orders');
    expect(() => Template.fromStack(stack)).not.toThrow();
    instance.userData.addCommands(`echo '${'x'.repeat(16_384)}'`);
    expect(synthError(stack)).toMatch(/^\[cdk-trace-merging\] Hosts\/Tracing: the user data of Hosts\/Host is \d+ bytes/);
  });

  test('agentInstallScriptSha256 must be a SHA-256', () => {
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    expect(errorOf(() => new DatadogEc2Tracing(stack, 'Tracing', {
      instance: instanceIn(stack), agentInstallScriptSha256: 'latest', mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN },
    }))).toBe('[cdk-trace-merging] Hosts/Tracing: agentInstallScriptSha256 "latest" is not a SHA-256 hash. Pass the 64 lowercase hexadecimal ' +
      'digits `sha256sum install_script_agent7.sh` prints for the script you reviewed, as a literal.');
  });
});

describe('ECS Agent settings ECS or Docker would reject', () => {
  test.each<[string, Partial<DatadogEcsTracingProps>, string]>([
    ['a negative memory reservation', { agentMemoryReservationMiB: -5 },
      'agentMemoryReservationMiB -5 is not a memory reservation ECS accepts (a whole number of MiB, at least 6). ' +
      'Pass a whole number of MiB (Datadog suggests 256 for the Agent), or leave it out for 256.'],
    ['an image tag with a space and a semicolon', { agentImageTag: 'bad tag; x' },
      'agentImageTag "bad tag; x" is not a Docker image tag (a letter, digit or \'_\' first, then up to 127 letters, digits, \'_\', \'.\' or \'-\'). ' +
      "Pass a tag of public.ecr.aws/datadog/agent such as '7' or '7.60.1'."],
    ['fractional CPU units', { agentCpu: 1.5 },
      'agentCpu 1.5 is not a number of CPU units ECS accepts (a whole number from 0 to 16384; 1,024 units are one vCPU). ' +
      "Pass a whole number of CPU units, or leave it out to let the Agent share the task's CPU."],
    ['a container name with a slash', { agentContainerName: 'datadog/agent' },
      'agentContainerName "datadog/agent" is not an ECS container name (up to 255 letters, digits, \'-\' and \'_\'). Pass a name such as \'datadog-agent\'.'],
  ])('%s is refused', (_what, props, message) => {
    const stack = new Stack(new App(), 'Hosts', { env: ENV });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    expect(errorOf(() => new DatadogEcsTracing(stack, 'Tracing', {
      taskDefinition: task, mergedTracing: { env: 'prod', mode: TracingMode.HYBRID, apiKeySecretArn: SECRET_ARN }, ...props,
    }))).toBe(`[cdk-trace-merging] Hosts/Tracing: ${message}`);
  });
});

describe('tags Datadog would reject', () => {
  test.each([
    ['an empty key and value', { '': '' }, "tag key '' is empty. Give the tag a key, or remove it."],
    ['an empty value', { team: '' }, "tag 'team' has the value '', which is empty. Give the tag a value, or remove it."],
    ['a key starting with a digit', { '1team': 'a' },
      "tag key '1team' breaks Datadog's tag rules for keys (a lowercase letter first, then lowercase letters, digits, '_', '-', '.' and '/'; " +
      "no ':', ',' or spaces). Use 't1team' instead."],
    ['a value with a quote and a command', { team: "a';touch${IFS}/tmp/pwned;'" },
      "tag 'team' has the value 'a';touch${IFS}/tmp/pwned;'', which breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' " +
      "and '/' only). Use 'a__touch__ifs_/tmp/pwned__' instead."],
    ['an uppercase value', { team: 'Payments' },
      "tag 'team' has the value 'Payments', which breaks Datadog's tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only). Use 'payments' instead."],
  ])('%s is refused', (_what, tags, message) => {
    expect(optionsError({ env: 'prod', tags })).toBe(`[cdk-trace-merging] Shop: ${message}`);
  });

  test('a KMS ciphertext that is not base64 is refused', () => {
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    expect(errorOf(() => MergedTracing.applyTo(stack, { env: 'prod', apiKmsKey: "x';reboot;'", apiKmsKeyEncryptionKey: new kms.Key(stack, 'Key') })))
      .toBe('[cdk-trace-merging] Shop: apiKmsKey "x\';reboot;\'" is not a base64 KMS ciphertext. Pass the CiphertextBlob that ' +
        '`aws kms encrypt --key-id <key> --plaintext <api key> --query CiphertextBlob --output text` prints.');
  });
});

describe('tokens are checked once resolved', () => {
  test('an env given as a Lazy that resolves to a valid one synthesizes clean', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');

    // WHEN instrumented and checked with a lazy env
    TraceMerging.applyTo(stack, { env: Lazy.string({ produce: () => 'prod' }), apiKeySecretArn: SECRET_ARN });

    // THEN
    expect(findings(stack, 'error')).toEqual([]);
  });

  test('an env given as a Lazy that resolves to a bad value is named as resolved', () => {
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    TraceMerging.applyTo(stack, { env: Lazy.string({ produce: () => 'Prod EU' }), apiKeySecretArn: SECRET_ARN });
    expect(violationAt(stack, 'Shop/Orders', 'FunctionDdEnv')?.description).toBe("This function has DD_ENV='Prod EU', which breaks Datadog's " +
      "tag rules (lowercase letters, digits, '_', '-', ':', '.' and '/' only): Datadog would rewrite it, and its traces would not join the rest " +
      'of the deployment. [cdk-trace-merging:FunctionDdEnv]');
  });

  test('a site given as a Lazy: checked once resolved', () => {
    const stack = new Stack(new App(), 'Shop', { env: ENV });
    plainFunction(stack, 'Orders');
    TraceMerging.applyTo(stack, { env: 'prod', site: Lazy.string({ produce: () => 'datadoghq.co' }), apiKeySecretArn: SECRET_ARN });
    expect(violationAt(stack, 'Shop/Orders', 'FunctionDdSite')?.description).toBe("This function has DD_SITE='datadoghq.co', which is not a " +
      'Datadog site, so its traces reach no Datadog account. [cdk-trace-merging:FunctionDdSite]');
  });
});

describe("a function's own Datadog variables are never dropped silently", () => {
  test("its own DD_TAGS are merged with the options' tags, its own tag winning key by key", () => {
    const { stack, fn } = tracedShop({ env: 'prod', apiKeySecretArn: SECRET_ARN, tags: { team: 'payments', tier: 'gold' } }, ENV,
      { environment: { DD_TAGS: 'team:orders owner:ana' } });
    expect(Template.fromStack(stack).toJSON().Resources[logicalId(fn)].Properties.Environment.Variables.DD_TAGS).toBe('team:orders,owner:ana,tier:gold');
    expect(warningsOf(stack)).toEqual([]);
  });

  test('its own DD_SERVICE and DD_LOG_LEVEL are kept, and a warning names both values', () => {
    const { stack } = tracedShop({ env: 'prod', apiKeySecretArn: SECRET_ARN, service: 'shop', logLevel: 'warn' }, ENV,
      { environment: { DD_SERVICE: 'orders', DD_LOG_LEVEL: 'debug' } });
    expect(warningsOf(stack)).toEqual(["/Shop/Orders EnvironmentValueKept The function's own DD_SERVICE='orders' (the options give 'shop'), " +
      "DD_LOG_LEVEL='debug' (the options give 'warn') are kept over the merged-tracing options. Remove the function's own variable to use the " +
      "option's value, or acknowledge this warning."]);
  });
});

/** A KMS key whose own policy names only an admin role: no statement for the account root. */
function keyForAdminOnly(stack: Stack): kms.Key {
  const admin = iam.Role.fromRoleArn(stack, 'Admin', `arn:aws:iam::${ACCOUNT}:role/admin`);
  return new kms.Key(stack, 'Key', {
    policy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['kms:*'], principals: [admin], resources: ['*'] })] }),
  });
}

function instanceIn(stack: Stack): ec2.Instance {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  return new ec2.Instance(stack, 'Host', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
}
