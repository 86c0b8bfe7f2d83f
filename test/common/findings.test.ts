import * as fs from 'fs';
import * as path from 'path';
import { MergedTracingChecker } from '../../lib/check/merged-tracing-checker';
import {
  EKS_CLUSTER_RULES, EKS_FARGATE_PROFILE_RULES, FUNCTION_RULES, GRAPHQL_API_RULES, HTTP_API_RULES, KUBERNETES_WORKLOAD_RULES,
  REST_STAGE_RULES, SNS_TOPIC_RULES, STATE_MACHINE_RULES,
} from '../../lib/check/rules';
import { EnvMismatchRule } from '../../lib/check/rules/EnvMismatch';
import { TraceBreaksRule } from '../../lib/check/rules/TraceBreaks';
import { XRayResourcePolicyQuotaRule } from '../../lib/check/rules/XRayResourcePolicyQuota';
import { FINDINGS, FindingDefinition } from '../../lib/common/findings';

const CHECKER_DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'checker.md'), 'utf-8');
const START = '<!-- findings table: generated from lib/common/findings.ts, checked by test/common/findings.test.ts -->';
const END = '<!-- end of findings table -->';

/** docs/checker.md's finding table, rendered from the registry (emitted findings only). */
function findingsTable(): string {
  const rows = Object.entries(FINDINGS as Record<string, FindingDefinition>).filter(([, f]) => !f.reserved)
    .map(([name, f]) => `| \`cdk-trace-merging:${name}\` | ${f.level} | ${f.emittedBy} | ${f.meaning} | ${f.fix} |`);
  return ['| Id | Level | Reported by | Meaning | Fix |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

describe('the finding registry', () => {
  test('every checker rule is in the registry, with its level', () => {
    // GIVEN every rule the checker runs
    const rules = [
      ...FUNCTION_RULES, ...REST_STAGE_RULES, ...STATE_MACHINE_RULES, ...HTTP_API_RULES, ...GRAPHQL_API_RULES, ...SNS_TOPIC_RULES,
      ...KUBERNETES_WORKLOAD_RULES, ...EKS_CLUSTER_RULES, ...EKS_FARGATE_PROFILE_RULES, EnvMismatchRule, XRayResourcePolicyQuotaRule, TraceBreaksRule,
    ];
    // WHEN looked up / THEN each is registered as reported by the checker, at the rule's severity
    expect(rules.map((r) => r.name)).toEqual(MergedTracingChecker.ruleNames());
    for (const rule of rules) {
      const definition = (FINDINGS as Record<string, FindingDefinition>)[rule.name];
      expect([rule.name, definition?.level, ['checker', 'both'].includes(definition?.emittedBy ?? '')]).toEqual([rule.name, rule.severity, true]);
    }
  });

  test('every id the library source emits is in the registry', () => {
    // GIVEN the library's source files
    const libDir = path.join(__dirname, '..', '..', 'lib');
    const sources = fs.readdirSync(libDir, { recursive: true, encoding: 'utf-8' }).filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(libDir, f), 'utf-8')).join('\n');
    // WHEN the ids they emit are collected (warnWhileInstrumenting(x, 'Name', ...) and literal ids)
    const emitted = new Set([
      ...[...sources.matchAll(/warnWhileInstrumenting\([^,]+, '(\w+)'/g)].map((m) => m[1]),
      ...[...sources.matchAll(/cdk-trace-merging:(\w+)/g)].map((m) => m[1]).filter((n) => n !== 'RuleName'),
    ]);
    // THEN each is registered (and the scan does find the instrumenting ids)
    expect(['L1Function', 'HttpApiNoXRay', 'EcsEnvMismatch'].filter((n) => emitted.has(n))).toHaveLength(3);
    expect([...emitted].filter((name) => !(name in FINDINGS))).toEqual([]);
  });

  test('docs/checker.md lists every emitted finding, as the registry says', () => {
    // GIVEN its table / WHEN compared with the registry / THEN equal (regenerate with the text below on failure)
    const start = CHECKER_DOC.indexOf(START);
    const end = CHECKER_DOC.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(CHECKER_DOC.slice(start + START.length, end).trim()).toBe(findingsTable());
  });
});
