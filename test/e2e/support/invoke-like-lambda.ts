/**
 * One invocation of a synthesized Node.js function, as Lambda + the Datadog layer would run it, in a
 * child Node process (invokeInChildProcess is the routine the Python runner shares): the template's Handler/Environment/inline code, the runtime's own variables
 * (lambda-runtime-env.ts), a fake Datadog agent and a fake X-Ray daemon on 127.0.0.1, and a network
 * guard that refuses anything else. Everything it starts is stopped before it returns.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AgentRequest, AgentSpan, startFakeDatadogAgent } from './fake-datadog-agent';
import { startFakeXRayDaemon, XRayDatagram } from './fake-xray-daemon';
import { lambdaEnvironment, RUNTIME_STAND_INS, RuntimeInputs, StandIn } from './lambda-runtime-env';
import { nodeForRuntime } from './node-for-runtime';
import { TemplateFunction } from './template-function';

const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', 'node_modules');
/**
 * The Datadog Node layer is built by copying the npm package's dist/ to
 * nodejs/node_modules/datadog-lambda-js (DataDog/datadog-lambda-js Dockerfile), so the layer's
 * /opt/nodejs/node_modules/datadog-lambda-js/handler.mjs is the npm package's dist/handler.mjs.
 */
const LAYER_ROOTS = { '/opt/nodejs/node_modules/datadog-lambda-js': path.join(NODE_MODULES, 'datadog-lambda-js', 'dist') };
const BOOTSTRAP = path.join(__dirname, 'lambda-bootstrap.js');
const NETWORK_GUARD = path.join(__dirname, 'network-guard.js');
const RESULT_MARKER = '__E2E_LAMBDA_RESULT__';
const REFUSAL_MARKER = '__E2E_NETWORK_REFUSED__';

/** The request id of the Node.js runner's first invocation. */
export const NODE_REQUEST_ID = 'e2e0c0de-0000-4000-8000-000000000001';

/** How long the child may run in all (init + invoke + flush) before it is killed. */
const CHILD_DEADLINE_MS = 20_000;

export interface Invocation {
  readonly event: unknown;
  /** The `_X_AMZN_TRACE_ID` Lambda would set. */
  readonly traceHeader: string;
  readonly functionName?: string;
  readonly region: string;
  readonly account: string;
  /**
   * Variables overriding the template's. Every use is a deliberate deviation the call site labels
   * (the merge-off negative control); nothing else passes any.
   */
  readonly deviations?: Record<string, string>;
  /**
   * Invocations that follow the first in the same execution environment (warm starts), each with the event and the
   * `_X_AMZN_TRACE_ID` Lambda sets for it; their request ids are `awsRequestIdOf(runtime's, n)`.
   */
  readonly warm?: ReadonlyArray<{ readonly event: unknown; readonly traceHeader: string }>;
}

export type Outcome = { result?: any; error?: { name: string; message: string; stack: string } };

export interface InvocationResult {
  /** The first invocation's outcome. */
  readonly outcome: Outcome;
  /** Every invocation's outcome, the first one first, then the warm ones in order. */
  readonly outcomes: Outcome[];
  /** The child's whole environment. */
  readonly env: Record<string, string>;
  readonly spans: AgentSpan[];
  readonly agentRequests: AgentRequest[];
  readonly xray: XRayDatagram[];
  readonly networkRefusals: Array<{ kind: string; target: string }>;
  readonly exitCode: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export async function invokeLikeLambda(fn: TemplateFunction, invocation: Invocation): Promise<InvocationResult> {
  return invokeInChildProcess(fn, invocation, {
    codeFile: 'index.js',
    awsRequestId: NODE_REQUEST_ID,
    runtimeInputs: { layerNodeModules: NODE_MODULES },
    standIns: RUNTIME_STAND_INS,
    invocationExtras: { layerRoots: LAYER_ROOTS },
    // The Node the function's runtime runs on (nodejs22.x: Node 22), not the one running the tests.
    command: nodeForRuntime(fn.runtime),
    args: (invocationFile) => ['--require', NETWORK_GUARD, BOOTSTRAP, invocationFile],
  });
}

/** What differs between runtimes when a function runs the way Lambda runs it; the rest is one routine. */
export interface ChildRuntime {
  /** The file CloudFormation writes Code.ZipFile to for this runtime. */
  readonly codeFile: string;
  readonly awsRequestId: string;
  /** Where this runtime finds the layer's code and its network guard. */
  readonly runtimeInputs: Pick<RuntimeInputs, 'layerNodeModules' | 'pythonGuardDir'>;
  readonly standIns: readonly StandIn[];
  /** Runtime-specific fields of the invocation file the bootstrap reads. */
  readonly invocationExtras?: Record<string, unknown>;
  readonly command: string;
  readonly args: (invocationFile: string) => string[];
}

/**
 * Runs one invocation in a child process of `runtime` against a fake agent and X-Ray daemon on 127.0.0.1,
 * and collects what they received. Everything it starts is stopped before it returns.
 */
export async function invokeInChildProcess(fn: TemplateFunction, invocation: Invocation, runtime: ChildRuntime): Promise<InvocationResult> {
  const agent = await startFakeDatadogAgent();
  const daemon = await startFakeXRayDaemon().catch(async (e) => { await agent.close(); throw e; });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-trace-merging-e2e-'));
  try {
    const taskRoot = path.join(workDir, 'task');
    fs.mkdirSync(taskRoot);
    if (fn.inlineCode === undefined) throw new Error(`${fn.logicalId}: this runner takes inline code only`);
    fs.writeFileSync(path.join(taskRoot, runtime.codeFile), fn.inlineCode);

    const functionName = functionNameOf(fn, invocation);
    const env = invocationEnvironment(fn, invocation, runtime.standIns, {
      taskRoot, ...runtime.runtimeInputs, xrayDaemonAddress: daemon.address, agentUrl: agent.url,
    });

    const invocationFile = path.join(workDir, 'invocation.json');
    const invocations = [{ event: invocation.event, traceHeader: invocation.traceHeader }, ...invocation.warm ?? []]
      .map((one, n) => ({ ...one, awsRequestId: awsRequestIdOf(runtime.awsRequestId, n) }));
    fs.writeFileSync(invocationFile, JSON.stringify({
      invocations,
      invokedFunctionArn: `arn:aws:lambda:${invocation.region}:${invocation.account}:function:${functionName}`,
      timeoutSeconds: fn.timeoutSeconds,
      ...runtime.invocationExtras,
    }));

    const child = await runChild(runtime.command, runtime.args(invocationFile), env, taskRoot);
    // UDP datagrams and HTTP bodies sent just before exit are read on the next turns of our loop.
    await new Promise((r) => setTimeout(r, 50));

    const resultLines = child.stdout.split('\n').filter((l) => l.startsWith(RESULT_MARKER));
    const outcomes: Outcome[] = invocations.map((_, n) => (resultLines[n] !== undefined
      ? JSON.parse(resultLines[n].slice(RESULT_MARKER.length))
      : { error: { name: 'NoResult', message: `no result for invocation ${n}; stderr: ${child.stderr}`, stack: '' } }));
    return {
      outcome: outcomes[0],
      outcomes,
      env,
      spans: [...agent.spans],
      agentRequests: [...agent.requests],
      xray: [...daemon.datagrams],
      networkRefusals: child.stderr.split('\n').filter((l) => l.startsWith(REFUSAL_MARKER)).map((l) => JSON.parse(l.slice(REFUSAL_MARKER.length))),
      ...child,
    };
  } finally {
    await Promise.all([agent.close(), daemon.close()]);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The request id of invocation `n` (0 = the first) of one run: the runtime's own id, its second group counting the
 * warm invocations, so spans (their `request_id` tag) tell which invocation sent them.
 */
export function awsRequestIdOf(base: string, n: number): string {
  const [first, , ...rest] = base.split('-');
  return [first, n.toString(16).padStart(4, '0'), ...rest].join('-');
}

/** The name Lambda would give the function (CloudFormation generates one; any name serves). */
export function functionNameOf(fn: TemplateFunction, invocation: Invocation): string {
  return invocation.functionName ?? `e2e-${fn.logicalId}`;
}

/** The child's environment for one invocation: the template's variables and `standIns` (lambda-runtime-env.ts). */
export function invocationEnvironment(fn: TemplateFunction, invocation: Invocation, standIns: readonly StandIn[],
  where: Pick<RuntimeInputs, 'taskRoot' | 'layerNodeModules' | 'pythonGuardDir' | 'xrayDaemonAddress' | 'agentUrl' | 'runtimeApiAddress'>): Record<string, string> {
  return lambdaEnvironment(fn.environment, fn.deployTimeVariables, {
    functionName: functionNameOf(fn, invocation),
    region: invocation.region,
    handler: fn.handler,
    runtime: fn.runtime,
    memorySize: fn.memorySize,
    traceHeader: invocation.traceHeader,
    ...where,
  }, invocation.deviations, standIns);
}

export interface ChildOutcome {
  readonly exitCode: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the child to its natural exit, or kills it at the deadline; never leaves it running. */
export function runChild(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, CHILD_DEADLINE_MS);
    child.on('error', (e) => { clearTimeout(timer); child.kill('SIGKILL'); reject(e); });
    child.on('close', (exitCode) => { clearTimeout(timer); resolve({ exitCode, killed, stdout, stderr }); });
  });
}
