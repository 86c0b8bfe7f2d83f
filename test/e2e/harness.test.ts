/**
 * The e2e harness checks itself: the network guard refuses what would leave 127.0.0.1, the fake agent
 * keeps 64-bit ids exact, and the harness refuses templates it could only run by hiding something.
 * (The functions here are hand-written, not synthesized: they test the harness, not the library.)
 */
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { encode } from '@msgpack/msgpack';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { startFakeDatadogAgent } from './support/fake-datadog-agent';
import { invokeLikeLambda } from './support/invoke-like-lambda';
import { lambdaEnvironment, PYTHON_RUNTIME_STAND_INS, RUNTIME_STAND_INS, RuntimeInputs } from './support/lambda-runtime-env';
import { nodeFunctionsOf, TemplateFunction } from './support/template-function';
import { newTraceHeader } from './support/xray-trace-header';

const INPUTS: RuntimeInputs = {
  functionName: 'f',
  region: 'us-east-1',
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  memorySize: 128,
  taskRoot: '/tmp/task',
  layerNodeModules: '/tmp/node_modules',
  traceHeader: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=1',
  xrayDaemonAddress: '127.0.0.1:2000',
  agentUrl: 'http://127.0.0.1:8126',
};

describe('network guard', () => {
  test('refuses TCP, HTTPS, UDP and DNS beyond 127.0.0.1, and the handler carries on', async () => {
    // GIVEN a handler that tries to leave the machine four ways (192.0.2.1 is TEST-NET-1: never routed)
    const fn: TemplateFunction = {
      logicalId: 'Escapee',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      environment: {},
      deployTimeVariables: {},
      memorySize: 128,
      timeoutSeconds: 10,
      tracingMode: 'PassThrough',
      inlineCode: `
        const attempt = (start) => new Promise((resolve) => start(resolve));
        exports.handler = async () => {
          const errors = await Promise.all([
            attempt((done) => require('net').connect(443, '192.0.2.1').on('error', (e) => done(e.code))),
            attempt((done) => require('https').get('https://api.datadoghq.com/api/v1/validate', () => done('answered')).on('error', (e) => done(e.code))),
            attempt((done) => require('dgram').createSocket('udp4').send('x', 2000, '192.0.2.1', (e) => done(e && e.code))),
            attempt((done) => require('dns').lookup('secretsmanager.us-east-1.amazonaws.com', (e) => done(e && e.code))),
          ]);
          return { statusCode: 200, body: JSON.stringify(errors) };
        };`,
    };

    // WHEN it runs in the harness
    const run = await invokeLikeLambda(fn, { event: {}, traceHeader: newTraceHeader(false).header, region: 'us-east-1', account: '123456789012' });

    // THEN every attempt was refused before anything was sent, and reported
    expect(run.outcome).toEqual({ result: { statusCode: 200, body: JSON.stringify(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']) } });
    // (the attempts run concurrently; HTTPS is caught at its DNS lookup or its connect, whichever comes first)
    expect(run.networkRefusals).toHaveLength(4);
    expect(run.networkRefusals).toEqual(expect.arrayContaining([
      { kind: 'tcp', target: '192.0.2.1:443' },
      { kind: expect.stringMatching(/^(tcp|dns)$/), target: expect.stringMatching(/^api\.datadoghq\.com(:443)?$/) },
      { kind: 'udp', target: '192.0.2.1' },
      { kind: 'dns', target: 'secretsmanager.us-east-1.amazonaws.com' },
    ]));
  });
});

describe('the Node a function runs on', () => {
  test.each([['nodejs22.x', '22'], ['nodejs24.x', '24']])('%s runs on Node %s, whatever Node runs the tests', async (runtime, major) => {
    // GIVEN a function that says which Node runs it
    const fn: TemplateFunction = {
      logicalId: 'Version',
      handler: 'index.handler',
      runtime,
      environment: {},
      deployTimeVariables: {},
      memorySize: 128,
      timeoutSeconds: 10,
      tracingMode: 'PassThrough',
      inlineCode: 'exports.handler = async () => process.versions.node;',
    };
    // WHEN it runs in the harness
    const run = await invokeLikeLambda(fn, { event: {}, traceHeader: newTraceHeader(false).header, region: 'us-east-1', account: '123456789012' });
    // THEN
    expect(String(run.outcome.result).split('.')[0]).toBe(major);
  });
});

describe('Python network guard (sitecustomize.py)', () => {
  test('Python: refuses TCP, UDP and DNS beyond loopback, lets loopback through, and reports each refusal', () => {
    // GIVEN a Python script that tries to leave the machine three ways, then connects to loopback
    // (192.0.2.1 is TEST-NET-1: never routed)
    const script = [
      'import socket',
      'def attempt(f):',
      '    try:',
      '        f()',
      '        return "sent"',
      '    except OSError as e:',
      '        return type(e).__name__',
      'print(attempt(lambda: socket.create_connection(("192.0.2.1", 443), timeout=1)))',
      'print(attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 2000))))',
      'print(attempt(lambda: socket.getaddrinfo("secretsmanager.us-east-1.amazonaws.com", 443)))',
      'server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()',
      'print(attempt(lambda: socket.create_connection(server.getsockname(), timeout=1)))',
    ].join('\n');

    // WHEN it runs with the guard's directory on PYTHONPATH, as the Python harness runs functions
    const run = spawnSync('python3', ['-c', script], {
      encoding: 'utf-8',
      env: { PATH: process.env.PATH, PYTHONPATH: path.join(__dirname, 'support', 'python') },
    });

    // THEN the three attempts were refused before anything was sent, each reported; loopback went through
    expect(run.stdout.trim().split('\n')).toEqual(['ConnectionRefusedError', 'ConnectionRefusedError', 'gaierror', 'sent']);
    const refusals = run.stderr.split('\n').filter((l) => l.startsWith('__E2E_NETWORK_REFUSED__ '))
      .map((l) => JSON.parse(l.slice('__E2E_NETWORK_REFUSED__ '.length)));
    expect(refusals).toEqual([
      { kind: 'tcp', target: '192.0.2.1:443' },
      { kind: 'udp', target: '192.0.2.1:2000' },
      { kind: 'dns', target: 'secretsmanager.us-east-1.amazonaws.com' },
    ]);
  });
});

describe('fake Datadog agent', () => {
  test('decodes ids above 2^63 exactly (msgpack uint64 as BigInt)', async () => {
    // GIVEN the agent, and a v0.4 payload whose ids need all 64 bits
    const agent = await startFakeDatadogAgent();
    try {
      const span = { trace_id: 2n ** 64n - 1n, span_id: 2n ** 63n + 1n, parent_id: 0n, name: 'n', service: 's', resource: 'r', error: 0, meta: {}, metrics: {} };
      const body = Buffer.from(encode([[span]], { useBigInt64: true }));

      // WHEN dd-trace's request shape arrives
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${agent.url}/v0.4/traces`, { method: 'PUT', headers: { 'Content-Type': 'application/msgpack' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });

      // THEN the ids come back unrounded
      expect(agent.spans).toEqual([expect.objectContaining({ trace_id: 2n ** 64n - 1n, span_id: 2n ** 63n + 1n, parent_id: 0n })]);
    } finally {
      await agent.close();
    }
  });
});

describe('the harness refuses what it could only run by hiding something', () => {
  test('a template that sets a variable the harness stands in for', () => {
    expect(() => lambdaEnvironment({ DD_TRACE_AGENT_URL: 'http://agent:8126' }, {}, INPUTS)).toThrow(
      'the template sets DD_TRACE_AGENT_URL, which the harness stands in for the runtime: the test would hide its value',
    );
  });

  test('a Datadog variable whose value is only known at deploy time', () => {
    // GIVEN a function whose DD_ENV is a parameter
    const stack = new Stack(new App(), 'S');
    new lambda.Function(stack, 'F', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      environment: { DD_ENV: new CfnParameter(stack, 'Env').valueAsString, OTHER: new CfnParameter(stack, 'Other').valueAsString },
    });

    // WHEN / THEN
    expect(() => nodeFunctionsOf(stack)).toThrow(/^F[0-9A-F]{8}: DD_ENV is {"Ref":"Env"}, not a literal string$/);
  });

  test.each([['Node.js', RUNTIME_STAND_INS], ['Python', PYTHON_RUNTIME_STAND_INS]])('%s: every stand-in says why it exists, once', (_, standIns) => {
    const names = standIns.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const standIn of standIns) expect(standIn.why.length).toBeGreaterThan(20);
  });

  test('Python: the stand-ins are the Lambda ones without NODE_PATH, plus PYTHONPATH and the extension stand-ins Python needs', () => {
    expect(PYTHON_RUNTIME_STAND_INS.map((s) => s.name)).toEqual([
      ...RUNTIME_STAND_INS.filter((s) => s.kind === 'LAMBDA' && s.name !== 'NODE_PATH').map((s) => s.name),
      'PYTHONPATH', 'DD_TRACE_AGENT_URL', 'DD_FLUSH_TO_LOG',
    ]);
  });
});
