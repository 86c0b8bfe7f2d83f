/**
 * A stand-in for the Datadog Extension's trace intake (in Lambda it listens on 127.0.0.1:8126):
 * an HTTP server on 127.0.0.1, random free port, that decodes dd-trace's msgpack payloads.
 * Every request is recorded, so a test can also see what it did NOT expect. Spans are complete when
 * the child exits: in Lambda (AWS_LAMBDA_FUNCTION_NAME set) dd-trace flushes each finished trace at once,
 * and the pending request keeps the child alive until this server has read it.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { decode } from '@msgpack/msgpack';

/** One span as dd-trace's v0.4 protocol encodes it (ids are unsigned 64-bit integers). */
export interface AgentSpan {
  readonly trace_id: bigint;
  readonly span_id: bigint;
  readonly parent_id: bigint;
  readonly name: string;
  readonly service: string;
  readonly resource: string;
  readonly type?: string;
  readonly error: number;
  readonly meta: Record<string, string>;
  readonly metrics: Record<string, number>;
}

export interface AgentRequest {
  readonly method: string;
  readonly path: string;
  /** Why a trace payload could not be decoded, if it could not. */
  readonly error?: string;
}

export interface FakeDatadogAgent {
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: AgentRequest[];
  /** Every span of every trace payload received, in order. */
  readonly spans: AgentSpan[];
  close(): Promise<void>;
}

const TRACES_PATH = /^\/v0\.[34]\/traces$/;

/** Decodes msgpack with 64-bit integers as BigInt: trace and span ids do not fit in a double. */
function decodeTraces(body: Buffer): AgentSpan[] {
  const traces = decode(body, { useBigInt64: true }) as unknown[][];
  return traces.flat().map((raw) => normalize(raw as Record<string, unknown>));
}

/**
 * The v0.5 protocol (ddtrace for Python's default): `[strings, traces]`, every string of a span an index
 * into `strings`, every span an array: service, name, resource, trace_id, span_id, parent_id, start,
 * duration, error, meta, metrics, type.
 */
function decodeTracesV05(body: Buffer): AgentSpan[] {
  const [strings, traces] = decode(body, { useBigInt64: true }) as [string[], unknown[][][]];
  const str = (i: unknown) => strings[Number(i)];
  const map = (m: unknown, value: (v: unknown) => unknown) => Object.fromEntries(
    [...(m instanceof Map ? m.entries() : Object.entries(m as object))].map(([k, v]) => [str(k), value(v)]));
  return traces.flat().map((span) => {
    const [service, name, resource, traceId, spanId, parentId, start, duration, error, meta, metrics, type] = span;
    const fields = [
      ['service', str(service)], ['name', str(name)], ['resource', str(resource)],
      ['trace_id', traceId], ['span_id', spanId], ['parent_id', parentId], ['start', start], ['duration', duration],
      ['error', error], ['meta', map(meta, str)], ['metrics', map(metrics, (v) => v)], ['type', str(type)],
    ];
    return normalize(Object.fromEntries(fields));
  });
}

/** msgpack gives small integers as numbers and large ones as BigInt: ids are always BigInt here. */
function normalize(raw: Record<string, unknown>): AgentSpan {
  const id = (v: unknown) => BigInt(v as number | bigint);
  const numbers = Object.fromEntries(Object.entries((raw.metrics ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Number(v)]));
  return {
    ...(raw as object),
    trace_id: id(raw.trace_id),
    span_id: id(raw.span_id),
    parent_id: id(raw.parent_id ?? 0),
    error: Number(raw.error ?? 0),
    meta: (raw.meta ?? {}) as Record<string, string>,
    metrics: numbers,
  } as AgentSpan;
}

/** `port` 0 (the default) takes a free one; the Go suite's sandbox takes the extension's own, 8126. */
export async function startFakeDatadogAgent(port = 0): Promise<FakeDatadogAgent> {
  const requests: AgentRequest[] = [];
  const spans: AgentSpan[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? '';
      const path = (req.url ?? '').split('?')[0];
      // dd-trace-js PUTs v0.4 payloads; ddtrace for Python POSTs v0.5 ones.
      if ((method === 'PUT' || method === 'POST') && (path === '/v0.4/traces' || path === '/v0.5/traces')) {
        try {
          spans.push(...(path === '/v0.5/traces' ? decodeTracesV05 : decodeTraces)(Buffer.concat(chunks)));
          requests.push({ method, path });
        } catch (e) {
          requests.push({ method, path, error: String(e) });
        }
      } else {
        requests.push({ method, path });
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // What the agent answers to a trace payload: no sampling-rate changes.
      res.end(TRACES_PATH.test(path) ? JSON.stringify({ rate_by_service: {} }) : '{}');
    });
  });
  // A request that never completes must not keep the test waiting.
  server.requestTimeout = 5_000;
  server.keepAliveTimeout = 500;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    spans,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
