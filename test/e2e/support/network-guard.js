'use strict';
/**
 * Preloaded (--require) into the child process: refuses and reports any attempt to reach a host other
 * than the loopback interface, over TCP (net, and so http/https/tls/fetch), UDP (dgram) or a DNS lookup.
 * It changes nothing for loopback traffic. A refusal is written to stderr on one marked line, which the
 * harness collects; the tests assert there are none.
 */
const dgram = require('dgram');
const dns = require('dns');
const fs = require('fs');
const net = require('net');

const MARKER = '__E2E_NETWORK_REFUSED__';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);
// A UDP socket bound implicitly looks up its wildcard address: that binds, it does not reach anyone.
const WILDCARD = new Set(['0.0.0.0', '::']);

function refuse(kind, target) {
  fs.writeSync(2, `\n${MARKER} ${JSON.stringify({ kind, target: String(target) })}\n`);
  const error = new Error(`e2e network guard: ${kind} to ${target} refused (only 127.0.0.1 is allowed)`);
  error.code = 'ECONNREFUSED';
  return error;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  // Unix domain sockets (options.path) are local by definition.
  const host = options.path !== undefined ? 'localhost' : (options.host ?? 'localhost');
  if (!LOOPBACK.has(host)) {
    const error = refuse('tcp', `${host}:${options.port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.apply(this, args);
};

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(...args) {
  const address = args.slice(1).find((a) => typeof a === 'string');
  if (address !== undefined && !LOOPBACK.has(address)) {
    const error = refuse('udp', address);
    const callback = args.find((a) => typeof a === 'function');
    if (callback) process.nextTick(() => callback(error));
    return undefined;
  }
  return originalSend.apply(this, args);
};

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, ...rest) {
  if (!LOOPBACK.has(hostname) && !WILDCARD.has(hostname)) {
    const error = refuse('dns', hostname);
    const callback = rest.find((a) => typeof a === 'function');
    if (callback) process.nextTick(() => callback(error));
    return {};
  }
  return originalLookup.call(this, hostname, ...rest);
};
const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = function lookup(hostname, ...rest) {
  if (!LOOPBACK.has(hostname)) return Promise.reject(refuse('dns', hostname));
  return originalPromisesLookup.call(this, hostname, ...rest);
};
