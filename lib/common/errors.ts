import { IConstruct } from 'constructs';

/** Prefix of every error this library throws, so users (and tests) can tell ours from others. */
export const ERROR_PREFIX = '[cdk-trace-merging]';

/** An error in the user's terms: where, what is wrong, and the fix. */
export class MergedTracingError extends Error {
  constructor(where: string, problem: string, fix: string) {
    super(`${ERROR_PREFIX} ${where}: ${problem} ${fix}`);
    this.name = 'MergedTracingError';
  }
}

/** Throws a MergedTracingError naming the construct's path. */
export function failAt(scope: IConstruct, problem: string, fix: string): never {
  throw new MergedTracingError(scope.node.path || '<app>', problem, fix);
}

/** Stable annotation id for a finding. */
export function ruleId(rule: string): string {
  return `cdk-trace-merging:${rule}`;
}
