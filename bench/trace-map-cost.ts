/* The trace map's share of synthesis: one run of variant (b) under `node --cpu-prof`, the inclusive time of the map's
 * own functions (lib/check/map and the plugin's steps that feed it) against construct + synth of that same run. */
import { mkdtempSync, rmSync } from 'fs';
import { join } from 'path';
import type { ChildResult } from './child';
import { profileChild } from './profile';

/** What the map adds, measured in one profiled process. */
export interface TraceMapCost {
  readonly functions: number;
  /** Inclusive milliseconds of the map's entry points, summed (none calls another). */
  readonly mapMs: number;
  /** Construct + synth of the same process (profiled too, so both carry the profiler's overhead). */
  readonly constructAndSynthMs: number;
  readonly frames: ReadonlyArray<readonly [string, number]>;
}

/** The map's entry points: reading hops from the templates, joining them, the paths, the Markdown and Mermaid, the finding. */
const MAP_FRAMES = /^(templateHops|traceMap|tracePaths|mapMarkdown|mapNode|addTraceBreaks) .*lib\/check\//;

/** Profiles one (b) run at `functions` and returns the map's share. */
export function traceMapCost(jsRoot: string, functions: number, work: string): TraceMapCost {
  const dir = mkdtempSync(join(work, 'map-profile-'));
  try {
    const { times: { inclusive }, stdout } = profileChild(jsRoot, 'merged', functions, dir);
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildResult;
    const frames = [...inclusive.entries()].filter(([label]) => MAP_FRAMES.test(label)).sort((a, b) => b[1] - a[1]);
    return { functions, mapMs: frames.reduce((sum, [, ms]) => sum + ms, 0), constructAndSynthMs: result.buildMs + result.synthMs, frames };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section of RESULTS.md. */
export function traceMapCostMarkdown(cost: TraceMapCost): string[] {
  const share = cost.mapMs / cost.constructAndSynthMs;
  return [
    '## The trace map\'s share of synthesis',
    '',
    `One run of (b) at ${cost.functions.toLocaleString('en-US')} functions (20 stacks) under \`node --cpu-prof\`: the trace map's own functions `
      + `took ${Math.round(cost.mapMs).toLocaleString('en-US')} ms of ${Math.round(cost.constructAndSynthMs).toLocaleString('en-US')} ms construct + synth, `
      + `**${(share * 100).toFixed(2)}%** (target <= 1%: ${share <= 0.01 ? 'met' : '**not met**'}). Not counted: resolving the logical ids of the few `
      + 'extra resource types the map draws (queues, rules, streams, tables, REST APIs) in the walk the checker makes anyway.',
    '',
    '| Function (inclusive) | ms |',
    '|---|---:|',
    ...cost.frames.map(([label, ms]) => `| \`${label.replace(/\|/g, '\\|')}\` | ${ms.toFixed(1)} |`),
    '',
  ];
}
