import { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TraceMergingCheckOptions } from './check-options';
import { CheckedScopes, CheckSettings } from './checked-scopes';
import { RULE_NAMES } from './rules/index';
import { TraceMergingPlugin } from './trace-merging-plugin';
import { MergedTracingError, ruleId } from '../common/errors';

const RULE_PREFIX = ruleId('');

/**
 * The checking behind TraceMerging (internal: users call `TraceMerging.applyTo` or `TraceMerging.check`, and
 * MergedTracingStack and DatadogTracedFunction check themselves). Checks, without changing anything, that every Lambda
 * function, REST API stage, state machine, GraphQL API, SNS topic, HTTP API and traced host in a scope is wired for
 * merged X-Ray + Datadog traces, including resources this library did not create. It runs as a CDK policy-validation
 * plugin (named `cdk-trace-merging`) after synthesis and reads the synthesized templates, escape-hatch overrides
 * included. Where several checks cover a resource, the nearest one (deepest scope) checks it; a fallback check (a
 * DatadogTracedFunction's own) only where no other covers it.
 */
export class MergedTracingChecker implements IAspect {
  /**
   * Checks `scope` and everything below it, nested Stages included (also those created after this call).
   * `scope` must be in an App: CDK runs validation plugins when an App synthesizes.
   */
  public static applyTo(scope: IConstruct, options: TraceMergingCheckOptions = {}, envGivenIn?: string): MergedTracingChecker {
    const checker = new MergedTracingChecker(options, envGivenIn);
    checker._cover(scope);
    return checker;
  }

  /** Checks `scope` only where no other check covers it (a construct that instruments itself, in any stack). */
  public static asFallback(scope: IConstruct, options: TraceMergingCheckOptions = {}, envGivenIn?: string): void {
    new MergedTracingChecker(options, envGivenIn)._cover(scope, { fallback: true });
  }

  /** The names of every rule, as used in finding ids and in `downgradeToWarning` / `disabledRules`. */
  public static ruleNames(): string[] {
    return [...RULE_NAMES];
  }

  private readonly settings: CheckSettings;
  private readonly covered = new Set<IConstruct>();

  /**
   * @param options what to expect and how to report; rule names are checked here.
   * @param envGivenIn where `options.env` was given, for fixes ("the options given at the app")
   */
  constructor(options: TraceMergingCheckOptions = {}, envGivenIn = 'the check options') {
    const paths = (options.excludeConstructPaths ?? []).map((p) => p.replace(/^\//, ''));
    const named = ruleSet(options.disabledRules, 'disabledRules');
    // Checks turned off: no rule runs, not even the app-wide ones (the X-Ray resource policy quota).
    const disabled = options.enabled === false ? new Set(RULE_NAMES) : named;
    this.settings = {
      options,
      envGivenIn,
      downgraded: ruleSet(options.downgradeToWarning, 'downgradeToWarning'),
      disabled,
      exclusionOf: (path) => {
        if (options.enabled === false) return 'not checked: the checks were turned off (enabled: false in the check options)';
        const byPath = paths.find((p) => path === p || path.startsWith(p + '/'));
        return byPath === undefined ? undefined : `excludeConstructPaths '${byPath}' (check options)`;
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
  public _cover(scope: IConstruct, how: { readonly fallback?: boolean } = {}): void {
    if (this.covered.has(scope)) return;
    this.covered.add(scope);
    CheckedScopes.of(scope, (scopes) => new TraceMergingPlugin(scopes))?.add(scope, this.settings, how.fallback === true);
  }
}

function ruleSet(names: string[] | undefined, option: string): Set<string> {
  const set = new Set<string>();
  for (const raw of names ?? []) {
    const name = raw.startsWith(RULE_PREFIX) ? raw.slice(RULE_PREFIX.length) : raw;
    if (!RULE_NAMES.includes(name)) {
      throw new MergedTracingError('TraceMerging check options', `${option} names an unknown rule '${raw}'.`,
        `Use one of ${RULE_NAMES.join(', ')}.`);
    }
    set.add(name);
  }
  return set;
}
