import { IConstruct } from 'constructs';
import { annotatedWarnings, isAcknowledged } from './acknowledgements';
import { CheckFinding } from './report-entry';
import { emittedFindings, FINDINGS, FindingName } from '../common/findings';

const PREFIX = 'cdk-trace-merging:';

/**
 * The warnings MergedTracing annotated on a resource's constructs while instrumenting (an ImmutableRole,
 * a runtime that cannot merge, ...), for the report. One the user acknowledged with
 * `Annotations.of(x).acknowledgeWarning(id)` is no longer annotated but still marked as emitted, so it
 * shows as acknowledged; one acknowledged with `Validations.of(x).acknowledge` is recorded as such.
 */
export function instrumentingFindings(...constructs: IConstruct[]): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const seen = new Set<string>();
  for (const construct of new Set(constructs)) {
    const active = annotatedWarnings(construct);
    for (const { id, message } of active) {
      const rule = id.slice(PREFIX.length);
      if (seen.has(rule)) continue;
      seen.add(rule);
      findings.push({ rule, level: 'warning', message, description: message, acknowledged: isAcknowledged(construct, id), instrumenting: true });
    }
    for (const rule of emittedFindings(construct)) {
      if (seen.has(rule)) continue;
      seen.add(rule);
      const definition = FINDINGS[rule as FindingName];
      const message = definition ? `${definition.meaning} ${definition.fix}` : rule;
      findings.push({ rule, level: 'warning', message, description: message, acknowledged: true, instrumenting: true });
    }
  }
  return findings;
}
