/**
 * The README's example app as an npm user gets it (test/consumers/javascript): the tarball `npm pack` makes of this
 * checkout, installed with `npm install <tarball>`, aws-cdk-lib from the npm registry, synthesized with the real CDK
 * CLI. Its template must be the TypeScript example's (cdk.json at the root, same CLI), apart from the values
 * template-comparison.ts masks, with why. Python and Java are python.test.ts and java.test.ts (each a file of its own,
 * so jest's workers install and build them side by side); Go is go.test.ts (its own task: it compiles aws-cdk-go).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, INSTALL_TIMEOUT_MS, npmCdkLibVersion, ROOT, Synthesis, SYNTH_TIMEOUT_MS, timedSetup, typescriptExample } from './support/cdk-synth';
import { analyticsOf, masked } from './support/template-comparison';

let typescript: Synthesis;

beforeAll(() => {
  // The reference: the TypeScript example as `npx cdk synth` at the root synthesizes it (the run's shared synthesis).
  typescript = typescriptExample();
}, SYNTH_TIMEOUT_MS);

test('the TypeScript example runs on the npm devDependency, with the Node.js jsii runtime', () => {
  expect(typescript.cdkLibVersion).toBe(npmCdkLibVersion());
  expect(analyticsOf(typescript.template)).toMatchObject({ cdkLibVersion: npmCdkLibVersion(), runtime: expect.stringMatching(/^node\.js\/v/) });
});

const NPM_CONSUMER = path.join(ROOT, 'test', 'consumers', 'javascript');
const NPM_CONSUMER_COPY = path.join(ROOT, '.cache', 'npm-consumer');

describe('npm consumer (test/consumers/javascript)', () => {
  let javascript: Synthesis;

  beforeAll(() => {
    // GIVEN the tarball `npm pack` makes of this checkout (what the README's Install section says), installed with
    // `npm install <tarball>` into a copy of the app (aws-cdk-lib from the npm registry, as its package.json pins it)
    fs.rmSync(NPM_CONSUMER_COPY, { recursive: true, force: true });
    fs.cpSync(NPM_CONSUMER, NPM_CONSUMER_COPY, { recursive: true });
    const packMs = timedSetup('npm', ['pack', '--ignore-scripts', '--pack-destination', NPM_CONSUMER_COPY], {}, INSTALL_TIMEOUT_MS);
    const tarball = fs.readdirSync(NPM_CONSUMER_COPY).find((f) => f.endsWith('.tgz'))!;
    const installMs = timedSetup('npm', ['install', '--prefix', NPM_CONSUMER_COPY, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
      path.join(NPM_CONSUMER_COPY, tarball)], {}, INSTALL_TIMEOUT_MS);
    javascript = cdkSynth({ cwd: NPM_CONSUMER_COPY, app: 'node app.js', timeoutMs: SYNTH_TIMEOUT_MS });
    console.log(`npm consumer: npm pack ${packMs} ms, npm install ${installMs} ms, cdk synth ${javascript.ms} ms`);
  }, INSTALL_TIMEOUT_MS);

  test('JavaScript: the library came from the tarball, and the app ran on the npm aws-cdk-lib it pins', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'package.json'), 'utf-8'));
    expect(installed.name).toBe('cdk-trace-merging');
    expect(fs.existsSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'build', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(NPM_CONSUMER_COPY, 'node_modules', 'cdk-trace-merging', 'lib'))).toBe(false);
    expect(javascript.cdkLibVersion).toBe(JSON.parse(fs.readFileSync(path.join(NPM_CONSUMER, 'package.json'), 'utf-8')).dependencies['aws-cdk-lib']);
  });

  test('JavaScript: the template is the TypeScript example\'s, apart from the masked values', () => {
    expect(masked(javascript.template)).toEqual(masked(typescript.template));
  });
});
