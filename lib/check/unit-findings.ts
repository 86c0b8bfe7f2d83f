import { isAcknowledged } from './acknowledgements';
import { Checked } from './checked-resource';
import { MappedEdge } from './map/trace-map';
import { KIND_BY_TYPE } from './resource-kinds';
import { EnvEntry, envMismatches, envMismatchMessage, EnvMismatchRule } from './rules/EnvMismatch';
import { traceBreaksMessage, TraceBreaksRule } from './rules/TraceBreaks';
import { ruleId } from '../common/errors';

/*
 * The findings no single resource shows: they need every resource of a deployment unit checked (EnvMismatch) or the
 * trace map drawn (TraceBreaks). Both add to the checked resources in place, before their statuses are decided.
 */

/**
 * TraceBreaks on the target of every hop where the merged trace breaks, naming the upstream resource and why; not when
 * the break is the target's own wiring (its own findings say that) or HYBRID's two traces by design, and only on
 * resources this call checked.
 */
export function addTraceBreaks(checked: Checked[], edges: readonly MappedEdge[]): void {
  const byPath = new Map(checked.map((c) => [c.entry.path, c]));
  for (const edge of edges) {
    if (!edge.raisesFinding) continue;
    const c = byPath.get(edge.to);
    if (!c || c.leftAlone || c.settings.disabled.has(TraceBreaksRule.name)) continue;
    const { problem, fix } = traceBreaksMessage(edge.from, edge.via, edge.reason ?? 'the hop does not carry the trace');
    const description = `This ${KIND_BY_TYPE.get(c.resource.type)!.noun} ${problem}`;
    const acknowledged = isAcknowledged(c.resource.cfn, ruleId(TraceBreaksRule.name));
    c.entry.findings.push({ rule: TraceBreaksRule.name, level: TraceBreaksRule.severity, message: `${description} ${fix}`, description, fix, acknowledged, instrumenting: false });
  }
}

/** EnvMismatch: compares the env of every resource of one deployment unit, once all are checked. */
export function addEnvMismatches(checked: Checked[]): void {
  const byUnit = new Map<string, Checked[]>();
  for (const c of checked) {
    if (c.env === undefined || c.settings.disabled.has(EnvMismatchRule.name)) continue;
    const list = byUnit.get(c.unit);
    if (list) list.push(c); else byUnit.set(c.unit, [c]);
  }
  for (const [unit, members] of byUnit) {
    const byPath = new Map(members.map((c) => [c.entry.path, c]));
    const expected = members.find((c) => c.expectedEnv !== undefined)?.expectedEnv;
    const entries: EnvEntry[] = members.map((c) => ({ path: c.entry.path, env: c.env!, setIn: c.envSetIn }));
    for (const mismatch of envMismatches(entries, expected)) {
      const c = byPath.get(mismatch.entry.path)!;
      // A function whose DD_ENV differs from the expected env already has FunctionDdEnv: one finding per resource.
      if (c.entry.findings.some((f) => f.rule === 'FunctionDdEnv')) continue;
      const { problem, fix } = envMismatchMessage(mismatch, unit);
      const description = `This resource ${problem}`;
      const level = c.settings.downgraded.has(EnvMismatchRule.name) ? 'warning' : EnvMismatchRule.severity;
      const acknowledged = isAcknowledged(c.resource.cfn, ruleId(EnvMismatchRule.name));
      c.entry.findings.push({ rule: EnvMismatchRule.name, level, message: `${description} ${fix}`, description, fix, acknowledged, instrumenting: false });
      if (acknowledged) c.entry.acknowledged.push(EnvMismatchRule.name); else c.entry.missing.push(EnvMismatchRule.name);
    }
  }
}
