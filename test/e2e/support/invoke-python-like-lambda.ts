/**
 * One invocation of a synthesized Python function, as Lambda + the Datadog Python layer would run it,
 * in a child Python process: the template's Handler/Environment/inline code, the runtime's own variables
 * (PYTHON_RUNTIME_STAND_INS in lambda-runtime-env.ts), a fake Datadog agent and a fake X-Ray daemon on
 * 127.0.0.1, and a network guard (python/sitecustomize.py) that refuses anything else.
 *
 * The Datadog Python layer is `pip install datadog-lambda` into python/lib/python3.x/site-packages
 * (/opt/python/... on sys.path in Lambda); here the same release and its ddtrace are installed into a
 * git-ignored virtualenv (.cache/python-e2e) from test/e2e/python/requirements.txt, and the child runs
 * that virtualenv's python.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startFakeDatadogAgent } from './fake-datadog-agent';
import { startFakeXRayDaemon } from './fake-xray-daemon';
import { Invocation, InvocationResult, runChild } from './invoke-like-lambda';
import { lambdaEnvironment, PYTHON_RUNTIME_STAND_INS } from './lambda-runtime-env';
import { TemplateFunction } from './template-function';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PYTHON_E2E_VENV = path.join(ROOT, '.cache', 'python-e2e');
export const PYTHON_E2E_REQUIREMENTS = path.join(ROOT, 'test', 'e2e', 'python', 'requirements.txt');
const VENV_PYTHON = path.join(PYTHON_E2E_VENV, 'bin', 'python');
const GUARD_DIR = path.join(__dirname, 'python');
const BOOTSTRAP = path.join(GUARD_DIR, 'lambda_bootstrap.py');
const RESULT_MARKER = '__E2E_LAMBDA_RESULT__';
const REFUSAL_MARKER = '__E2E_NETWORK_REFUSED__';

export async function invokePythonLikeLambda(fn: TemplateFunction, invocation: Invocation): Promise<InvocationResult> {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`${path.relative(ROOT, VENV_PYTHON)} is missing: bash scripts/python-venv.sh ${path.relative(ROOT, PYTHON_E2E_VENV)} ${path.relative(ROOT, PYTHON_E2E_REQUIREMENTS)}`);
  }
  const agent = await startFakeDatadogAgent();
  const daemon = await startFakeXRayDaemon().catch(async (e) => { await agent.close(); throw e; });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-trace-merging-e2e-py-'));
  try {
    // CloudFormation writes Code.ZipFile to index.py for Python runtimes.
    const taskRoot = path.join(workDir, 'task');
    fs.mkdirSync(taskRoot);
    fs.writeFileSync(path.join(taskRoot, 'index.py'), fn.inlineCode);

    const functionName = invocation.functionName ?? `e2e-${fn.logicalId}`;
    const env = lambdaEnvironment(fn.environment, fn.deployTimeVariables, {
      functionName,
      region: invocation.region,
      handler: fn.handler,
      runtime: fn.runtime,
      memorySize: fn.memorySize,
      taskRoot,
      pythonGuardDir: GUARD_DIR,
      traceHeader: invocation.traceHeader,
      xrayDaemonAddress: daemon.address,
      agentUrl: agent.url,
    }, invocation.deviations, PYTHON_RUNTIME_STAND_INS);

    const invocationFile = path.join(workDir, 'invocation.json');
    fs.writeFileSync(invocationFile, JSON.stringify({
      event: invocation.event,
      awsRequestId: 'e2e0c0de-0000-4000-8000-000000000002',
      invokedFunctionArn: `arn:aws:lambda:${invocation.region}:${invocation.account}:function:${functionName}`,
      timeoutSeconds: fn.timeoutSeconds,
    }));

    const child = await runChild(VENV_PYTHON, [BOOTSTRAP, invocationFile], env, taskRoot);
    // UDP datagrams and HTTP bodies sent just before exit are read on the next turns of our loop.
    await new Promise((r) => setTimeout(r, 50));

    const resultLine = child.stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
    return {
      outcome: resultLine ? JSON.parse(resultLine.slice(RESULT_MARKER.length)) : { error: { name: 'NoResult', message: `no result; stderr: ${child.stderr}`, stack: '' } },
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
