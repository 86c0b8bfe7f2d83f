import { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CheckedScopes, CheckSettings } from './checked-scopes';
import { MergedTracingCheckerOptions } from './checker-options';
import { RULE_NAMES } from './rules/index';
import { TraceMergingPlugin } from './trace-merging-plugin';
import { MergedTracingError, ruleId } from '../common/errors';

const RULE_PREFIX = ruleId('');

/**
 * Checks, without changing anything, that every Lambda function, REST API stage, state machine and
 * HTTP API in a scope is wired for merged X-Ray + Datadog traces, including resources this library did
 * not create. It runs as a CDK policy-validation plugin (named `cdk-trace-merging`) after synthesis and
 * reads the synthesized templates, escape-hatch overrides included. Errors fail synthesis; warnings are
 * listed in CDK's validation report; both are acknowledged with
 * `Validations.of(scope).acknowledge({ id: 'cdk-trace-merging:<Rule>', reason })`. Synthesis also writes
 * trace-merging-report.json and trace-merging-report.md into the app's output directory.
 *
 * Use `MergedTracingChecker.applyTo(scope, options)`; adding it as an aspect
 * (`Aspects.of(scope).add(checker)`) still works and checks the scopes it visits. Where several
 * checkers cover a resource, the nearest one (deepest scope) checks it.
 */
export class MergedTracingChecker implements IAspect {
  /**
   * Checks `scope` and everything below it, nested Stages included (also those created after this call).
   * `scope` must be in an App: CDK runs validation plugins when an App synthesizes.
   */
  public static applyTo(scope: IConstruct, options: MergedTracingCheckerOptions = {}): MergedTracingChecker {
    const checker = new MergedTracingChecker(options);
    checker._cover(scope);
    return checker;
  }

  /** The names of every rule, as used in finding ids and in `downgradeToWarning` / `disabledRules`. */
  public static ruleNames(): string[] {
    return [...RULE_NAMES];
  }

  private readonly settings: CheckSettings;
  private readonly covered = new Set<IConstruct>();

  /**
   * @param options what to expect and how to report; rule names are checked here.
   */
  constructor(options: MergedTracingCheckerOptions = {}) {
    const paths = (options.excludeConstructPaths ?? []).map((p) => p.replace(/^\//, ''));
    this.settings = {
      options,
      downgraded: ruleSet(options.downgradeToWarning, 'downgradeToWarning'),
      disabled: ruleSet(options.disabledRules, 'disabledRules'),
      exclusionOf: (path) => {
        const byPath = paths.find((p) => path === p || path.startsWith(p + '/'));
        return byPath === undefined ? undefined : `excludeConstructPaths '${byPath}' (MergedTracingChecker options)`;
      },
    };
  }

  /** As an aspect: checks the scope it was added to (the first node it visits below no covered one). */
  public visit(node: IConstruct): void {
    for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
      if (this.covered.has(current)) return;
    }
    this._cover(node);
  }

  /** @internal Checks `scope` and everything below it. */
  public _cover(scope: IConstruct): void {
    if (this.covered.has(scope)) return;
    this.covered.add(scope);
    CheckedScopes.of(scope, (scopes) => new TraceMergingPlugin(scopes))?.add(scope, this.settings);
  }
}

function ruleSet(names: string[] | undefined, option: string): Set<string> {
  const set = new Set<string>();
  for (const raw of names ?? []) {
    const name = raw.startsWith(RULE_PREFIX) ? raw.slice(RULE_PREFIX.length) : raw;
    if (!RULE_NAMES.includes(name)) {
      throw new MergedTracingError('MergedTracingChecker options', `${option} names an unknown rule '${raw}'.`,
        `Use one of ${RULE_NAMES.join(', ')}.`);
    }
    set.add(name);
  }
  return set;
}
