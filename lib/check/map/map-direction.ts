/*
 * Which way the picture flows. A README or a pull request shows it about 880 px wide and lets it grow downwards, so
 * the direction is the one that keeps it narrower: top to bottom when requests go through long chains (an API, a
 * function, a state machine, another function), left to right when many resources stand side by side with few hops.
 */

/** About how wide Mermaid draws a box, and a box with the labelled arrow before it, in its default font. */
const BOX_WIDTH = 200;
const STEP_WIDTH = 330;

export type FlowDirection = 'TB' | 'LR';

/**
 * Ranks the boxes as Mermaid's layout does (each a step after the boxes that point to it; loops cut at the number of
 * boxes) and compares the width of the widest rank drawn top to bottom with the width of the longest chain drawn
 * left to right.
 */
export function flowDirection(boxes: readonly string[], arrows: ReadonlyArray<readonly [string, string]>): FlowDirection {
  const rank = new Map(boxes.map((b) => [b, 0]));
  for (let pass = 0; pass < boxes.length; pass++) {
    let moved = false;
    for (const [from, to] of arrows) {
      const next = rank.get(from)! + 1;
      if (from !== to && next > rank.get(to)! && next < boxes.length) {
        rank.set(to, next);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const perRank = new Map<number, number>();
  for (const r of rank.values()) perRank.set(r, (perRank.get(r) ?? 0) + 1);
  const widestRank = Math.max(0, ...perRank.values());
  const longestChain = perRank.size;
  return widestRank * BOX_WIDTH <= longestChain * STEP_WIDTH ? 'TB' : 'LR';
}
