'use strict';
/**
 * Runs in the child process: what the AWS Lambda Node.js runtime (aws-lambda-nodejs-runtime-interface-client)
 * does for one invocation, no more. It loads the module named by _HANDLER (the function's configured
 * Handler) the way the runtime does (extensionless, then .js, .mjs, .cjs), with /opt paths mapped to
 * the locally installed copy of the layer, builds the Lambda context object, invokes the handler with
 * the event, and prints the result on one marked stdout line. It then lets the event loop drain (the
 * parent ends the process when it has what it waits for, or at its deadline).
 *
 * Several invocations run one after the other in the one process, as warm starts do in Lambda: each with its own
 * request id, and the X-Ray header Lambda sets for it in _X_AMZN_TRACE_ID.
 *
 * argv[2]: path of a JSON file { invocations: [{ event, awsRequestId, traceHeader }], invokedFunctionArn,
 * timeoutSeconds, layerRoots }.
 */
const fs = require('fs');
const path = require('path');

const RESULT_MARKER = '__E2E_LAMBDA_RESULT__';
const invocation = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));

/** /opt/... (layer contents) -> the local directory holding the same files. */
function mapLayerPath(file) {
  if (!file.startsWith('/opt/')) return file;
  for (const [layerPath, localPath] of Object.entries(invocation.layerRoots)) {
    if (file === layerPath || file.startsWith(layerPath + '/')) return localPath + file.slice(layerPath.length);
  }
  throw new Error(`handler path ${file} is in a layer this harness does not provide (known: ${Object.keys(invocation.layerRoots).join(', ')})`);
}

function hasPackageJsonTypeModule(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) return JSON.parse(fs.readFileSync(pj, 'utf-8')).type === 'module';
    if (dir === path.dirname(dir)) return false;
  }
}

/** The runtime's module lookup: extensionless, .js (CommonJS), then .js (ESM) / .mjs / .cjs. */
async function loadModule(appRoot, moduleRoot, moduleName) {
  const file = mapLayerPath(path.resolve(appRoot, moduleRoot, moduleName));
  const tryRequire = (ext) => (fs.existsSync(file + ext) ? require(file + ext) : undefined);
  const tryImport = async (ext) => (fs.existsSync(file + ext) ? import(file + ext) : undefined);
  const esm = hasPackageJsonTypeModule(file);
  const loaded = tryRequire('')
    ?? (!esm ? tryRequire('.js') : undefined)
    ?? (esm ? await tryImport('.js') : undefined)
    ?? await tryImport('.mjs')
    ?? tryRequire('.cjs');
  if (loaded === undefined) throw new Error(`Runtime.ImportModuleError: cannot find ${file}(.js|.mjs|.cjs)`);
  return loaded;
}

async function loadHandler(appRoot, fullHandler) {
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new Error(`Runtime.MalformedHandlerName: ${fullHandler}`);
  const [, moduleName, handlerPath] = match;
  const module = await loadModule(appRoot, moduleRoot, moduleName);
  const handler = handlerPath.split('.').reduce((obj, key) => (obj == null ? undefined : obj[key]), module);
  if (typeof handler !== 'function') throw new Error(`Runtime.HandlerNotFound: ${fullHandler} is undefined or not exported`);
  return handler;
}

function lambdaContext(deadline, awsRequestId) {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    invokedFunctionArn: invocation.invokedFunctionArn,
    awsRequestId,
    clientContext: undefined,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
}

/** Promise- and callback-style handlers, as the runtime accepts both. */
function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
  });
}

(async () => {
  // Lambda ends an invocation at the function's Timeout; so does this process (a second of grace for the
  // flush, for each invocation), even if the harness that started it is gone. Unref'd: it never keeps the process alive.
  const allowed = invocation.timeoutSeconds * invocation.invocations.length;
  setTimeout(() => {
    process.stderr.write(`\nTask timed out after ${invocation.timeoutSeconds} seconds\n`);
    process.exit(124);
  }, allowed * 1000 + 1000).unref();
  let handler;
  for (const one of invocation.invocations) {
    const deadline = Date.now() + invocation.timeoutSeconds * 1000;
    process.env._X_AMZN_TRACE_ID = one.traceHeader;
    let outcome;
    try {
      handler = handler ?? await loadHandler(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER);
      const result = await invoke(handler, one.event, lambdaContext(deadline, one.awsRequestId));
      outcome = { result };
    } catch (error) {
      outcome = { error: { name: error && error.name, message: String(error && error.message), stack: error && error.stack } };
    }
    process.stdout.write(`\n${RESULT_MARKER} ${JSON.stringify(outcome)}\n`);
  }
})();
