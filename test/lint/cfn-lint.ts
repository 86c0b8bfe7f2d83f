/**
 * Runs AWS's CloudFormation linter (cfn-lint, from PyPI, pinned in test/lint/requirements.txt and installed into the
 * machine cache's virtualenv for that file by scripts/python-venv.sh) over synthesized templates and reads its findings.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { requirementsVenv } from '../support/machine-cache';

const ROOT = path.join(__dirname, '..', '..');
export const CFN_LINT_REQUIREMENTS = path.join(ROOT, 'test', 'lint', 'requirements.txt');
export const CFN_LINT_VENV = requirementsVenv('cfn-lint', CFN_LINT_REQUIREMENTS);

/** One cfn-lint finding, keyed so the same finding of two copies of one app compares equal. */
export interface LintFinding {
  readonly rule: string;
  /** The template file, relative to the directory the apps were synthesized into. */
  readonly template: string;
  /** Where in the template: `Resources/<LogicalId>/Properties/...`. */
  readonly where: string;
  readonly message: string;
}

/** Every `*.template.json` below `dir`. */
export function templatesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' }) as string[])
    .filter((f) => f.endsWith('.template.json')).map((f) => path.join(dir, f)).sort();
}

/** cfn-lint over `templates` for each of `regions`, in one process; findings with paths relative to `base`. */
export function cfnLint(templates: string[], regions: string[], base: string): LintFinding[] {
  const result = spawnSync(path.join(CFN_LINT_VENV, 'bin', 'cfn-lint'), ['--format', 'json', '--regions', ...regions, '--', ...templates],
    { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
  // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a failure to run.
  if (result.status === null || result.status === 1 || result.stdout === '') {
    throw new Error(`cfn-lint did not run (status ${result.status}, ${result.error ?? 'no spawn error'}): ${result.stderr}`);
  }
  type Raw = { Rule: { Id: string }; Filename: string; Location: { Path?: Array<string | number> }; Message: string };
  return (JSON.parse(result.stdout) as Raw[])
    .map((f) => ({
      rule: f.Rule.Id,
      template: path.relative(base, f.Filename),
      where: (f.Location.Path ?? []).join('/'),
      message: f.Message,
    }));
}

/**
 * The findings of `traced` that `plain` (the same apps without merged tracing) does not have. A DependsOn entry is
 * compared by what it names, not by its index: merged tracing adds its policy to a function's DependsOn, which
 * moves the function's own entries along.
 */
export function causedByTracing(traced: LintFinding[], plain: LintFinding[]): LintFinding[] {
  const key = (f: LintFinding) => JSON.stringify([f.rule, f.template, f.where.replace(/\/DependsOn\/\d+$/, '/DependsOn'), f.message]);
  const before = new Set(plain.map(key));
  return traced.filter((f) => !before.has(key(f)));
}
