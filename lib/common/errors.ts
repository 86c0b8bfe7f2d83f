import { IConstruct } from 'constructs';
import { HiddenProperty } from './hidden-property';

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

/** The way out of a refusal for one resource, as code the user can paste into the options that cover it. */
export function leaveOut(scope: IConstruct): string {
  return `leave it out of merged tracing (excludeConstructPaths: ['${scope.node.path}'])`;
}

/** The refusals already recorded in an app, so a stack-wide one met by each of its functions is reported once. */
const RECORDED_REFUSALS = new HiddenProperty<Set<string>>('RecordedRefusals');

/**
 * Instruments one resource; a refusal (a MergedTracingError) is recorded on the resource as a construct validation
 * error instead of stopping the app, so one synthesis reports every refused resource: CDK validates the whole tree
 * after the aspects ran and fails synthesis with all of them ("Validation failed with the following errors: ...").
 */
export function reportingRefusals(resource: IConstruct, instrument: () => void): void {
  try {
    instrument();
  } catch (e) {
    if (!(e instanceof MergedTracingError)) throw e;
    const root = resource.node.root;
    let recorded = RECORDED_REFUSALS.get(root);
    if (!recorded) {
      recorded = new Set();
      RECORDED_REFUSALS.set(root, recorded);
    }
    if (recorded.has(e.message)) return;
    recorded.add(e.message);
    resource.node.addValidation({ validate: () => [e.message] });
  }
}

/**
 * A refusal that can only be known once the app is built (the user may still add containers, commands, ...): `problem`
 * runs when CDK validates the tree, and its message, if any, fails synthesis with the other refusals.
 */
export function refuseOnceBuilt(scope: IConstruct, problem: () => string | undefined): void {
  scope.node.addValidation({ validate: () => [problem()].filter((p): p is string => p !== undefined) });
}

/** Stable annotation id for a finding. */
export function ruleId(rule: string): string {
  return `cdk-trace-merging:${rule}`;
}
