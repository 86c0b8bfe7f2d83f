/**
 * The README's example app written in Go (test/consumers/go/main.go), built the way a Go user builds it
 * (go.mod: this library's module from `npx projen package:go` through `replace`, aws-cdk-go from the Go
 * proxy; module and build caches in the machine cache), and synthesized with the real CDK CLI
 * (`cdk synth --app "go run ."`). Its template must be the TypeScript example's, masks aside.
 *
 * Not in `npx jest` / `npm test`: compiling aws-cdk-go from a cold cache takes minutes, so this runs in its
 * own task, `npx projen test:go`, which .ci/run runs after `npm test`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, npmCdkLibVersion, ROOT, Synthesis, timedSetup, typescriptExample } from './support/cdk-synth';
import { analyticsOf, masked } from './support/template-comparison';
import { goCaches } from '../support/machine-cache';

const APP_DIR = path.join(ROOT, 'test', 'consumers', 'go');
const GO_CACHES = goCaches();
/** A cold build downloads and compiles aws-cdk-go. */
const BUILD_TIMEOUT_MS = 1_800_000;
const SYNTH_TIMEOUT_MS = 300_000;

/** The aws-cdk-go release go.mod requires. */
const GO_CDK_LIB_VERSION = /^\s*github\.com\/aws\/aws-cdk-go\/awscdk\/v2 v(\S+)$/m.exec(fs.readFileSync(path.join(APP_DIR, 'go.mod'), 'utf-8'))![1];

let buildMs: number;
let go: Synthesis;
let typescript: Synthesis;

beforeAll(() => {
  // GIVEN the module `npx projen package:go` generated, and the app compiled against it with its go.mod
  buildMs = timedSetup('go', ['build', '-C', APP_DIR, '-o', path.join(GO_CACHES.GOPATH, 'bin', 'serverlessfirst'), '.'], GO_CACHES, BUILD_TIMEOUT_MS);
  // WHEN the CLI synthesizes the Go app, and the TypeScript example (cdk.json at the root)
  go = cdkSynth({ cwd: APP_DIR, app: 'go run .', env: GO_CACHES, timeoutMs: SYNTH_TIMEOUT_MS });
  typescript = typescriptExample();
}, BUILD_TIMEOUT_MS + 2 * SYNTH_TIMEOUT_MS);

afterAll(() => {
  // What this consumer adds (the build is seconds once the machine cache holds the compiled aws-cdk-go).
  if (go) console.log(`Go consumer: go build ${buildMs} ms, cdk synth ${go.ms} ms (TypeScript example: ${typescript?.ms} ms)`);
});

describe('Go consumer (test/consumers/go)', () => {
  test('Go: the app ran on the same aws-cdk-lib as the TypeScript example, with the Go jsii runtime', () => {
    expect(GO_CDK_LIB_VERSION).toBe(npmCdkLibVersion());
    expect(go.cdkLibVersion).toBe(GO_CDK_LIB_VERSION);
    expect(analyticsOf(go.template)).toMatchObject({ cdkLibVersion: GO_CDK_LIB_VERSION, runtime: expect.stringMatching(/^go1\./) });
    expect(typescript.cdkLibVersion).toBe(npmCdkLibVersion());
  });

  test("Go: the template is the TypeScript example's, apart from the masked values", () => {
    expect(masked(go.template)).toEqual(masked(typescript.template));
  });
});
