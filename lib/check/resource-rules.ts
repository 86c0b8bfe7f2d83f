import { isAcknowledged } from './acknowledgements';
import { RuleResults } from './checked-resource';
import { CheckSettings } from './checked-scopes';
import { CheckFinding } from './report';
import { ResourceKind } from './resource-kinds';
import { SynthesizedResource } from './synthesized-resources';
import { ruleId } from '../common/errors';

/**
 * Runs a kind's rules on one resource as synthesized: what is wired, what is missing (a finding each) and what only
 * deployment can tell. Rules the settings disable, and rules whose finding the instrumenting already raised on the
 * resource (`already`), are not run again. `toldOnStack` are the instrumenting warnings on the resource's stack, by rule.
 */
export function runRules<T>(resource: SynthesizedResource, kind: ResourceKind<T>, input: T, settings: CheckSettings,
  already: ReadonlySet<string>, toldOnStack: ReadonlyMap<string, CheckFinding>): Required<Pick<RuleResults, 'findings' | 'wired' | 'missing' | 'unknown'>> {
  const wired: string[] = [];
  const missing: string[] = [];
  const unknown: string[] = [];
  const findings: CheckFinding[] = [];
  for (const rule of kind.rules) {
    if (settings.disabled.has(rule.name) || already.has(rule.name)) continue;
    const result = rule.check(input);
    if (result.outcome === 'compliant') {
      wired.push(result.wired);
    } else if (result.outcome === 'non-compliant') {
      const told = rule.toldOnStackBy === undefined ? undefined : toldOnStack.get(rule.toldOnStackBy);
      const own = ruleFinding(resource, settings, rule.name, rule.severity, `This ${kind.noun} ${result.problem}`, result.fix);
      const finding = told ? { ...own, reportOnly: true, acknowledged: own.acknowledged || told.acknowledged } : own;
      findings.push(finding);
      if (!finding.acknowledged) missing.push(rule.name);
    } else if (result.outcome === 'unknown') {
      const finding = ruleFinding(resource, settings, rule.name, 'warning',
        `This ${kind.noun} cannot be checked for ${rule.name} at synth time: ${result.what} is only known at deployment.`,
        `Make it a literal value, or check it yourself and acknowledge this warning (Validations.of(scope).acknowledge({ id: '${ruleId(rule.name)}', reason })).`);
      findings.push(rule.unknownInReportOnly ? { ...finding, reportOnly: true } : finding);
      if (!finding.acknowledged) unknown.push(rule.name);
    }
  }
  return { findings, wired, missing, unknown };
}

/** A rule's finding on a resource: an error unless the settings downgrade the rule, and whether it was acknowledged. */
function ruleFinding(resource: SynthesizedResource, settings: CheckSettings, rule: string, severity: 'error' | 'warning',
  description: string, fix: string): CheckFinding {
  const level = severity === 'error' && !settings.downgraded.has(rule) ? 'error' : 'warning';
  return { rule, level, message: `${description} ${fix}`, description, fix, acknowledged: isAcknowledged(resource.cfn, ruleId(rule)), instrumenting: false };
}
