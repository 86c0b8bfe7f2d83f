/**
 * One invocation of a synthesized Python function, as Lambda + the Datadog Python layer would run it,
 * in a child Python process: the template's Handler/Environment/inline code, the runtime's own variables
 * (PYTHON_RUNTIME_STAND_INS in lambda-runtime-env.ts), a fake Datadog agent and a fake X-Ray daemon on
 * 127.0.0.1, and a network guard (python/sitecustomize.py) that refuses anything else.
 *
 * The Datadog Python layer is `pip install datadog-lambda` into python/lib/python3.x/site-packages
 * (/opt/python/... on sys.path in Lambda); here the same release and its ddtrace are installed into a
 * virtualenv of the machine cache for test/e2e/python/requirements.txt, and the child runs
 * that virtualenv's python.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Invocation, InvocationResult, invokeInChildProcess } from './invoke-like-lambda';
import { PYTHON_RUNTIME_STAND_INS } from './lambda-runtime-env';
import { TemplateFunction } from './template-function';
import { timedSetup } from '../../consumers/support/cdk-synth';
import { requirementsVenv } from '../../support/machine-cache';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PYTHON_E2E_REQUIREMENTS = path.join(ROOT, 'test', 'e2e', 'python', 'requirements.txt');
export const PYTHON_E2E_VENV = requirementsVenv('python-e2e', PYTHON_E2E_REQUIREMENTS);
const VENV_PYTHON = path.join(PYTHON_E2E_VENV, 'bin', 'python');
/** How long building that virtualenv from PyPI may take, the first time on a machine: a beforeAll's timeout. */
export const PYTHON_E2E_INSTALL_TIMEOUT_MS = 600_000;

/** Builds the Python e2e suites' virtualenv into the machine cache, or finds it there: from a beforeAll. */
export function preparePythonE2eVenv(): void {
  timedSetup('bash', ['scripts/python-venv.sh', PYTHON_E2E_VENV, PYTHON_E2E_REQUIREMENTS], {}, PYTHON_E2E_INSTALL_TIMEOUT_MS);
}
const GUARD_DIR = path.join(__dirname, 'python');
const BOOTSTRAP = path.join(GUARD_DIR, 'lambda_bootstrap.py');

/** The request id of the Python runner's first invocation. */
export const PYTHON_REQUEST_ID = 'e2e0c0de-0000-4000-8000-000000000002';

export async function invokePythonLikeLambda(fn: TemplateFunction, invocation: Invocation): Promise<InvocationResult> {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`${path.relative(ROOT, VENV_PYTHON)} is missing: bash scripts/python-venv.sh ${path.relative(ROOT, PYTHON_E2E_VENV)} ${path.relative(ROOT, PYTHON_E2E_REQUIREMENTS)}`);
  }
  return invokeInChildProcess(fn, invocation, {
    // CloudFormation writes Code.ZipFile to index.py for Python runtimes.
    codeFile: 'index.py',
    awsRequestId: PYTHON_REQUEST_ID,
    runtimeInputs: { pythonGuardDir: GUARD_DIR },
    standIns: PYTHON_RUNTIME_STAND_INS,
    command: VENV_PYTHON,
    args: (invocationFile) => [BOOTSTRAP, invocationFile],
  });
}
