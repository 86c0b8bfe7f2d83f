import { Annotations, AspectPriority, Aspects, CfnMapping, CfnResource, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { checkedProperties, renderOf } from './checked-properties';
import { MergedTracingCheckerOptions } from './checker-options';
import { ReportEntry, ReportFinding, TraceMergingReport } from './report';
import { MergedTracingError, ruleId } from '../common/errors';
import { HiddenProperty } from '../common/hidden-property';
import { failOnStagesOutOfReach } from '../common/late-stages';
import { EnvEntry, envMismatches, envMismatchMessage, EnvMismatchRule } from './rules/EnvMismatch';
import { functionFacts } from './rules/function-facts';
import { envTag } from './rules/FunctionDdEnv';
import { FUNCTION_RULES, HTTP_API_RULES, REST_STAGE_RULES, RULE_NAMES, STATE_MACHINE_RULES } from './rules/index';
import { literal, Rule, RuleResult, Severity } from './rules/rule';
import { isCdkInternalFunction, isCdkInternalStateMachine } from '../common/cdk-internal-functions';
import { nestedStages } from '../common/stages';
import { DATADOG_LAYER_ACCOUNTS } from '../datadog/layers';

const RULE_PREFIX = ruleId('');

/**
 * Checks, without changing anything, that every Lambda function, REST API stage, state machine and
 * HTTP API in a scope is wired for merged X-Ray + Datadog traces, including resources this library did
 * not create (it reads the synthesized CloudFormation properties, escape-hatch overrides included).
 * Findings are annotations `cdk-trace-merging:<RuleName>` on the offending construct; synthesis writes
 * trace-merging-report.json and trace-merging-report.md into the app's output directory.
 * A readonly aspect: add it with `AspectPriority.READONLY`, or use `MergedTracingChecker.applyTo`,
 * which also reaches nested Stages.
 */
export class MergedTracingChecker implements IAspect {
  /**
   * Adds the checker to `scope` and to every Stage below it (aspects do not cross Stage boundaries).
   * Call it after the Stages are created, e.g. at the end of the app.
   */
  public static applyTo(scope: IConstruct, options: MergedTracingCheckerOptions = {}): MergedTracingChecker {
    const checker = new MergedTracingChecker(options);
    for (const target of [scope, ...nestedStages(scope)]) {
      Aspects.of(target).add(checker, { priority: AspectPriority.READONLY });
    }
    failOnStagesOutOfReach(scope, (a) => a instanceof MergedTracingChecker, 'MergedTracingChecker.applyTo');
    return checker;
  }

  /** The names of every rule, as used in annotation ids and in `downgradeToWarning` / `disabledRules`. */
  public static ruleNames(): string[] {
    return [...RULE_NAMES];
  }

  private readonly options: MergedTracingCheckerOptions;
  private readonly downgraded: Set<string>;
  private readonly disabled: Set<string>;
  private readonly isExcluded: (path: string, construct: IConstruct) => boolean;
  /** Per stack: names of its mappings that hold Datadog's layer accounts (read once per stack). */
  private readonly accountMappings = new Map<Stack, ReadonlySet<string>>();

  /**
   * @param options what to expect and how to report; rule names are checked here.
   */
  constructor(options?: MergedTracingCheckerOptions);
  /** @internal */
  constructor(options: MergedTracingCheckerOptions, isExcluded: (path: string, construct: IConstruct) => boolean);
  constructor(options: MergedTracingCheckerOptions = {}, isExcluded?: (path: string, construct: IConstruct) => boolean) {
    this.options = options;
    this.downgraded = ruleSet(options.downgradeToWarning, 'downgradeToWarning');
    this.disabled = ruleSet(options.disabledRules, 'disabledRules');
    const paths = (options.excludeConstructPaths ?? []).map((p) => p.replace(/^\//, ''));
    this.isExcluded = (path, construct) =>
      paths.some((p) => path === p || path.startsWith(p + '/')) || (isExcluded?.(path, construct) ?? false);
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const owner = ownerOf(node);
    if (this.isExcluded(owner.node.path, owner)) return;
    if (node instanceof lambda.CfnFunction) {
      if (owner instanceof lambda.Function && isCdkInternalFunction(owner)) return;
      this.checkFunction(node, owner);
    } else if (node instanceof sfn.CfnStateMachine) {
      if (isCdkInternalStateMachine(node)) return;
      const props = checkedProperties(node);
      this.checkResource(node, owner, 'state machine', STATE_MACHINE_RULES, props, {}, envTag(props.Tags));
    } else if (node instanceof apigateway.CfnStage) {
      const props = checkedProperties(node);
      this.checkResource(node, owner, 'REST API stage', REST_STAGE_RULES, props, {}, envTag(props.Tags));
    } else if (node instanceof apigatewayv2.CfnApi) {
      this.checkResource(node, owner, 'HTTP API', HTTP_API_RULES, checkedProperties(node), {}, undefined);
    } else if (node instanceof ecs.CfnTaskDefinition) {
      // The host side (DatadogEcsTracing tags it): no rules of its own, but its env joins EnvMismatch.
      const props = checkedProperties(node);
      const env = envTag(props.Tags);
      if (env !== undefined) this.checkResource(node, owner, 'ECS task definition', [], props, {}, env);
    }
  }

  private checkFunction(cfn: lambda.CfnFunction, owner: IConstruct): void {
    const stack = Stack.of(cfn);
    const props = checkedProperties(cfn);
    const facts = functionFacts(props, { mode: this.options.mode, env: this.options.env }, {
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
      datadogAccountMappings: this.datadogAccountMappings(stack),
    });
    this.checkResource(cfn, owner, 'function', FUNCTION_RULES, facts, {
      runtime: facts.isImage ? 'container image' : facts.runtime,
      architecture: facts.isImage ? undefined : facts.arm64 ? 'arm64' : 'x86_64',
      mode: facts.mode,
    }, facts.env.DD_ENV);
  }

  /** Runs the rules on one resource, annotates the findings, records its report entry and its env. */
  private checkResource<T>(
    cfn: CfnResource, owner: IConstruct, noun: string, rules: ReadonlyArray<Rule<T>>, input: T,
    details: Partial<Pick<ReportEntry, 'runtime' | 'architecture' | 'mode'>>, env: unknown,
  ): void {
    const wired: string[] = [];
    const missing: string[] = [];
    const unknownRules: string[] = [];
    const findings: ReportFinding[] = [];
    for (const rule of rules) {
      if (this.disabled.has(rule.name)) continue;
      const result: RuleResult = rule.check(input);
      if (result.outcome === 'compliant') {
        wired.push(result.wired);
      } else if (result.outcome === 'non-compliant') {
        missing.push(rule.name);
        findings.push(this._annotate(owner, rule.name, rule.severity, `This ${noun} ${result.problem} ${result.fix}`));
      } else if (result.outcome === 'unknown') {
        unknownRules.push(rule.name);
        findings.push(this._annotate(owner, rule.name, 'warning',
          `This ${noun} cannot be checked for ${rule.name} at synth time: ${result.what} is only known at deployment. ` +
          'Make it a literal value, or check it yourself and acknowledge this warning.'));
      }
    }
    const stack = Stack.of(cfn);
    const stage = Stage.of(cfn);
    const unit = unitName(stage);
    const envText = literal(env);
    if (this.options.writeReport !== false) {
      TraceMergingReport.of(cfn)?.record({
        unit,
        stack: Token.isUnresolved(stack.stackName) ? stack.artifactId : stack.stackName,
        path: owner.node.path,
        kind: kindOf(noun),
        ...details,
        env: envText,
        wired,
        missing,
        unknown: unknownRules,
        findings,
      });
    }
    if (envText !== undefined && stage && !this.disabled.has(EnvMismatchRule.name)) {
      UnitEnvs.of(stage).add({ path: owner.node.path, env: envText }, owner, this);
      if (this.options.env !== undefined) UnitEnvs.of(stage).expectEnv(this.options.env);
    }
  }

  /** @internal Annotates one finding; errors become acknowledgeable warnings when downgraded. */
  public _annotate(target: IConstruct, rule: string, severity: Severity, message: string): ReportFinding {
    const id = ruleId(rule);
    if (severity === 'error' && !this.downgraded.has(rule)) {
      Annotations.of(target).addError(`${message} [${id}]`);
      return { rule, level: 'error', message };
    }
    Annotations.of(target).addWarningV2(id, message);
    return { rule, level: 'warning', message };
  }

  private datadogAccountMappings(stack: Stack): ReadonlySet<string> {
    let names = this.accountMappings.get(stack);
    if (!names) {
      names = new Set(stack.node.children.filter((c): c is CfnMapping => c instanceof CfnMapping)
        .flatMap((m) => Object.entries((stack.resolve(renderOf(m)) as { Mappings?: Record<string, unknown> }).Mappings ?? {}))
        .filter(([, content]) => isDatadogAccountMapping(content)).map(([name]) => name));
      this.accountMappings.set(stack, names);
    }
    return names;
  }
}

/**
 * The envs of one deployment unit's traced resources, compared once every resource was seen:
 * in a validation of the unit's Stage, which runs after all aspects. Kept on the Stage object, so it
 * lives and dies with the app and is shared by every checker that covers the unit.
 */
class UnitEnvs {
  public static of(stage: Stage): UnitEnvs {
    let existing = UNIT_ENVS.get(stage);
    if (!existing) {
      existing = new UnitEnvs(stage);
      UNIT_ENVS.set(stage, existing);
      stage.node.addValidation({ validate: () => { existing!.report(); return []; } });
    }
    return existing;
  }

  private readonly entries = new Map<string, { entry: EnvEntry; target: IConstruct; checker: MergedTracingChecker }>();
  private expectedEnv?: string;
  private reported = false;

  private constructor(private readonly stage: Stage) {}

  public add(entry: EnvEntry, target: IConstruct, checker: MergedTracingChecker): void {
    if (!this.entries.has(entry.path)) this.entries.set(entry.path, { entry, target, checker });
  }

  public expectEnv(env: string): void {
    this.expectedEnv ??= env;
  }

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    const unit = unitName(this.stage);
    const all = [...this.entries.values()];
    const byPath = new Map(all.map((e) => [e.entry.path, e]));
    for (const mismatch of envMismatches(all.map((e) => e.entry), this.expectedEnv)) {
      const { entry, target, checker } = byPath.get(mismatch.entry.path)!;
      const { problem, fix } = envMismatchMessage(mismatch, unit);
      const finding = checker._annotate(target, EnvMismatchRule.name, EnvMismatchRule.severity, `This resource ${problem} ${fix}`);
      TraceMergingReport.of(target)?.addFinding(entry.path, finding);
    }
  }
}

const UNIT_ENVS = new HiddenProperty<UnitEnvs>('UnitEnvs');

function unitName(stage: Stage | undefined): string {
  return stage?.node.path ? stage.node.path : 'the app';
}

function kindOf(noun: string): string {
  return noun === 'function' ? 'Lambda function' : noun.charAt(0).toUpperCase() + noun.slice(1);
}

/** The construct users know the resource by: the L2 when the L1 is its default child. */
function ownerOf(cfn: CfnResource): IConstruct {
  const parent = cfn.node.scope;
  return parent && parent.node.defaultChild === cfn && !Stack.isStack(parent) ? parent : cfn;
}

function isDatadogAccountMapping(content: unknown): boolean {
  return Object.entries(DATADOG_LAYER_ACCOUNTS).every(
    ([partition, account]) => (content as Record<string, Record<string, unknown> | undefined>)?.[partition]?.account === account);
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
