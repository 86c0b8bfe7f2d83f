import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { MergedTracingError } from './common/errors';
import { digestOf } from './common/stable-id';
import { parseKeyArn, KeyArnKind, ResourceArn, SECRET_ARN, SSM_PARAMETER_ARN } from './datadog/api-key-arns';
import { DEFAULT_EXTENSION_LAYER_VERSION, FAMILIES, RuntimeFamily } from './datadog/runtimes';
import { DATADOG_SITES, DEFAULT_SITE } from './datadog/sites';
import { MAX_TAG_LENGTH, suggestedTag, suggestedTagKey, tagKeyProblem, tagValueProblem } from './datadog/tag-rules';
import { MergedTracingOptions, TracingMode } from './options';

/** Where the Datadog API key comes from, resolved to one source. */
export type ApiKeySource =
  | { readonly kind: 'secret'; readonly secret: NonNullable<MergedTracingOptions['apiKeySecret']> }
  | { readonly kind: 'secretArn'; readonly arn: string; readonly parsed?: ResourceArn }
  | { readonly kind: 'ssm'; readonly arn: string; readonly parsed?: ResourceArn }
  | { readonly kind: 'kms'; readonly ciphertext: string; readonly key: kms.IKey }
  | { readonly kind: 'plaintext'; readonly value: string }
  | { readonly kind: 'none' };

/** MergedTracingOptions validated once and turned into what instrumenting needs. */
export interface TracingConfig {
  readonly options: MergedTracingOptions;
  /** Where the options were given (construct path or a description), for messages. */
  readonly where: string;
  readonly mode: TracingMode;
  readonly env: string;
  readonly service?: string;
  readonly version?: string;
  readonly site: string;
  readonly apiKey: ApiKeySource;
  readonly extensionLayerVersion: number;
  readonly ddTags?: string;
  /** Identifies these options, so instrumenting twice with the same ones is a no-op. */
  readonly signature: string;
  /** The first 8 hex digits of the signature's SHA-256: the options' part of construct ids (the shared policy's). */
  readonly signatureDigest: string;
  libraryLayerVersion(family: RuntimeFamily): number | undefined;
  isExcluded(path: string, fn: object): boolean;
  /** The exclusion that leaves the construct out, in the options' words; undefined when it is not excluded. */
  exclusionOf(path: string, fn: object): string | undefined;
}

const UNIFIED_SERVICE_TAGS = ['env', 'service', 'version'];
// DD_LOG_LEVEL values the extension and the Datadog libraries read (case-insensitive).
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'off'];

/** Validates options (where = construct path or a description, for messages) and resolves them. */
export function resolveTracingConfig(options: MergedTracingOptions, where: string): TracingConfig {
  const mode = options.mode ?? TracingMode.SERVERLESS;
  if (Token.isUnresolved(mode)) {
    // The layers and variables of every function depend on the mode, so it must be known at synthesis.
    throw new MergedTracingError(where, 'mode is only known at deployment (a token), but the Datadog variables are chosen at synthesis.',
      'Pass TracingMode.SERVERLESS or TracingMode.HYBRID itself.');
  }
  if (!Object.values(TracingMode).includes(mode)) {
    throw new MergedTracingError(where, `mode '${mode}' is not a TracingMode.`, 'Use TracingMode.SERVERLESS or TracingMode.HYBRID.');
  }
  validateTag(options.env, 'env', where, true);
  validateTag(options.service, 'service', where, false);
  validateTag(options.version, 'version', where, false);
  const site = options.site ?? DEFAULT_SITE;
  if (!Token.isUnresolved(site) && !DATADOG_SITES.includes(site)) {
    throw new MergedTracingError(where, `site '${site}' is not a Datadog site.`, `Use one of: ${DATADOG_SITES.join(', ')}.`);
  }
  validateTags(options.tags, where);
  const logLevel = options.logLevel;
  if (logLevel !== undefined && !Token.isUnresolved(logLevel) && !LOG_LEVELS.includes(String(logLevel).toLowerCase())) {
    throw new MergedTracingError(where, `logLevel '${logLevel}' is not a Datadog log level.`, `Use one of: ${LOG_LEVELS.join(', ')}.`);
  }
  // The newest version of each layer Datadog had published when this library was released (the defaults): a higher one
  // may not exist yet, and a function given a layer that does not exist fails at deployment.
  const versionOf = (name: string, value: number | undefined, newestKnown: number | undefined) =>
    validateLayerVersion(name, value, newestKnown, options.allowNewerLayerVersions === true, where) ?? newestKnown;
  const familyVersions: Record<string, number | undefined> = {};
  for (const family of Object.values(FAMILIES) as RuntimeFamily[]) {
    if (family.versionOption === undefined) continue;
    const value = (options as unknown as Record<string, number | undefined>)[family.versionOption];
    familyVersions[family.versionOption] = versionOf(family.versionOption, value, family.defaultLibraryLayerVersion);
  }
  const extensionLayerVersion = versionOf('extensionLayerVersion', options.extensionLayerVersion, DEFAULT_EXTENSION_LAYER_VERSION)!;
  validateFips(options.fips, where);
  const apiKey = resolveApiKey(options, where);
  const excludedFunctions = new Set<object>(options.excludeFunctions ?? []);
  // A SingletonFunction is not the lambda.Function it creates (that one sits at the stack root),
  // but both carry the same functionArn token: match on it too.
  const excludedArns = new Set<string>((options.excludeFunctions ?? []).map((f) => f.functionArn));
  // Construct paths have no leading slash, but annotations print them with one: accept both.
  const excludedPaths = (options.excludeConstructPaths ?? []).map((p) => p.replace(/^\/+|\/+$/g, ''));
  const ddTags = options.tags && Object.keys(options.tags).length > 0
    ? Object.entries(options.tags).map(([k, v]) => `${k}:${v}`).join(',')
    : undefined;

  const signature = signatureOf(options, mode, site);
  return {
    options,
    where,
    mode,
    env: options.env,
    service: options.service,
    version: options.version,
    site,
    apiKey,
    extensionLayerVersion,
    ddTags,
    signature,
    signatureDigest: digestOf(signature, 8),
    libraryLayerVersion: (family) => (family.versionOption ? familyVersions[family.versionOption] : undefined),
    isExcluded: (path, fn) => exclusionOf(path, fn) !== undefined,
    exclusionOf,
  };

  function exclusionOf(path: string, fn: object): string | undefined {
    if (excludedFunctions.has(fn) || excludedArns.has((fn as { functionArn?: string }).functionArn!)) return `excludeFunctions (options given at ${where})`;
    const byPath = excludedPaths.find((p) => path === p || path.startsWith(p + '/'));
    return byPath === undefined ? undefined : `excludeConstructPaths '${byPath}' (options given at ${where})`;
  }
}

function validateTag(value: string | undefined, name: string, where: string, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) {
      throw new MergedTracingError(where, `${name} is required.`, `Set ${name} to the Datadog env of this deployment, e.g. 'prod'.`);
    }
    return;
  }
  // A token is checked once resolved: the checker reads the synthesized template (FunctionDdEnv), the EC2 boot script at boot.
  if (Token.isUnresolved(value)) return;
  if (typeof value !== 'string') {
    throw new MergedTracingError(where, `${name} is ${JSON.stringify(value)}, not a string.`, `Set ${name} to a Datadog tag value such as 'prod'.`);
  }
  const problem = tagValueProblem(value);
  if (problem === undefined) return;
  if (value.length === 0) throw new MergedTracingError(where, `${name} is empty.`, `Set ${name} to a Datadog tag value such as 'prod'.`);
  if (value.length > MAX_TAG_LENGTH) throw new MergedTracingError(where, `${name} ${problem}.`, `Shorten ${name}.`);
  throw new MergedTracingError(where, `${name} '${value}' ${problem}.`, `Use '${suggestedTag(value)}' instead.`);
}

/**
 * The `tags` option becomes DD_TAGS (`key:value,...`), the Agent's host tags and the EC2 boot script's values: each key
 * and value must follow Datadog's tag rules, and env/service/version have options of their own.
 */
function validateTags(tags: Record<string, string> | undefined, where: string): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (UNIFIED_SERVICE_TAGS.includes(key)) {
      // DD_TAGS env:x beside DD_ENV=y gives the function two env tags, and Datadog cannot connect its traces.
      throw new MergedTracingError(where, `tags has the key '${key}', which the ${key} option sets (DD_${key.toUpperCase()}); the two could disagree.`,
        `Set ${key}: '${value}' in the options instead, and remove it from tags.`);
    }
    const keyProblem = Token.isUnresolved(key) ? undefined : tagKeyProblem(key);
    if (keyProblem !== undefined) {
      throw new MergedTracingError(where, `tag key '${key}' ${keyProblem}.`,
        key.length === 0 ? 'Give the tag a key, or remove it.' : `Use '${suggestedTagKey(key)}' instead.`);
    }
    if (Token.isUnresolved(value)) continue;
    const valueProblem = typeof value === 'string' ? tagValueProblem(value) : 'is not a string';
    if (valueProblem !== undefined) {
      throw new MergedTracingError(where, `tag '${key}' has the value '${value}', which ${valueProblem}.`,
        typeof value === 'string' && value.length > 0 ? `Use '${suggestedTag(value)}' instead.` : 'Give the tag a value, or remove it.');
    }
    if (!Token.isUnresolved(key) && key.length + 1 + value.length > MAX_TAG_LENGTH) {
      throw new MergedTracingError(where, `tag '${key}:${value}' is ${key.length + 1 + value.length} characters long; Datadog tags hold at most ${MAX_TAG_LENGTH}.`,
        'Shorten its key or value.');
    }
  }
}

function validateFips(fips: unknown, where: string): void {
  if (fips === undefined) return;
  if (Token.isUnresolved(fips)) {
    // The extension layer's name depends on it, and layers are chosen at synthesis.
    throw new MergedTracingError(where, 'fips is only known at deployment (a token), but the extension layer (FIPS or not) is chosen at synthesis.',
      'Pass true or false, or leave fips out to follow the region (FIPS in AWS GovCloud).');
  }
  if (typeof fips !== 'boolean') {
    // From JSON or a config file, 'false' would be truthy and silently turn FIPS on.
    throw new MergedTracingError(where, `fips is ${JSON.stringify(fips)}, not true or false.`,
      'Pass the boolean true or false, or leave fips out to follow the region (FIPS in AWS GovCloud).');
  }
}

function validateLayerVersion(name: string, value: number | undefined, newestKnown: number | undefined, allowNewer: boolean,
  where: string): number | undefined {
  if (value === undefined || Token.isUnresolved(value)) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new MergedTracingError(where, `${name} ${value} is not a layer version.`, `Set ${name} to a whole number of at least 1, or leave it out for the default.`);
  }
  if (newestKnown !== undefined && value > newestKnown && !allowNewer) {
    throw new MergedTracingError(where, `${name} ${value} is newer than ${newestKnown}, the newest version Datadog had published when this library ` +
      'was released; a layer version that does not exist fails the deployment.',
    `Use a published version (at most ${newestKnown}), or set allowNewerLayerVersions: true once Datadog has published ${value} in every region you deploy to.`);
  }
  return value;
}

function resolveApiKey(options: MergedTracingOptions, where: string): ApiKeySource {
  const given = (['apiKeySecret', 'apiKeySecretArn', 'apiKeySsmArn', 'apiKmsKey', 'apiKey'] as const)
    .filter((k) => options[k] !== undefined);
  if (given.length > 1) {
    throw new MergedTracingError(where, `the Datadog API key is given ${given.length} ways (${given.join(', ')}).`, 'Keep exactly one API key source.');
  }
  if (options.apiKmsKeyEncryptionKey && !options.apiKmsKey) {
    throw new MergedTracingError(where, 'apiKmsKeyEncryptionKey is set without apiKmsKey.', 'Set apiKmsKey to the KMS-encrypted API key, or remove apiKmsKeyEncryptionKey.');
  }
  if (options.allowPlaintextApiKey && options.apiKey === undefined) {
    throw new MergedTracingError(where, 'allowPlaintextApiKey is set but apiKey is not.', 'Remove allowPlaintextApiKey, or better, use apiKeySecret.');
  }
  if (options.apiKeySecret) return { kind: 'secret', secret: options.apiKeySecret };
  if (options.apiKeySecretArn !== undefined) {
    return { kind: 'secretArn', arn: options.apiKeySecretArn, parsed: keyArn(options.apiKeySecretArn, 'apiKeySecretArn', SECRET_ARN, where) };
  }
  if (options.apiKeySsmArn !== undefined) {
    return { kind: 'ssm', arn: options.apiKeySsmArn, parsed: keyArn(options.apiKeySsmArn, 'apiKeySsmArn', SSM_PARAMETER_ARN, where) };
  }
  if (options.apiKmsKey !== undefined) {
    if (!options.apiKmsKeyEncryptionKey) {
      throw new MergedTracingError(where, 'apiKmsKey is set without apiKmsKeyEncryptionKey, so the kms:Decrypt grant could not be scoped to one key.',
        'Pass the KMS key that encrypted the API key as apiKmsKeyEncryptionKey (kms.Key.fromKeyArn for an existing key).');
    }
    assertCiphertext(options.apiKmsKey, where);
    return { kind: 'kms', ciphertext: options.apiKmsKey, key: options.apiKmsKeyEncryptionKey };
  }
  if (options.apiKey !== undefined) {
    if (!options.allowPlaintextApiKey) {
      throw new MergedTracingError(where, 'apiKey would put the Datadog API key in plaintext into the template and the Lambda console.',
        'Store it in Secrets Manager and pass apiKeySecret, or set allowPlaintextApiKey: true to accept the exposure.');
    }
    if (!Token.isUnresolved(options.apiKey) && (typeof options.apiKey !== 'string' || !/^[\x21-\x7e]+$/.test(options.apiKey))) {
      // Datadog API keys are 32 hexadecimal characters: an empty string, or one with spaces, line breaks or other
      // characters than printable ASCII, never authenticates.
      throw new MergedTracingError(where, `apiKey ${options.apiKey.length === 0 ? 'is empty' : 'has whitespace, line breaks or other characters no Datadog API key has'}.`,
        'Pass the 32-character API key from Datadog\'s Organization Settings > API Keys, or better, store it in Secrets Manager and pass apiKeySecret.');
    }
    return { kind: 'plaintext', value: options.apiKey };
  }
  return { kind: 'none' };
}

/** The parsed ARN of a key source; undefined for a token (the grant then names exactly what it resolves to). */
function keyArn(value: string, name: string, kind: KeyArnKind, where: string): ResourceArn | undefined {
  if (Token.isUnresolved(value)) return undefined;
  const parsed = typeof value === 'string' ? parseKeyArn(value, kind) : { problem: 'is not a string' };
  if ('problem' in parsed) {
    throw new MergedTracingError(where, `${name} '${value}' ${parsed.problem}; merged tracing grants the read of exactly the resource it names.`,
      `Pass the complete ARN of the one ${kind.noun.replace(/^an? /, '')} (${kind.form}).`);
  }
  return parsed.arn;
}

/** A KMS ciphertext is base64 (what `aws kms encrypt` prints): anything else is a mistake, and reaches a boot script. */
function assertCiphertext(value: string, where: string): void {
  if (Token.isUnresolved(value)) return;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new MergedTracingError(where, `apiKmsKey ${JSON.stringify(value)} is not a base64 KMS ciphertext.`,
      'Pass the CiphertextBlob that `aws kms encrypt --key-id <key> --plaintext <api key> --query CiphertextBlob --output text` prints.');
  }
}

function signatureOf(options: MergedTracingOptions, mode: TracingMode, site: string): string {
  // Constructs (secrets, keys, functions) are identified by path so two equal option objects match;
  // keys are sorted so the order options were written in does not matter.
  return JSON.stringify({ ...options, mode, site }, (_key, value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    if ('node' in value) return `construct:${value.node.path}`;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
