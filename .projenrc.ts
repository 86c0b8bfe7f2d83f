import { awscdk, javascript, JsonFile } from 'projen';

// The project builds and tests on Node 22 (scripts/node22 brings it from the npm registry onto a Node 20 machine); a
// developer who runs a task on Node 20 anyway is spared jsii's end-of-life banner on every command.
const JSII_ENV = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

// The peer minimum: the oldest aws-cdk-lib with every API the library uses. 2.262.0 is the first release whose
// policy-validation context has `stackTemplates` (2.261.0 lacks it; `appConstruct` came in 2.258.0,
// `Validations.of` in 2.251.0). `npm test` runs the whole suite against it too (compat/min, task test:cdk-min).
const CDK_MIN = '2.262.0';
const CONSTRUCTS_MIN = '10.5.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-trace-merging',
  description: 'One call that merges AWS X-Ray and Datadog traces across Lambda, API Gateway, Step Functions, AppSync, SNS and ECS/EC2 hosts, checks every stack at synth time, and maps where each request stays one trace.',
  author: 'cdk-trace-merging developers',
  authorAddress: 'dev@cdk-trace-merging.invalid',
  repositoryUrl: 'https://github.com/cdk-trace-merging/cdk-trace-merging.git',
  keywords: ['cdk', 'awscdk', 'datadog', 'xray', 'x-ray', 'tracing', 'lambda', 'stepfunctions', 'apigateway'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Source in lib/, compiled JavaScript in build/ so stale .js never shadows .ts in tests.
  srcdir: 'lib',
  libdir: 'build',
  entrypoint: 'build/index.js',

  cdkVersion: CDK_MIN,
  constructsVersion: CONSTRUCTS_MIN,
  // Our own dev dependency (below) is the newest CDK we test against, not the peer minimum.
  peerDependencyOptions: { pinnedDevDependency: false },
  // Node 20 is out of support: the library, its build and its tests need Node 22 LTS or newer.
  minNodeVersion: '22.0.0',
  jsiiVersion: '~6.0',
  typescriptVersion: '~6.0',

  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  publishToPypi: { distName: 'cdk-trace-merging', module: 'cdk_trace_merging' },
  publishToMaven: {
    javaPackage: 'io.github.cdktracemerging',
    mavenGroupId: 'io.github.cdktracemerging',
    mavenArtifactId: 'cdk-trace-merging',
  },
  publishToNuget: { dotNetNamespace: 'CdkTraceMerging', packageId: 'CdkTraceMerging' },
  publishToGo: { moduleName: 'github.com/cdk-trace-merging/cdk-trace-merging-go' },

  devDeps: [
    '@types/node@^20',
    'aws-cdk@^2.1100.0',
    'fast-check@^4',
    // Runtime end-to-end proof (test/e2e), run on the Node of each function's runtime (test/e2e/support/node-for-runtime.ts).
    // dd-trace 5: the default layer's release, datadog-lambda-js 12.142.0, is built against dd-trace ^5.113.0 (its own
    // devDependency), so dd-trace 6 (Node 22+) waits for a default layer that ships it.
    // 12.142.0: the Node layer's version is the release's minor, and the default layer is 142 (what
    // datadog-cdk-constructs and serverless-plugin-datadog pin); test/e2e/layer-release.test.ts holds them equal.
    'datadog-lambda-js@12.142.0',
    'dd-trace@^5.132.0',
    '@msgpack/msgpack@^3',
    // Producer-side proof (test/e2e/producer-context.test.ts): the AWS SDK v3 clients a handler calls, which the Lambda
    // Node.js runtime provides and dd-trace instruments to inject Datadog's context.
    '@aws-sdk/client-sqs@3.1178.0',
    '@aws-sdk/client-sns@3.1178.0',
    '@aws-sdk/client-eventbridge@3.1178.0',
    '@aws-sdk/client-kinesis@3.1143.0',
    '@aws-sdk/client-sfn@3.1178.0',
    // The report's Mermaid maps parsed by Mermaid itself (test/check/map/mermaid-parse.test.ts), with a DOM for it.
    'mermaid@11.17.2',
    'jsdom@29.1.1',
    // CloudFormation resource schemas for template validation in tests.
    '@aws-cdk/aws-service-spec',
    // cdk-nag users: the library adds no unexplained AwsSolutions finding (test/nag/cdk-nag.test.ts).
    'cdk-nag@3.0.2',
    // Benchmark baseline: the newest Datadog construct release that runs on Node 20.
    'datadog-cdk-constructs-v2@3.12.0',
    'aws-cdk-lib@2.277.0',
    'constructs@^10.5.1',
  ],
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 120_000,
      testPathIgnorePatterns: ['/node_modules/', '/build/', '/cdk.out/', '/test/consumers/go.test.ts'],
      // Jest's default is one worker per core minus one for its own process, which on 2 cores is one: every file in
      // turn. Jest's process only hands out files and gathers results, and many files wait on child processes (the
      // CLI, pip, Maven, Go), so one worker per core keeps both cores busy.
      maxWorkers: '100%',
      // compat/: the peer-minimum run's aws-cdk-lib and snapshots (compat/min/jest.config.js), never this run's.
      // .cache/: installs the tests make (the npm consumer's copy has a package.json of its own).
      modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/', '<rootDir>/compat/', '<rootDir>/.cache/'],
      // Every template any test synthesizes is checked against the CloudFormation schemas and for plaintext keys.
      setupFilesAfterEnv: ['<rootDir>/test/support/setup-template-checks.ts'],
    },
  },
  tsconfig: { compilerOptions: { lib: ['es2022'] } },
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'] },
  gitignore: ['cdk.out/', '*.cdk.out/', '/bench/out/', '__pycache__/'],
});

// The dev dependency tracks the newest CDK we test against; the peer range stays at the minimum above.

for (const [name, value] of Object.entries(JSII_ENV)) project.tasks.addEnvironment(name, value);
// Go's module and build caches in the machine cache (scripts/machine-cache.sh): content-addressed, shared by every
// clone on the machine, so a clean clone compiles aws-cdk-go once per machine, not once per clone. GOPATH (where
// nothing but what a build names goes) stays in the clone. test/support/machine-cache.ts says the same for the tests.
const GO_ENV = {
  GOPATH: '$(realpath -m .cache/go/path)',
  GOMODCACHE: '$(bash scripts/machine-cache.sh go/mod)',
  GOCACHE: '$(bash scripts/machine-cache.sh go/build)',
  GOFLAGS: '-modcacherw',
};
for (const [name, value] of Object.entries(GO_ENV)) project.tasks.addEnvironment(name, value);

// jsii must come out clean: warnings fail the build. One warning is silenced on purpose:
// metadata/missing-dev-dependency asks for a dev dependency on aws-cdk-lib equal to the peer minimum
// (CDK_MIN), but ours is the newest CDK we test against (2.277.0, see peerDependencyOptions above; 2.278.0 in compat/newest).
const JSII_FLAGS = '--fail-on-warnings --silence-warnings=metadata/missing-dev-dependency';
project.compileTask.reset(`jsii ${JSII_FLAGS}`);
project.tasks.tryFind('watch')?.reset(`jsii -w ${JSII_FLAGS}`);

// API.md is generated (post-compile docgen) and committed; this fails when it lags behind the API.
// jsii-docgen documents inherited members (lambda.FunctionProps') from the newest aws-cdk-lib it finds anywhere in the
// tree, compat/newest's install included: both ways of generating API.md remove that install first, so API.md is
// always the dev dependency's (test:cdk-newest installs it again when it runs).
const COMPAT_NEWEST_INSTALL = 'rm -rf compat/newest/node_modules';
project.tasks.tryFind('docgen')?.prependExec(COMPAT_NEWEST_INSTALL);
const docgenCheck = project.addTask('docgen:check', {
  description: 'Fails when API.md differs from what jsii-docgen generates for the current API',
  steps: [{ exec: COMPAT_NEWEST_INSTALL }, { exec: 'bash scripts/check-api-md.sh' }],
});

// Release artifacts, as a release would publish them (output in dist/, never committed): the Python wheel
// and sdist, the Java jar/pom as a Maven repository, the Go module source (pacmak builds it with `go build`).
// Maven's repository and Go's caches live in the machine cache (the Go variables are set for every task below).
// .NET stays code only: there is no .NET SDK here, so its package is generated but never built or run.
const MAVEN_LOCAL_REPOSITORY = '$(bash scripts/machine-cache.sh maven)';
project.tasks.tryFind('package:java')?.reset(`jsii-pacmak -v --target java --maven-local-repository ${MAVEN_LOCAL_REPOSITORY}`);
project.tasks.tryFind('package:dotnet')?.reset('jsii-pacmak -v --code-only --target dotnet');
// In `npm test` the Go module is generated and its dependencies resolved (go mod tidy) but not compiled:
// compiling it means compiling aws-cdk-go (minutes from a cold cache), which test:go does anyway when it
// builds the Go consumer app against this module. `npx projen package:go` alone compiles it, as a release does.
// One jsii-pacmak for Python, Java and Go: it packs the library once and builds the three targets at the same time
// (pip's wheel build, Maven, `go mod tidy` wait on disk and network as much as on the CPU); JSII_BUILD_GO=false keeps
// the Go target to generating and tidying. .NET needs --code-only, which would apply to every target: a call of its own.
const bindings = project.addTask('bindings', {
  description: 'Builds the Python and Java packages and the Go module (full jsii-pacmak) and generates the .NET code (code only)',
  steps: [
    { exec: 'rm -rf dist/python dist/java dist/dotnet dist/go' },
    {
      exec: `jsii-pacmak -v --target python --target java --target go --maven-local-repository ${MAVEN_LOCAL_REPOSITORY}`,
      env: { JSII_BUILD_GO: 'false' },
    },
    { spawn: 'package:dotnet' },
  ],
});

// The Go consumer app (test/consumers/go.test.ts), out of the default jest run for its compile time;
// .ci/run runs it after `npm test`.
const GO_CONSUMER_TEST = 'test/consumers/go.test.ts';
project.addTask('test:go', {
  description: 'Builds the Go consumer app against dist/go and aws-cdk-go and compares its template with the TypeScript example\'s',
  // `--` ends the (array) ignore option, so the path is the test to run, not one more pattern to ignore.
  exec: `jest --ci --testPathIgnorePatterns=/node_modules/ -- ${GO_CONSUMER_TEST}`,
});

// Maven's output of the Java consumer app (after projen's `!/test/`, which would re-include it).
project.gitignore.addPatterns('/test/consumers/java/target/');

// The npm package (and the tarball jsii-pacmak packs first) must not carry the caches of Maven, Go and the virtualenvs.
project.addPackageIgnore('/.cache/');

// `npm test` proves the jsii side first (tests read the generated bindings), then runs jest and eslint.
project.testTask.prependSpawn(bindings);
project.testTask.prependSpawn(docgenCheck);
project.testTask.prependSpawn(project.compileTask);

// Examples and benchmarks are type-checked and linted like tests (the lint finds the nearest tsconfig).
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules', 'cdk.out'] },
    marker: false,
  });
}

// The other end of the peer range: a second install of aws-cdk-lib (and constructs) at the peer minimum in
// compat/min, from its own lockfile, and the whole suite against it: `tsc --noEmit` of lib/, test/ and examples/ with the
// modules mapped there (the library must compile on the minimum), then jest with the same mapping.
// After changing CDK_MIN: `npx projen && npm install --prefix compat/min` and commit compat/min/package-lock.json.
/** compat/<run>/package.json: a second install of aws-cdk-lib at `cdkVersion`, from its own lockfile, for one test task. */
function compatPackage(run: string, cdkVersion: string, what: string): void {
  new JsonFile(project, `compat/${run}/package.json`, {
    obj: {
      name: `cdk-trace-merging-compat-${run}`,
      private: true,
      description: `aws-cdk-lib and constructs at ${what}, for test:cdk-${run}`,
      dependencies: { 'aws-cdk-lib': cdkVersion, 'constructs': CONSTRUCTS_MIN },
    },
  });
}
compatPackage('min', CDK_MIN, 'the peer minimum');
const MIN_MODULES = './node_modules';
new JsonFile(project, 'compat/min/tsconfig.json', {
  obj: {
    extends: '../../test/tsconfig.json',
    compilerOptions: {
      paths: {
        'aws-cdk-lib': [`${MIN_MODULES}/aws-cdk-lib`],
        'aws-cdk-lib/*': [`${MIN_MODULES}/aws-cdk-lib/*`],
        'constructs': [`${MIN_MODULES}/constructs`],
      },
    },
    include: ['../../lib/**/*.ts', '../../test/**/*.ts', '../../examples/**/*.ts'],
    exclude: ['../../node_modules', 'node_modules'],
  },
});
const testCdkMin = project.addTask('test:cdk-min', {
  description: `Type-checks and runs the whole jest suite against aws-cdk-lib ${CDK_MIN} (the peer minimum)`,
  steps: [
    { exec: 'npm ci --prefix compat/min --no-audit --no-fund --loglevel=error' },
    { exec: 'tsc --noEmit -p compat/min/tsconfig.json' },
    { exec: 'jest --passWithNoTests --ci --config compat/min/jest.config.js', receiveArgs: true },
  ],
});
project.testTask.spawn(testCdkMin);

// The newest aws-cdk-lib, one release past the dev dependency: the Go proxy does not serve aws-cdk-go 2.278.0, and
// jsii-pacmak builds the Go module against the aws-cdk-lib installed here, so the dev dependency stays at 2.277.0 and
// the tests of what changes between releases (acknowledgements, the check's findings, the one entry class) run again on
// 2.278.0 from compat/newest (its own lockfile; compat/newest/jest.config.js names the tests).
// After changing CDK_NEWEST: `npx projen && npm install --prefix compat/newest` and commit compat/newest/package-lock.json.
const CDK_NEWEST = '2.278.0';
compatPackage('newest', CDK_NEWEST, 'the newest release');
const testCdkNewest = project.addTask('test:cdk-newest', {
  description: `Runs the acknowledgement, check and entry-class tests against aws-cdk-lib ${CDK_NEWEST} (newer than the dev dependency)`,
  steps: [
    { exec: 'npm ci --prefix compat/newest --no-audit --no-fund --loglevel=error' },
    { exec: 'jest --passWithNoTests --ci --config compat/newest/jest.config.js', receiveArgs: true },
  ],
});
project.testTask.spawn(testCdkNewest);
project.addPackageIgnore('/compat/');

// The npm package (and the tarball the Python wheel embeds) holds the library and nothing else: the compiled
// JavaScript and declarations, the jsii assembly, README, LICENSE and API.md (npm adds package.json). An allowlist,
// so that nothing a checkout holds (the examples, bench/, scripts/, a cdk.out/ the Quick start left) can slip in;
// test/package/npm-pack.test.ts holds it to `npm pack --dry-run --json`.
project.package.addField('files', ['/build/**/*.js', '/build/**/*.d.ts', '/.jsii', '/README.md', '/LICENSE', '/API.md']);
// `npm pack` on a clone that was never compiled would pack README and package.json alone: compile first when needed.
project.setScript('prepack', 'bash scripts/prepack.sh');

// Synth benchmark against plain CDK and datadog-cdk-constructs-v2 (minutes; never part of `npm test`,
// test/bench runs a 10-function smoke of it). Writes bench/RESULTS.md.
project.addTask('bench', {
  description: 'Times synth of 100/500/1,000-function apps: plain CDK vs merged tracing vs datadog-cdk-constructs-v2',
  exec: 'ts-node --project bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

project.synth();
