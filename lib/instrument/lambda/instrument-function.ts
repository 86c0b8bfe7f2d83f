import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { failOnOtherDatadogLayerVersions, wantedDatadogLayers } from './existing-layers';
import { InstrumentationMarker } from './instrumentation-marker';
import { layersInRegion } from './layers-in-region';
import { grantTracingPermissions } from './tracing-policy';
import { failAt, leaveOut } from '../../common/errors';
import { warnWhileInstrumenting } from '../../common/findings';
import { isLambdaAtEdge, warnLambdaAtEdge } from '../../common/lambda-at-edge';
import { shownValue } from '../../common/shown-value';
import { TracingConfig } from '../../config';
import { apiKeyEnvironment, API_KEY_ENV_VARS } from '../../datadog/api-key-variables';
import {
  AWS_LAMBDA_EXEC_WRAPPER, DD_LAMBDA_HANDLER, DD_TAGS, datadogEnvironment, USER_OVERRIDABLE_ENV_VARS,
} from '../../datadog/environment';
import { DD_LAMBDA_FIPS_MODE, fipsFor, fipsModeEnvironment } from '../../datadog/fips';
import { MAX_ENVIRONMENT_BYTES, MAX_LAYERS } from '../../datadog/lambda-limits';
import { datadogLayer } from '../../datadog/layers';
import {
  FROM_IMAGE, MergeSupport, RedirectKind, runtimeRow, RuntimeRow, supportedRuntimeNames,
} from '../../datadog/runtimes';
import { TracingMode } from '../../options';
import { warnPlaintextApiKey } from '../api-key-placement';
import { tagResource } from '../tags';

/**
 * Makes one function produce merged traces: X-Ray active tracing with its permissions, the Datadog
 * library and extension layers, the handler redirect, the Datadog variables and unified service tags.
 * Idempotent for the same options; refuses to silently overwrite what the user set.
 */
export function instrumentFunction(fn: lambda.Function, config: TracingConfig): void {
  const signature = InstrumentationMarker.signatureOf(fn);
  if (signature !== undefined) {
    if (signature === config.signature) return;
    // Options at different depths never get here (the nearest scope wins, see MergedTracing.visit): these two sit at one scope.
    failAt(fn, `is covered by two different sets of merged-tracing options at the same scope, given at '${InstrumentationMarker.whereOf(fn)}' ` +
      `and at '${config.where}'; the nearest scope wins, but neither of these is nearer.`,
    'Keep one set of options for that scope, give the other to a narrower scope (a Stage, stack or construct), or exclude the function from one of them with excludeFunctions.');
  }
  if (isLambdaAtEdge(fn)) return warnLambdaAtEdge(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const stack = Stack.of(fn);
  const runtimeName = fn.runtime.name;
  const isImage = runtimeName === FROM_IMAGE;
  const row = isImage ? undefined : rowOrFail(fn, runtimeName);
  const arm64 = fn.architecture.name === lambda.Architecture.ARM_64.name;

  const existingEnv: Record<string, unknown> = stack.resolve(cfn.environment)?.variables ?? {};
  const wanted = datadogEnvironment(row?.family, config);
  // Every clash with the function's own variables, reported together so one synth shows them all.
  const clashes: Clash[] = [];
  const redirectHandler = row?.family.redirect === RedirectKind.HANDLER ? row.family.datadogHandler : undefined;
  if (redirectHandler) {
    const handler = cfn.handler;
    if (handler !== redirectHandler) {
      wanted[DD_LAMBDA_HANDLER] = handler!;
    } else if (existingEnv[DD_LAMBDA_HANDLER] === undefined) {
      clashes.push({
        problem: `already uses the Datadog handler '${handler}' but has no ${DD_LAMBDA_HANDLER}, so Datadog cannot find the real handler.`,
        fix: 'Set the function\'s handler to your own handler and let merged tracing redirect it.',
      });
    }
  }
  if (existingEnv[AWS_LAMBDA_EXEC_WRAPPER] !== undefined && wanted[AWS_LAMBDA_EXEC_WRAPPER] === undefined) {
    clashes.push({
      problem: `sets ${AWS_LAMBDA_EXEC_WRAPPER} (another tracer's wrapper, such as ADOT), which would trace it a second time beside Datadog.`,
      fix: `Remove ${AWS_LAMBDA_EXEC_WRAPPER} (and adotInstrumentation) from the function.`,
    });
  }
  const fips = fipsFor(stack.region, config.options.fips);
  Object.assign(wanted, fipsModeEnvironment(stack.region, config.options.fips));
  clashes.push(...otherFipsMode(existingEnv, fips));
  const { toSet, kept } = reconcileEnvironment(existingEnv, wanted, clashes);
  Object.assign(toSet, apiKeyVariables(existingEnv, config, clashes));
  if (clashes.length > 0) failAt(fn, clashes.map((c) => c.problem).join(' '), `${clashes.map((c) => c.fix).join(' ')} Or ${leaveOut(fn)}.`);

  const wantedLayers = row ? layersInRegion(fn, runtimeName, wantedDatadogLayers(row, arm64, config, fips), { arm64, fips: fips === true }) : []; // images cannot take layers
  const layers = wantedLayers.map((layer) => datadogLayer(stack, layer.name, layer.version, layer.pinned));
  const existingLayers = resolvedLayerArns(stack, cfn);
  failOnOtherDatadogLayerVersions(fn, existingLayers, wantedLayers);
  const newLayers = layers.filter((l) => !existingLayers.includes(resolvedIfToken(stack, l.layerVersionArn)));
  if (existingLayers.length + newLayers.length > MAX_LAYERS) {
    failAt(fn, `has ${existingLayers.length} layers; adding the ${newLayers.length} Datadog layers would pass Lambda's limit of ${MAX_LAYERS}.`,
      `Remove or merge some of its layers, or ${leaveOut(fn)}.`);
  }
  checkEnvironmentSize(fn, { ...existingEnv, ...toSet });

  const needsXRayGrant = enableActiveTracing(fn, cfn);
  grantTracingPermissions(fn, config, needsXRayGrant);
  if (newLayers.length > 0) fn.addLayers(...newLayers);
  for (const [key, value] of Object.entries(toSet)) fn.addEnvironment(key, value);
  if (redirectHandler) cfn.handler = redirectHandler;
  tagResource(cfn, config, userServiceTags(existingEnv));
  warnAboutManualSteps(fn, row, isImage, config);
  warnPlaintextApiKey(stack, config.apiKey, "in every function's environment (the Lambda console, GetFunctionConfiguration)");
  if (kept.length > 0) {
    warnWhileInstrumenting(fn, 'EnvironmentValueKept', `The function's own ${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} kept over the ` +
      "merged-tracing options. Remove the function's own variable to use the option's value, or acknowledge this warning.");
  }
  InstrumentationMarker.mark(fn, config.signature, config.where);
}

/**
 * A DD_LAMBDA_FIPS_MODE of the user's that disagrees with the stack's FIPS choice would run the library in one
 * mode beside the extension built for the other. The option is the one place to choose.
 */
function otherFipsMode(existingEnv: Record<string, unknown>, fips: boolean | undefined): Clash[] {
  const own = existingEnv[DD_LAMBDA_FIPS_MODE];
  if (own === undefined) return [];
  if (typeof own === 'string' && fips !== undefined && (own.toLowerCase() === 'true') === fips) return [];
  return [{
    problem: `sets ${DD_LAMBDA_FIPS_MODE}=${shownValue(own)}, but merged tracing chooses the extension (FIPS or not) from the fips option` +
      `${fips === undefined ? ', which this environment-agnostic stack leaves to the partition' : ` (here ${fips})`}.`,
    fix: `Remove ${DD_LAMBDA_FIPS_MODE} from the function's environment and set fips: ${typeof own === 'string' ? own.toLowerCase() === 'true' : 'true or false'} in the merged-tracing options.`,
  }];
}

/** One clash between merged tracing and what the function already sets: what is wrong and its fix. */
interface Clash {
  readonly problem: string;
  readonly fix: string;
}

/** A DD_SERVICE / DD_VERSION the user set on the function wins, so its resource tags must say the same. */
function userServiceTags(existingEnv: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  if (typeof existingEnv.DD_SERVICE === 'string') tags.service = existingEnv.DD_SERVICE;
  if (typeof existingEnv.DD_VERSION === 'string') tags.version = existingEnv.DD_VERSION;
  return tags;
}

function rowOrFail(fn: lambda.Function, runtimeName: string): RuntimeRow {
  if (Token.isUnresolved(runtimeName)) {
    failAt(fn, 'has a runtime that is not known until deployment, so no Datadog layer can be chosen for it.',
      `Use a concrete lambda.Runtime (e.g. Runtime.NODEJS_22_X), or ${leaveOut(fn)}.`);
  }
  const row = runtimeRow(runtimeName);
  if (!row) {
    failAt(fn, `uses runtime '${runtimeName}', for which Datadog publishes no Lambda layer.`,
      `Move it to a supported runtime (${supportedRuntimeNames().join(', ')}), or ${leaveOut(fn)}.`);
  }
  return row;
}

/** Our layer ARNs are literal in a stack with a region: resolving them anyway costs every function a resolve pass. */
function resolvedIfToken(stack: Stack, value: string): unknown {
  return Token.isUnresolved(value) ? stack.resolve(value) : value;
}

function resolvedLayerArns(stack: Stack, cfn: lambda.CfnFunction): unknown[] {
  const resolved = stack.resolve(cfn.layers);
  return Array.isArray(resolved) ? resolved : [];
}

/**
 * Our values for variables the user has not set; the user's value where it may differ (said in `kept`, and for DD_TAGS
 * merged: the function's own tags win key by key); an error where a different user value would break the merge.
 */
function reconcileEnvironment(existing: Record<string, unknown>, wanted: Record<string, string>, clashes: Clash[]):
{ toSet: Record<string, string>; kept: string[] } {
  const toSet: Record<string, string> = {};
  const kept: string[] = [];
  const problems: string[] = [];
  const keys: string[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    const current = existing[key];
    if (current === undefined) {
      toSet[key] = value;
    } else if (current === value) {
      continue;
    } else if (key === DD_TAGS && typeof current === 'string') {
      toSet[key] = mergedTags(current, value);
    } else if (USER_OVERRIDABLE_ENV_VARS.has(key)) {
      kept.push(`${key}=${shownValue(current)} (the options give '${value}')`);
    } else {
      problems.push(`sets ${key}=${shownValue(current)}, but merged tracing needs ${key}='${value}'${key === AWS_LAMBDA_EXEC_WRAPPER ? ' (another exec wrapper, such as ADOT, cannot run beside Datadog\'s)' : ''}`);
      keys.push(key);
    }
  }
  if (problems.length > 0) {
    clashes.push({
      problem: `${problems.join('; ')}.`,
      fix: `Remove ${keys.join(' and ')} from the function's environment, or change the merged-tracing options.`,
    });
  }
  return { toSet, kept };
}

/** The function's own DD_TAGS (commas or spaces between tags) with the options' tags whose keys it does not set. */
function mergedTags(own: string, options: string): string {
  const ownTags = own.split(/[,\s]+/).filter(Boolean);
  const ownKeys = new Set(ownTags.map((tag) => tag.split(':')[0]));
  return [...ownTags, ...options.split(',').filter((tag) => !ownKeys.has(tag.split(':')[0]))].join(',');
}

function apiKeyVariables(existing: Record<string, unknown>, config: TracingConfig, clashes: Clash[]): Record<string, string> {
  const userKeyVar = API_KEY_ENV_VARS.find((k) => existing[k] !== undefined);
  if (config.apiKey.kind === 'none') return {};
  if (userKeyVar) {
    clashes.push({
      problem: `already sets ${userKeyVar}, and the merged-tracing options give another Datadog API key source.`,
      fix: `Remove ${userKeyVar} from the function's environment, or remove the API key from the options.`,
    });
  }
  return apiKeyEnvironment(config.apiKey);
}

/** Turns on X-Ray active tracing; returns true when we did, so the role still needs X-Ray writes. */
function enableActiveTracing(fn: lambda.Function, cfn: lambda.CfnFunction): boolean {
  const current = Stack.of(fn).resolve(cfn.tracingConfig);
  const mode = current?.mode;
  if (mode === lambda.Tracing.ACTIVE) return false; // the L2 already granted X-Ray writes
  if (mode !== undefined) {
    failAt(fn, `has X-Ray tracing set to ${shownValue(mode)}; merged traces need Tracing.ACTIVE.`,
      `Remove the tracing setting (merged tracing turns it on) or set it to lambda.Tracing.ACTIVE, or ${leaveOut(fn)}.`);
  }
  cfn.tracingConfig = { mode: lambda.Tracing.ACTIVE };
  return true;
}

/** Lambda counts the keys and values of all variables against 4 KB. Tokens are counted as they read. */
function checkEnvironmentSize(fn: lambda.Function, env: Record<string, unknown>): void {
  const bytes = Object.entries(env).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : ''), 0);
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    failAt(fn, `would carry ${bytes} bytes of environment variables with the Datadog ones, over Lambda's limit of ${MAX_ENVIRONMENT_BYTES}.`,
      `Move large values to SSM Parameter Store or Secrets Manager, or ${leaveOut(fn)}.`);
  }
}

function warnAboutManualSteps(fn: lambda.Function, row: RuntimeRow | undefined, isImage: boolean, config: TracingConfig): void {
  if (isImage) {
    warnWhileInstrumenting(fn, 'ContainerImageFunction',
      'Container image functions cannot take layers: tracing and Datadog variables are set, but the image itself must contain ' +
      'the Datadog Lambda library for its runtime, the Datadog extension (/opt/extensions/datadog-agent) and a CMD/handler ' +
      'that goes through the Datadog wrapper (see Datadog\'s "Instrumenting Lambda container images"). Ruby images also need ' +
      `DD_MERGE_DATADOG_XRAY_TRACES=${config.mode === 'SERVERLESS' ? 'true' : 'false'}.`);
  } else if (row?.family.redirect === RedirectKind.IN_CODE) {
    // In HYBRID, X-Ray traces the function and Datadog tracing is off: the wrapper then only sends metrics and logs.
    const why = config.mode === TracingMode.SERVERLESS
      ? 'so Datadog traces the invocations'
      : 'so the Datadog library sends its enhanced metrics (in HYBRID mode X-Ray traces the invocations and Datadog tracing stays off)';
    warnWhileInstrumenting(fn, 'WrapHandlerInCode',
      `${row.family.name} handlers cannot be redirected by configuration: wrap the handler in code ` +
      `(Ruby: Datadog::Lambda.wrap; Go: ddlambda.WrapFunction) ${why}.`);
  }
  if (row?.family.merge === MergeSupport.NONE && config.mode === TracingMode.SERVERLESS) warnMergeNotSupported(fn, row);
}

/**
 * Java and .NET: Datadog merges X-Ray traces for Node.js and Python (and Ruby and Go once wrapped), and its
 * Java and .NET tracers read no merge variable. The function stays traced by both; say what the user will see.
 */
function warnMergeNotSupported(fn: lambda.Function, row: RuntimeRow): void {
  warnWhileInstrumenting(fn, 'MergeNotSupported',
    `Datadog's ${row.family.name} tracer cannot merge X-Ray traces, so this function is traced by X-Ray and by Datadog ` +
    'separately: each invocation shows as two traces for this hop (the X-Ray trace with API Gateway and Step Functions, ' +
    'and a Datadog trace of the function), not one merged trace. To merge, move the function to Node.js or Python; ' +
    'otherwise accept two traces for this hop and acknowledge this warning.');
}
