/**
 * Runs INSIDE the Go suite's sandbox (see invoke-go-like-lambda.ts): a network namespace whose only interface is
 * loopback, and a private /opt where /opt/extensions/datadog-agent exists because the template ships the Datadog
 * Extension layer. It stands in for what Lambda and the extension run beside a provided.al2023 function, each at
 * its own address (fixed ports: nothing else lives in this namespace):
 * - the Lambda Runtime API on 127.0.0.1:9001, which hands out ONE invocation with the X-Ray header in
 *   `Lambda-Runtime-Trace-Id`, the way Lambda passes it to a custom runtime, and takes the response;
 * - the extension's API on 127.0.0.1:8124 (/lambda/hello, /lambda/flush) and trace intake on 127.0.0.1:8126;
 * - the X-Ray daemon on 127.0.0.1:2000/udp.
 * It starts the function's bootstrap with exactly the environment it is given, stops it once the response is in
 * (a custom runtime never exits: it polls for the next invocation), and writes what everything received to a file.
 * argv[2]: the sandbox request (JSON); argv[3]: where to write the result.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { startFakeDatadogAgent } from '../fake-datadog-agent';
import { startFakeXRayDaemon } from '../fake-xray-daemon';

export const RUNTIME_API_ADDRESS = '127.0.0.1:9001';
export const XRAY_DAEMON_ADDRESS = '127.0.0.1:2000';
const EXTENSION_API_PORT = 8124;
const TRACE_INTAKE_PORT = 8126;
/** How long the function may take from start to response before it is stopped. */
const DEADLINE_MS = 20_000;
/** dd-trace-go flushes before the wrapper returns; a moment more for datagrams and bodies still in flight. */
const SETTLE_MS = 200;

export interface SandboxRequest {
  readonly bootstrap: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly event: unknown;
  readonly awsRequestId: string;
  readonly invokedFunctionArn: string;
  readonly traceHeader: string;
  readonly timeoutSeconds: number;
}

export interface ExtensionRequest {
  readonly method: string;
  readonly path: string;
  readonly datadogHeaders?: Record<string, string>;
}

export interface SandboxResult {
  readonly outcome: { result?: unknown; error?: { name: string; message: string; stack: string } };
  /** Spans with their 64-bit integers as decimal strings (JSON has no BigInt). */
  readonly spans: Array<Record<string, unknown>>;
  readonly agentRequests: Array<{ method: string; path: string; error?: string }>;
  readonly extensionRequests: ExtensionRequest[];
  readonly xray: Array<{ header: string; segment: Record<string, unknown> }>;
  /** The network interfaces of the namespace: loopback only, or the sandbox is no guard. */
  readonly interfaces: string[];
  /** The bootstrap's own exit code: null when the sandbox stopped it (it polls for the next invocation forever). */
  readonly exitCode: number | null;
  /** Stopped by the sandbox once its response was in: the normal end of a custom runtime here. */
  readonly stoppedAfterResponse: boolean;
  /** The function did not answer before the deadline. */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

async function main(): Promise<void> {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8')) as SandboxRequest;
  const agent = await startFakeDatadogAgent(TRACE_INTAKE_PORT);
  const daemon = await startFakeXRayDaemon(Number(XRAY_DAEMON_ADDRESS.split(':')[1]));
  const extension = await listen(EXTENSION_API_PORT, (req, res, _body, record) => {
    // The trace context the library hands the extension (x-datadog-trace-id, -span-id, ...): the extension's own
    // aws.lambda span takes it.
    const datadogHeaders = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-datadog-')).map(([n, v]) => [n, String(v)]));
    record({ method: req.method ?? '', path: req.url ?? '', datadogHeaders });
    res.writeHead(200).end('{}');
  });
  let outcome: SandboxResult['outcome'] | undefined;
  let answered: () => void = () => undefined;
  const response = new Promise<void>((resolve) => { answered = resolve; });
  let handedOut = false;
  const runtimeApi = await listen(Number(RUNTIME_API_ADDRESS.split(':')[1]), (req, res, body) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      // One invocation; the next poll waits until the function is stopped.
      if (handedOut) return;
      handedOut = true;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': request.awsRequestId,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + request.timeoutSeconds * 1000),
        'Lambda-Runtime-Invoked-Function-Arn': request.invokedFunctionArn,
        'Lambda-Runtime-Trace-Id': request.traceHeader,
      }).end(JSON.stringify(request.event));
      return;
    }
    const done = /^\/2018-06-01\/runtime\/(invocation\/[^/]+\/(response|error)|init\/error)$/.exec(url);
    if (req.method === 'POST' && done) {
      outcome = done[2] === 'response' ? { result: JSON.parse(body) } : { error: { name: 'RuntimeError', message: body, stack: '' } };
      res.writeHead(202).end('{}');
      answered();
      return;
    }
    res.writeHead(404).end();
  });

  const child = spawn(request.bootstrap, [], { env: request.env, cwd: request.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let killed = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => { timer = setTimeout(() => { killed = true; resolve(); }, DEADLINE_MS); });
  await Promise.race([response, deadline, exited]);
  // A pending deadline would keep this process (and the test) waiting for it.
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const stoppedAfterResponse = outcome !== undefined && child.exitCode === null;
  child.kill('SIGKILL');
  const exitCode = await exited;

  const result: SandboxResult = {
    outcome: outcome ?? { error: { name: 'NoResult', message: `no response; stderr: ${stderr}`, stack: '' } },
    spans: agent.spans as unknown as SandboxResult['spans'],
    agentRequests: agent.requests,
    extensionRequests: extension.requests,
    xray: daemon.datagrams,
    interfaces: fs.readFileSync('/proc/net/dev', 'utf-8').split('\n').slice(2).map((l) => l.split(':')[0].trim()).filter(Boolean),
    exitCode,
    stoppedAfterResponse,
    killed,
    stdout,
    stderr,
  };
  // JSON has no BigInt: 64-bit integers (ids, start, duration) are written as decimal strings.
  fs.writeFileSync(process.argv[3], JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)));
  await Promise.all([agent.close(), daemon.close(), extension.close(), runtimeApi.close()]);
}

interface Listener {
  readonly requests: ExtensionRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:`port` that hands each request, with its body, to `handle`. */
async function listen(port: number, handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string,
  record: (r: ExtensionRequest) => void) => void): Promise<Listener> {
  const requests: ExtensionRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => handle(req, res, body, (r) => requests.push(r)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`lambda-sandbox: ${(e as Error).stack}\n`);
    process.exit(1);
  });
}
