/**
 * The README's example app written in Python (test/consumers/python), installed the way a Python user installs it:
 * the wheel `npx projen bindings` built into dist/python and aws-cdk-lib from PyPI (requirements.txt), in a
 * virtualenv; synthesized with the real CDK CLI. Its template must be the TypeScript example's, masks aside.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, INSTALL_TIMEOUT_MS, ROOT, Synthesis, SYNTH_TIMEOUT_MS, timedSetup, typescriptExample } from './support/cdk-synth';
import { analyticsOf, masked } from './support/template-comparison';

const PYTHON_DIR = path.join(ROOT, 'test', 'consumers', 'python');
const PYTHON_REQUIREMENTS = path.join(PYTHON_DIR, 'requirements.txt');
const PYTHON_VENV = path.join(ROOT, '.cache', 'python-consumer');
/** The aws-cdk-lib release requirements.txt pins. */
const PYPI_CDK_LIB_VERSION = /^aws-cdk-lib==(\S+)$/m.exec(fs.readFileSync(PYTHON_REQUIREMENTS, 'utf-8'))![1];

let typescript: Synthesis;

beforeAll(() => {
  // The reference: the TypeScript example as `npx cdk synth` at the root synthesizes it (the run's shared synthesis).
  typescript = typescriptExample();
}, SYNTH_TIMEOUT_MS);

describe('Python consumer (test/consumers/python)', () => {
  let python: Synthesis;

  beforeAll(() => {
    // GIVEN the wheel `npx projen package:python` built, installed with the app's requirements.txt into a virtualenv
    const installMs = timedSetup('bash', ['scripts/python-venv.sh', PYTHON_VENV, PYTHON_REQUIREMENTS, 'dist/python'], {}, INSTALL_TIMEOUT_MS);
    // WHEN the CLI synthesizes the app
    python = cdkSynth({
      cwd: PYTHON_DIR,
      app: 'python3 app.py',
      env: { PATH: `${path.join(PYTHON_VENV, 'bin')}${path.delimiter}${process.env.PATH}`, VIRTUAL_ENV: PYTHON_VENV },
      timeoutMs: SYNTH_TIMEOUT_MS,
    });
    console.log(`Python consumer: pip install ${installMs} ms, cdk synth ${python.ms} ms`);
  }, INSTALL_TIMEOUT_MS + SYNTH_TIMEOUT_MS);

  test('Python: the app ran on the pinned PyPI aws-cdk-lib, with the Python jsii runtime', () => {
    expect(python.cdkLibVersion).toBe(PYPI_CDK_LIB_VERSION);
    expect(analyticsOf(python.template)).toMatchObject({ cdkLibVersion: PYPI_CDK_LIB_VERSION, runtime: expect.stringMatching(/^Python\/3\./) });
  });

  test("Python: the template is the TypeScript example's, apart from the masked values", () => {
    expect(masked(python.template)).toEqual(masked(typescript.template));
  });
});
