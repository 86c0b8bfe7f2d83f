/**
 * What a host's tracer can inject, run: dd-trace for Node.js and ddtrace for Python, outside Lambda (as on an ECS task or
 * an EC2 host), asked for X-Ray's propagation style besides their defaults (DD_TRACE_PROPAGATION_STYLE_INJECT), inject a
 * span's context into HTTP headers. HOST_TRACERS (lib/datadog/host-tracers.ts) must say what they did: Datadog's headers,
 * and X-Ray's (X-Amzn-Trace-Id) only where its row says the tracer has that style. (dd-trace-java's row is read from its
 * code: dd-java-agent is not served by the registries this project can reach.)
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { FakeDatadogAgent, startFakeDatadogAgent } from './support/fake-datadog-agent';
import { preparePythonE2eVenv, PYTHON_E2E_INSTALL_TIMEOUT_MS, PYTHON_E2E_VENV } from './support/invoke-python-like-lambda';
import { HOST_TRACERS, JAVA_INJECT_STYLES } from '../../lib/datadog/host-tracers';

const ROOT = path.resolve(__dirname, '..', '..');

/** Each tracer's own inject call on a new span, printing the headers it wrote as one JSON line. */
const PROGRAMS = {
  nodejs: {
    command: process.execPath,
    args: ['-e', [
      "const tracer = require('dd-trace').init({ startupLogs: false });",
      "const span = tracer.startSpan('host.call'); const headers = {};",
      "tracer.inject(span, 'http_headers', headers); span.finish();",
      'process.stdout.write(JSON.stringify(headers) + "\\n"); process.exit(0);',
    ].join('\n')],
  },
  python: {
    command: path.join(PYTHON_E2E_VENV, 'bin', 'python'),
    args: ['-c', [
      'import json',
      'from ddtrace.trace import tracer',
      'from ddtrace.propagation.http import HTTPPropagator',
      'with tracer.trace("host.call") as span:',
      '    headers = {}',
      '    HTTPPropagator.inject(span.context, headers)',
      'print(json.dumps(headers))',
    ].join('\n')],
  },
} as const;

let agent: FakeDatadogAgent;
beforeAll(async () => {
  preparePythonE2eVenv();
  agent = await startFakeDatadogAgent();
}, PYTHON_E2E_INSTALL_TIMEOUT_MS);
afterAll(() => agent.close());

describe.each(Object.keys(PROGRAMS) as Array<keyof typeof PROGRAMS>)('%s tracer on a host, asked for X-Ray\'s style too', (language) => {
  test(`THEN it injects Datadog's headers, and X-Ray's exactly where HOST_TRACERS says (${language})`, () => {
    // GIVEN the styles a Java host gets (the tracer's defaults and xray), on a process that is not in Lambda
    const { command, args } = PROGRAMS[language];
    // WHEN the tracer injects a span's context
    const run = spawnSync(command, [...args], {
      cwd: ROOT,
      encoding: 'utf-8',
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        NODE_PATH: path.join(ROOT, 'node_modules'),
        DD_TRACE_PROPAGATION_STYLE_INJECT: JAVA_INJECT_STYLES,
        DD_TRACE_AGENT_URL: agent.url,
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
        DD_REMOTE_CONFIGURATION_ENABLED: 'false',
      },
    });
    expect(run.status).toBe(0);
    const headers = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, string>;
    // THEN
    expect(headers['x-datadog-trace-id']).toMatch(/^\d+$/);
    expect(Object.keys(headers).some((h) => h.toLowerCase() === 'x-amzn-trace-id')).toBe(HOST_TRACERS[language].injectsXRayHeader);
  });
});
