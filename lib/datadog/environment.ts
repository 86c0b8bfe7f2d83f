import { TracingConfig } from '../config';
import { TracingMode } from '../options';
import { EXEC_WRAPPER_PATH, MERGE_XRAY_TRACES, RedirectKind, RuntimeFamily } from './runtimes';

/** Where the original handler goes when the Datadog handler takes its place. */
export const DD_LAMBDA_HANDLER = 'DD_LAMBDA_HANDLER';
export const AWS_LAMBDA_EXEC_WRAPPER = 'AWS_LAMBDA_EXEC_WRAPPER';
export const DD_TRACE_ENABLED = 'DD_TRACE_ENABLED';
export const DD_TAGS = 'DD_TAGS';
/**
 * Where the Datadog extension reads its API key from, other than plaintext DD_API_KEY: a Secrets Manager secret, an
 * SSM parameter, or a KMS-encrypted value (Datadog's serverless agent configuration).
 */
export const API_KEY_SOURCE_VARS = ['DD_API_KEY_SECRET_ARN', 'DD_API_KEY_SSM_ARN', 'DD_KMS_API_KEY'] as const;
export const DD_API_KEY = 'DD_API_KEY';

/**
 * Variables the function may already carry with its own value, which then wins: they describe the
 * function, they do not decide whether traces merge (per-function service names are common).
 */
export const USER_OVERRIDABLE_ENV_VARS = new Set(['DD_SERVICE', 'DD_VERSION', 'DD_TAGS', 'DD_LOG_LEVEL']);

/** `true` / `false` for the merge flag and DD_TRACE_ENABLED in this mode. */
export function datadogTracesOn(mode: TracingMode): string {
  return mode === TracingMode.SERVERLESS ? 'true' : 'false';
}

/**
 * The Datadog variables a function of this family needs for the configured mode.
 * `family` is undefined for container images, whose runtime is not known at synth time.
 */
export function datadogEnvironment(family: RuntimeFamily | undefined, config: TracingConfig): Record<string, string> {
  const tracesOn = datadogTracesOn(config.mode);
  const env: Record<string, string> = {
    DD_ENV: config.env,
    DD_SITE: config.site,
    [DD_TRACE_ENABLED]: tracesOn,
  };
  // Java and .NET read no merge variable: setting one would only suggest a merge that never happens.
  // Images: the runtime is unknown, and the Node.js/Python name is the likely one.
  const mergeVar = family ? family.mergeEnvVar : MERGE_XRAY_TRACES;
  if (mergeVar !== undefined) env[mergeVar] = tracesOn;
  if (config.service !== undefined) env.DD_SERVICE = config.service;
  if (config.version !== undefined) env.DD_VERSION = config.version;
  if (config.ddTags !== undefined) env[DD_TAGS] = config.ddTags;
  if (config.options.logLevel !== undefined) env.DD_LOG_LEVEL = config.options.logLevel;
  if (family?.redirect === RedirectKind.EXEC_WRAPPER) env[AWS_LAMBDA_EXEC_WRAPPER] = EXEC_WRAPPER_PATH;
  return env;
}
