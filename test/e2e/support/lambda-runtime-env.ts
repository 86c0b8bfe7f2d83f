/**
 * THE one place naming every environment variable the e2e harness passes that does NOT come from the
 * synthesized template, with why. Everything else the child process sees is the function's
 * Environment.Variables, verbatim. Nothing is inherited from the test process (no PATH, no NODE_OPTIONS,
 * no AWS credentials, no stray DD_* of the developer's shell).
 *
 * Two kinds:
 * - LAMBDA: what the Lambda service itself sets in every Node.js execution environment.
 * - HARNESS: stand-ins for the Datadog Extension, which the template ships as a layer (and which only
 *   runs in AWS). With it, dd-trace sends spans to 127.0.0.1:8126 and datadog-lambda-js sends metrics
 *   over DogStatsD to it, both found through /opt/extensions/datadog-agent; here that file does not exist.
 */

export interface RuntimeInputs {
  /** The name Lambda would give the function (CloudFormation generates it; any name serves). */
  readonly functionName: string;
  readonly region: string;
  /** The template's Handler, as Lambda copies it into _HANDLER. */
  readonly handler: string;
  /** The template's Runtime, e.g. nodejs22.x. */
  readonly runtime: string;
  /** The template's MemorySize, or Lambda's default. */
  readonly memorySize: number;
  /** Temporary directory with the function's code (Lambda's /var/task). */
  readonly taskRoot: string;
  /** What the layer's /opt/nodejs/node_modules holds locally (dd-trace comes from there). Node.js only. */
  readonly layerNodeModules?: string;
  /** The directory of the Python network guard (sitecustomize.py). Python only. */
  readonly pythonGuardDir?: string;
  /** The X-Ray trace header of this invocation. */
  readonly traceHeader: string;
  /** `127.0.0.1:<port>` of the fake X-Ray daemon. */
  readonly xrayDaemonAddress: string;
  /** `http://127.0.0.1:<port>` of the fake Datadog agent. */
  readonly agentUrl: string;
  /** `127.0.0.1:<port>` of the fake Lambda Runtime API a custom runtime polls. Go only. */
  readonly runtimeApiAddress?: string;
}

export interface StandIn {
  readonly name: string;
  readonly kind: 'LAMBDA' | 'HARNESS';
  readonly why: string;
  readonly value: (inputs: RuntimeInputs) => string;
}

const lambda = (name: string, why: string, value: StandIn['value']): StandIn => ({ name, kind: 'LAMBDA', why, value });
const harness = (name: string, why: string, value: StandIn['value']): StandIn => ({ name, kind: 'HARNESS', why, value });

export const RUNTIME_STAND_INS: readonly StandIn[] = [
  lambda('AWS_LAMBDA_FUNCTION_NAME', 'dd-trace detects Lambda by it; datadog-lambda-js names the function from it', (i) => i.functionName),
  lambda('AWS_LAMBDA_FUNCTION_VERSION', 'the context object carries it', () => '$LATEST'),
  lambda('AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'the context object carries it', (i) => String(i.memorySize)),
  lambda('AWS_LAMBDA_INITIALIZATION_TYPE', 'dd-trace and datadog-lambda-js tell on-demand starts (cold start spans) from provisioned ones by it',
    () => 'on-demand'),
  lambda('AWS_LAMBDA_LOG_GROUP_NAME', 'the context object carries it', (i) => `/aws/lambda/${i.functionName}`),
  lambda('AWS_LAMBDA_LOG_STREAM_NAME', 'the context object carries it', () => '2026/11/26/[$LATEST]e2e'),
  lambda('AWS_EXECUTION_ENV', 'the runtime tag the Datadog libraries report', (i) => `AWS_Lambda_${i.runtime}`),
  lambda('AWS_REGION', 'the region the stack deploys to', (i) => i.region),
  lambda('AWS_DEFAULT_REGION', 'Lambda sets both region variables', (i) => i.region),
  lambda('LAMBDA_TASK_ROOT', "where the function's code is (/var/task); datadog-lambda-js loads DD_LAMBDA_HANDLER from it", (i) => i.taskRoot),
  lambda('_HANDLER', "Lambda's copy of the configured Handler, the module the runtime loads", (i) => i.handler),
  lambda('NODE_PATH', "Lambda puts /opt/nodejs/node_modules (the Datadog layer's dd-trace) on it; here the locally installed copy",
    (i) => required(i.layerNodeModules, 'layerNodeModules')),
  lambda('_X_AMZN_TRACE_ID', 'the X-Ray trace header Lambda sets for each invocation (Root, Parent = the Lambda segment, Sampled)',
    (i) => i.traceHeader),
  lambda('AWS_XRAY_DAEMON_ADDRESS', "the X-Ray daemon's address (169.254.79.129:2000 in AWS); here the fake daemon's UDP port",
    (i) => i.xrayDaemonAddress),
  harness('DD_TRACE_EXPERIMENTAL_EXPORTER', "without the extension dd-trace prints spans to stdout; 'agent' sends them where the extension takes them",
    () => 'agent'),
  harness('DD_TRACE_AGENT_URL', "the extension's trace intake (127.0.0.1:8126 in AWS); here the fake agent's free port", (i) => i.agentUrl),
  harness('DD_FLUSH_TO_LOG', 'without the extension datadog-lambda-js fetches the API key from Secrets Manager (DD_API_KEY_SECRET_ARN) '
    + 'and posts metrics to api.<DD_SITE>; with this it writes them to stdout instead, so nothing leaves 127.0.0.1', () => 'true'),
];

/**
 * The same for a Python function, run by the Python runtime + the Datadog Python layer
 * (test/e2e/support/invoke-python-like-lambda.ts). The Lambda variables are the Node.js list's, minus
 * NODE_PATH; the layer's site-packages (datadog_lambda, ddtrace) is the virtualenv the child runs in.
 */
export const PYTHON_RUNTIME_STAND_INS: readonly StandIn[] = [
  ...RUNTIME_STAND_INS.filter((s) => s.kind === 'LAMBDA' && s.name !== 'NODE_PATH'),
  lambda('PYTHONPATH', "Lambda's Python runtime sets it (/var/runtime, the layers' /opt/python); here the directory of the "
    + 'network guard (sitecustomize.py), which Python imports at start-up from it', (i) => required(i.pythonGuardDir, 'pythonGuardDir')),
  harness('DD_TRACE_AGENT_URL', "the extension's trace intake (127.0.0.1:8126 in AWS); here the fake agent's free port. It also makes "
    + 'ddtrace send to an agent: in Lambda without the extension (/opt/extensions/datadog-agent) it would print spans to stdout', (i) => i.agentUrl),
  harness('DD_FLUSH_TO_LOG', 'without the extension datadog_lambda fetches the API key from Secrets Manager (DD_API_KEY_SECRET_ARN) '
    + 'and posts metrics to api.<DD_SITE>; with this it writes them to stdout instead, so nothing leaves 127.0.0.1', () => 'true'),
];

/**
 * The same for a Go function on provided.al2023, run by the Go suite's sandbox (support/go/): the binary itself is
 * the runtime (aws-lambda-go), so it polls the Runtime API and takes the X-Ray header from the invocation's
 * `Lambda-Runtime-Trace-Id` header, setting _X_AMZN_TRACE_ID itself; Lambda sets no AWS_EXECUTION_ENV for OS-only
 * runtimes. No HARNESS variable: the sandbox stands in for the Datadog Extension where the library looks for it
 * (/opt/extensions/datadog-agent, /lambda/hello on 127.0.0.1:8124, the trace intake on 127.0.0.1:8126).
 */
export const GO_RUNTIME_STAND_INS: readonly StandIn[] = [
  ...RUNTIME_STAND_INS.filter((s) => s.kind === 'LAMBDA' && !['NODE_PATH', '_X_AMZN_TRACE_ID', 'AWS_EXECUTION_ENV'].includes(s.name)),
  lambda('AWS_LAMBDA_RUNTIME_API', "the Runtime API a custom runtime polls for invocations (127.0.0.1:9001 in AWS); here the sandbox's fake one",
    (i) => required(i.runtimeApiAddress, 'runtimeApiAddress')),
];

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`the runtime inputs lack ${name}`);
  return value;
}

/**
 * A variable whose value CloudFormation computes at deploy time (e.g. `{ Ref: <state machine> }`):
 * Lambda gets the resolved string; here the intrinsic itself, marked, so the variable exists with a
 * recognizable value. (The Datadog and AWS_* variables are refused when not literal: see template-function.ts.)
 */
export function deployTimeValue(intrinsic: unknown): string {
  return `<resolved by CloudFormation at deploy time: ${JSON.stringify(intrinsic)}>`;
}

/**
 * The child's whole environment: the template's variables, then the stand-ins.
 * `deviations` are the only other entries a test may pass; each call site labels why.
 * Throws when the template itself sets a stand-in (the harness would silently override it).
 */
export function lambdaEnvironment(
  templateVariables: Record<string, string>,
  deployTimeVariables: Record<string, unknown>,
  inputs: RuntimeInputs,
  deviations: Record<string, string> = {},
  standIns: readonly StandIn[] = RUNTIME_STAND_INS,
): Record<string, string> {
  const standInNames = new Set(standIns.map((s) => s.name));
  const names = [...Object.keys(templateVariables), ...Object.keys(deployTimeVariables)];
  const clashes = names.filter((name) => standInNames.has(name));
  if (clashes.length > 0) {
    throw new Error(`the template sets ${clashes.join(', ')}, which the harness stands in for the runtime: the test would hide its value`);
  }
  const resolved = Object.fromEntries(Object.entries(deployTimeVariables).map(([name, v]) => [name, deployTimeValue(v)]));
  const values = Object.fromEntries(standIns.map((s) => [s.name, s.value(inputs)]));
  return { ...templateVariables, ...resolved, ...values, ...deviations };
}
