/**
 * The machine cache (scripts/machine-cache.sh says what and why): Go's module and build caches, Maven's repository,
 * the virtualenvs of pinned requirements and cfn-lint's findings per template, in a folder that outlives a clone.
 * Only what is a pure function of the project's own files goes there; per-run builds (this library's wheel, jar, Go
 * module) never do.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A folder of the machine cache (created). */
export function machineCache(subfolder: string): string {
  const dir = path.join(process.env.CDK_TRACE_MERGING_CACHE ?? path.join(os.homedir(), '.cache', 'cdk-trace-merging'), subfolder);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Go's variables for a build: modules and compiled packages in the machine cache (both content-addressed, safe to
 * share between clones and concurrent builds); GOPATH, where `go build -o` puts nothing but what we name, in the clone.
 */
export function goCaches(): Record<string, string> {
  return {
    GOPATH: path.join(ROOT, '.cache', 'go', 'path'),
    GOMODCACHE: machineCache('go/mod'),
    GOCACHE: machineCache('go/build'),
    GOFLAGS: '-modcacherw',
  };
}

/** The virtualenv for one requirements file: named by its content, so a changed file gets a new one. */
export function requirementsVenv(name: string, requirementsFile: string): string {
  const digest = createHash('sha256').update(fs.readFileSync(requirementsFile)).digest('hex').slice(0, 12);
  return path.join(machineCache('venvs'), `${name}-${digest}`);
}
