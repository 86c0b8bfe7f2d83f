/**
 * Runs AWS's CloudFormation linter (cfn-lint, from PyPI, pinned in test/lint/requirements.txt and installed into the
 * machine cache's virtualenv for that file by scripts/python-venv.sh) over synthesized templates and reads its findings.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { machineCache, requirementsVenv } from '../support/machine-cache';

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

/** One finding as cfn-lint's JSON output has it. */
interface RawFinding {
  readonly Rule: { readonly Id: string };
  readonly Filename: string;
  readonly Location: { readonly Path?: Array<string | number> };
  readonly Message: string;
}

/**
 * cfn-lint over `templates` for each of `regions`; findings with paths relative to `base`. Its findings are a pure
 * function of the template, the regions and the pinned cfn-lint (requirements.txt, its region data included), so they
 * are kept per template in the machine cache under a digest of the three: a template this machine linted before is
 * not linted again (most commits change few templates), the others are linted in one process (its start-up is most
 * of the cost).
 */
export function cfnLint(templates: string[], regions: string[], base: string): LintFinding[] {
  const results = machineCache('cfn-lint-results');
  const pins = fs.readFileSync(CFN_LINT_REQUIREMENTS);
  const cacheFile = (template: string) => path.join(results, createHash('sha256')
    .update(pins).update('\0').update(regions.join(',')).update('\0').update(fs.readFileSync(template)).digest('hex') + '.json');
  const byTemplate = new Map<string, RawFinding[]>();
  const toLint = templates.filter((t) => {
    const file = cacheFile(t);
    if (!fs.existsSync(file)) return true;
    byTemplate.set(t, JSON.parse(fs.readFileSync(file, 'utf-8')) as RawFinding[]);
    return false;
  });
  if (toLint.length > 0) {
    const found = runCfnLint(toLint, regions);
    for (const template of toLint) {
      const own = found.filter((f) => path.resolve(f.Filename) === path.resolve(template));
      byTemplate.set(template, own);
      // Written whole, then renamed: a concurrent reader sees all of it or nothing.
      const file = cacheFile(template);
      fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(own));
      fs.renameSync(`${file}.${process.pid}`, file);
    }
  }
  return templates.flatMap((template) => byTemplate.get(template)!.map((f) => ({
    rule: f.Rule.Id,
    template: path.relative(base, template),
    where: (f.Location.Path ?? []).join('/'),
    message: f.Message,
  })));
}

/** cfn-lint itself, in one process. */
function runCfnLint(templates: string[], regions: string[]): RawFinding[] {
  const result = spawnSync(path.join(CFN_LINT_VENV, 'bin', 'cfn-lint'), ['--format', 'json', '--regions', ...regions, '--', ...templates],
    { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
  // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a failure to run.
  if (result.status === null || result.status === 1 || result.stdout === '') {
    throw new Error(`cfn-lint did not run (status ${result.status}, ${result.error ?? 'no spawn error'}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as RawFinding[];
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
