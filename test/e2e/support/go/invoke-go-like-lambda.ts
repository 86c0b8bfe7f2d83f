/**
 * One invocation of a synthesized provided.al2023 function whose bootstrap is the Go handler of test/e2e/go (built
 * here with Datadog's Go Lambda library from the Go module proxy, pinned in its go.mod), run the way Lambda runs a
 * custom runtime: the binary polls the Runtime API for the invocation, which carries the X-Ray header in
 * `Lambda-Runtime-Trace-Id`. It runs in a sandbox (lambda-sandbox.ts) made with `unshare`: a user and network
 * namespace whose only interface is loopback (so nothing can leave the machine: the network guard of this suite,
 * which no Go code can get around) and a private /opt holding the file by which Datadog's library finds the
 * extension. The fakes of the agent, extension, X-Ray daemon and Runtime API live in the sandbox too.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExtensionRequest, RUNTIME_API_ADDRESS, SandboxRequest, SandboxResult, XRAY_DAEMON_ADDRESS } from './lambda-sandbox';
import { timedSetup } from '../../../consumers/support/cdk-synth';
import { goCaches } from '../../../support/machine-cache';
import { AgentSpan } from '../fake-datadog-agent';
import { functionNameOf, Invocation, InvocationResult, invocationEnvironment } from '../invoke-like-lambda';
import { GO_RUNTIME_STAND_INS } from '../lambda-runtime-env';
import { TemplateFunction } from '../template-function';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** The Go handler's module (go.mod pins datadog-lambda-go and aws-lambda-go). */
export const GO_E2E_SOURCE = path.join(ROOT, 'test', 'e2e', 'go');
/** Where the bootstrap is built (git-ignored; Go's caches in the machine cache make a rebuild take seconds). */
export const GO_E2E_BUILD = path.join(ROOT, '.cache', 'go-e2e');
const SANDBOX = path.join(__dirname, 'lambda-sandbox.ts');
/** The sandbox's own start (ts-node) and the function's run, with room to spare. */
const SANDBOX_TIMEOUT_MS = 60_000;

/**
 * Builds the bootstrap as AWS documents it for provided.al2023 (GOOS=linux, CGO off, the lambda.norpc tag).
 * Go's module and build caches are the machine cache's, as for every Go build of the project.
 */
export function buildGoFunction(timeoutMs: number): number {
  fs.mkdirSync(GO_E2E_BUILD, { recursive: true });
  return timedSetup('go', ['build', '-C', GO_E2E_SOURCE, '-tags', 'lambda.norpc', '-trimpath', '-o', path.join(GO_E2E_BUILD, 'bootstrap'), '.'],
    { ...goCaches(), GOOS: 'linux', CGO_ENABLED: '0' }, timeoutMs);
}

/** Why the sandbox cannot be made here, or undefined when it can (user and network namespaces, a private mount). */
export function sandboxUnavailable(): string | undefined {
  const probe = spawnSync('unshare', ['-rmn', 'sh', '-c', 'ip link set lo up && mount -t tmpfs tmpfs /opt'], { encoding: 'utf-8' });
  return probe.status === 0 ? undefined : `unshare -rmn failed (status ${probe.status}): ${probe.stderr || probe.error}`;
}

/** What a Go run shows beyond the Node.js and Python ones. */
export interface GoInvocationResult extends InvocationResult {
  /** The sandbox stopped the bootstrap once it had answered (a custom runtime polls for the next invocation forever). */
  readonly stoppedAfterResponse: boolean;
  /** The sandbox's network interfaces: loopback only. */
  readonly interfaces: string[];
  /** What the library asked of the (fake) extension, with the Datadog trace headers it sent. */
  readonly extensionRequests: ExtensionRequest[];
}

export async function invokeGoLikeLambda(fn: TemplateFunction, invocation: Invocation): Promise<GoInvocationResult> {
  const bootstrap = path.join(GO_E2E_BUILD, 'bootstrap');
  if (!fs.existsSync(bootstrap)) throw new Error(`${path.relative(ROOT, bootstrap)} is missing: buildGoFunction() builds it`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-trace-merging-go-e2e-'));
  try {
    const taskRoot = path.join(workDir, 'task');
    fs.mkdirSync(taskRoot);
    fs.copyFileSync(bootstrap, path.join(taskRoot, 'bootstrap'));
    fs.chmodSync(path.join(taskRoot, 'bootstrap'), 0o755);
    const functionName = functionNameOf(fn, invocation);
    const env = invocationEnvironment(fn, invocation, GO_RUNTIME_STAND_INS, {
      taskRoot, xrayDaemonAddress: XRAY_DAEMON_ADDRESS, agentUrl: 'http://127.0.0.1:8126', runtimeApiAddress: RUNTIME_API_ADDRESS,
    });
    // Lambda runs the deployment package's `bootstrap` for provided.* runtimes (the Handler is informational).
    const request: SandboxRequest = {
      bootstrap: path.join(taskRoot, 'bootstrap'),
      cwd: taskRoot,
      env,
      event: invocation.event,
      awsRequestId: 'e2e0c0de-0000-4000-8000-000000000003',
      invokedFunctionArn: `arn:aws:lambda:${invocation.region}:${invocation.account}:function:${functionName}`,
      traceHeader: invocation.traceHeader,
      timeoutSeconds: fn.timeoutSeconds,
    };
    const requestFile = path.join(workDir, 'request.json');
    const resultFile = path.join(workDir, 'result.json');
    fs.writeFileSync(requestFile, JSON.stringify(request));
    const script = 'ip link set lo up && mount -t tmpfs tmpfs /opt && mkdir -p /opt/extensions && : > /opt/extensions/datadog-agent && ' +
      'exec "$0" -r ts-node/register/transpile-only "$@"';
    const sandbox = spawnSync('unshare', ['-rmn', 'sh', '-c', script, process.execPath, SANDBOX, requestFile, resultFile], {
      cwd: ROOT, encoding: 'utf-8', timeout: SANDBOX_TIMEOUT_MS,
    });
    if (sandbox.status !== 0 || !fs.existsSync(resultFile)) {
      throw new Error(`the Go sandbox failed (status ${sandbox.status}, ${sandbox.error ?? 'no spawn error'}):\n${sandbox.stdout}${sandbox.stderr}`);
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf-8')) as SandboxResult;
    return {
      ...result,
      // The sandbox runs one invocation.
      outcomes: [result.outcome],
      env,
      spans: result.spans.map((s) => ({
        ...s, trace_id: BigInt(s.trace_id as string), span_id: BigInt(s.span_id as string), parent_id: BigInt(s.parent_id as string),
      }) as unknown as AgentSpan),
      // The namespace has no interface but loopback: a connection elsewhere cannot even be attempted (see `interfaces`).
      networkRefusals: [],
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
