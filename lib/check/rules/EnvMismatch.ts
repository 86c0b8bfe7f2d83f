/**
 * One deployment unit (the app's own stacks together, or one Stage) must send all its traces with one
 * `env`, or the trace falls apart in Datadog. Unlike the other rules this one compares resources, so
 * the checker collects every traced resource first and calls this once per unit.
 */
export const EnvMismatchRule = { name: 'EnvMismatch', severity: 'error' as const };

/** A traced resource's env: DD_ENV for functions, the `env` tag for state machines and stages. */
export interface EnvEntry {
  readonly path: string;
  readonly env: string;
  /** Where its env was set, as a fix names it ("the options given at the app", "its env tag"). */
  readonly setIn?: string;
}

/** A resource whose env differs from the unit's, with the resource it was compared with. */
export interface EnvMismatch {
  readonly entry: EnvEntry;
  /** The resource holding the unit's env, or undefined when compared with the expected env. */
  readonly other?: EnvEntry;
  readonly expected: string;
}

/**
 * Resources whose env differs from the unit's env: the expected one when given, else the most
 * common one (ties: the first seen). Linear in the number of entries.
 */
export function envMismatches(entries: readonly EnvEntry[], expectedEnv?: string): EnvMismatch[] {
  if (entries.length === 0) return [];
  const counts = new Map<string, { count: number; first: EnvEntry }>();
  for (const entry of entries) {
    const seen = counts.get(entry.env);
    if (seen) seen.count++; else counts.set(entry.env, { count: 1, first: entry });
  }
  let reference: { count: number; first: EnvEntry } | undefined;
  for (const candidate of counts.values()) if (!reference || candidate.count > reference.count) reference = candidate;
  const expected = expectedEnv ?? reference!.first.env;
  const other = expectedEnv === undefined ? reference!.first : counts.get(expectedEnv)?.first;
  return entries.filter((e) => e.env !== expected).map((entry) => ({ entry, other, expected }));
}

/** The finding for one mismatch: both values and both paths. */
export function envMismatchMessage(m: EnvMismatch, unit: string): { problem: string; fix: string } {
  const where = m.other ? `'${m.other.env}' at ${m.other.path}` : `the expected env '${m.expected}'`;
  return {
    problem: `has env '${m.entry.env}', but ${where} is in the same deployment unit (${unit}), so their traces would not connect in Datadog.`,
    fix: `Use env '${m.expected}' for every traced resource of ${unit}${m.entry.setIn ? `: set it in ${m.entry.setIn}` : ''} (deploy other environments as separate Stages).`,
  };
}
