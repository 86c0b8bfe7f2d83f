/**
 * The Node.js binary a function's runtime runs on: nodejs22.x on Node 22, nodejs24.x on Node 24, whatever Node runs
 * the tests (scripts/node.sh: the machine's when it is that major, else the release scripts/node-versions pins, from
 * the npm registry into the machine cache). So the Datadog library is exercised on the Node its layer serves.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const NODE_SH = path.resolve(__dirname, '..', '..', '..', 'scripts', 'node.sh');
const binaries = new Map<string, string>();

/** The major of a `nodejsNN.x` runtime. */
export function nodeMajorOf(runtime: string): string {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!match) throw new Error(`not a Node.js Lambda runtime: '${runtime}'`);
  return match[1];
}

/** The path of a Node.js binary of the runtime's major (installed on first use). */
export function nodeForRuntime(runtime: string): string {
  const major = nodeMajorOf(runtime);
  let binary = binaries.get(major);
  if (!binary) {
    binary = execFileSync('bash', [NODE_SH, major], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    binaries.set(major, binary);
  }
  return binary;
}
