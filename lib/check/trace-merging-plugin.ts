import * as path from 'path';
import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Token,
} from 'aws-cdk-lib';
import { Checked, checkedResource, mapNodeOf, statusOfChecked } from './checked-resource';
import { CheckedScopes } from './checked-scopes';
import { instrumentingFindings } from './instrumenting-findings';
import { DrawnResource } from './map/map-mermaid';
import { templateHops, TemplateHops } from './map/template-hops';
import { compare, MapNode, MappedEdge, traceMap } from './map/trace-map';
import { tracePaths } from './map/trace-paths';
import { resolvedEnv, xrayPolicyPlacement } from './placement';
import { CheckFinding, REPORT_JSON, REPORT_MARKDOWN, ReportEntry, ReportStatus, reportSummary, writeReport } from './report';
import { CHECKED_MAPPED_AND_POLICY_TYPES, KIND_BY_TYPE, LeftAlone, XRAY_RESOURCE_POLICY, XRAY_RESOURCE_POLICY_TYPE } from './resource-kinds';
import { runRules } from './resource-rules';
import { RULE_NAMES } from './rules/index';
import { xrayPolicyQuotaBreaches, xrayPolicyQuotaMessage, XRayResourcePolicyQuotaRule } from './rules/XRayResourcePolicyQuota';
import { constructAt, SynthesizedResource, synthesizedTemplates } from './synthesized-resources';
import { addEnvMismatches, addTraceBreaks } from './unit-findings';
import { ruleId } from '../common/errors';
import { nearestInstrumentingScope } from '../common/instrumenting-scopes';


/**
 * The policy-validation plugin behind MergedTracingChecker: the adapter between CDK and the checking. CDK calls it
 * after synthesis with the templates and the finished construct tree; it reads each template once
 * (synthesized-resources.ts), reads every resource through its kind's row (resource-kinds.ts) and runs that kind's
 * rules (resource-rules.ts), adds the findings that need a whole unit or the trace map (unit-findings.ts, map/),
 * returns errors and warnings as violations (errors fail synthesis), and writes the report into the cloud assembly.
 */
export class TraceMergingPlugin implements IPolicyValidationPlugin {
  public readonly name = 'cdk-trace-merging';
  public readonly ruleIds = RULE_NAMES.map(ruleId);

  /** The instrumenting warnings on each stack, by rule: read once per stack and validation. */
  private stackFindings = new Map<Stack, ReadonlyMap<string, CheckFinding>>();

  constructor(private readonly scopes: CheckedScopes) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.stackFindings = new Map();
    const checked: Checked[] = [];
    const seenTemplates: string[] = [];
    const policiesOfThisCall = new Set<string>();
    const mapped: Array<{ readonly stackTemplate: string; readonly hops: TemplateHops[]; readonly nodes: Array<[string, SynthesizedResource]> }> = [];
    for (const stackTemplate of context.stackTemplates) {
      const stack = constructAt(context.appConstruct, stackTemplate.stackConstructPath);
      if (!stack || !Stack.isStack(stack)) continue;
      // One walk of the stack: the X-Ray resource policies of every stack (the quota counts them all), and the checked
      // and mapped resources of the stacks a checker covers.
      const touched = this.scopes.touches(stackTemplate.stackConstructPath);
      const wanted = touched ? CHECKED_MAPPED_AND_POLICY_TYPES : XRAY_RESOURCE_POLICY;
      const templates = synthesizedTemplates(stack, stackTemplate.templatePath, wanted, touched);
      const resources = templates.flatMap((t) => t.resources);
      const policies = resources.filter((r) => r.type === XRAY_RESOURCE_POLICY_TYPE).map((r) => xrayPolicyPlacement(r));
      this.scopes.xrayPolicies.set(stackTemplate.templatePath, policies);
      for (const p of policies) policiesOfThisCall.add(p.path);
      if (!touched) continue;
      seenTemplates.push(stackTemplate.templatePath);
      // A resource holding several checked things (a manifest's workloads) is read as those, once: for the checks and the map.
      const expanded = templates.flatMap((t) => t.resources.flatMap((r) =>
        (KIND_BY_TYPE.get(r.type)?.parts?.(r) ?? [r]).map((part) => [t.file, part] as const)));
      mapped.push({
        stackTemplate: stackTemplate.templatePath,
        hops: templates.map((t) => templateHops(t.file, t.json, t.nestedIn && { template: t.nestedIn.file, logicalId: t.nestedIn.logicalId }, {
          account: Token.isUnresolved(t.stack.account) ? undefined : t.stack.account,
          region: Token.isUnresolved(t.stack.region) ? undefined : t.stack.region,
        })),
        nodes: expanded.filter(([, r]) => r.type !== XRAY_RESOURCE_POLICY_TYPE).map(([file, r]) =>
          [`${file}#${r.logicalId}${r.part ? `#${r.part.label}` : ''}`, r] as [string, SynthesizedResource]),
      });
      for (const [, resource] of expanded) {
        if (resource.type === XRAY_RESOURCE_POLICY_TYPE || !KIND_BY_TYPE.has(resource.type)) continue;
        const result = this.check(resource, stackTemplate.templatePath);
        if (result) checked.push(result);
      }
    }
    addEnvMismatches(checked);
    const statuses = new Map(checked.map((c) => [c, statusOfChecked(c)]));
    const byResource = new Map(checked.map((c) => [c.resource, c]));
    for (const part of mapped) {
      this.scopes.mapParts.set(part.stackTemplate, {
        hops: part.hops,
        nodes: part.nodes.map(([key, resource]) => [key, mapNodeOf(resource, byResource.get(resource), statuses)]),
      });
    }
    const parts = [...this.scopes.mapParts.values()];
    const map = traceMap(parts.flatMap((p) => p.hops), new Map(parts.flatMap((p) => p.nodes)));
    addTraceBreaks(checked, map.edges);

    const violations: PolicyViolation[] = [];
    for (const c of checked) {
      for (const finding of c.entry.findings) {
        if (finding.acknowledged || finding.instrumenting || finding.reportOnly) continue;
        violations.push({
          ruleName: ruleId(finding.rule),
          description: `${finding.description} [${ruleId(finding.rule)}]`,
          fix: finding.fix,
          severity: finding.level,
          violatingResources: [{ constructPath: c.resource.owner.node.path, locations: ['Properties'] }],
        });
      }
    }
    violations.push(...this.xrayPolicyQuotaViolations(policiesOfThisCall));
    this.report(seenTemplates, checked, statuses, map.edges, [...map.nodes.values()], map.unread);
    return { success: violations.every((v) => v.severity !== 'error'), violations };
  }

  /**
   * XRayResourcePolicyQuota over every template the app has shown the plugin so far (all of them by the last call;
   * aws-cdk-lib 2.262 calls once per account and region). A breach is reported by the call that shows one of its
   * policies, so a breach found again by a later call is not reported twice.
   */
  private xrayPolicyQuotaViolations(policiesOfThisCall: ReadonlySet<string>): PolicyViolation[] {
    const rule = XRayResourcePolicyQuotaRule.name;
    if (this.scopes.anySettings((s) => s.disabled.has(rule))) return [];
    const severity = this.scopes.anySettings((s) => s.downgraded.has(rule)) ? 'warning' : XRayResourcePolicyQuotaRule.severity;
    const breaches = xrayPolicyQuotaBreaches([...this.scopes.xrayPolicies.values()].flat())
      .filter((breach) => breach.policies.some((p) => policiesOfThisCall.has(p.path)));
    return breaches.map((breach) => {
      const { problem, fix } = xrayPolicyQuotaMessage(breach);
      return {
        ruleName: ruleId(rule),
        description: `${problem} [${ruleId(rule)}]`,
        fix,
        severity,
        violatingResources: breach.policies.map((p) => ({ constructPath: p.path, locations: ['Properties'] })),
      };
    });
  }

  private check(resource: SynthesizedResource, templatePath: string): Checked | undefined {
    const kind = KIND_BY_TYPE.get(resource.type)!;
    const ownerPath = resource.owner.node.path;
    const nearest = this.scopes.nearest(ownerPath);
    if (!nearest || kind.skip?.(resource)) return undefined;
    const settings = nearest.settings;
    // The options that instrument this resource (one set serves both): what they exclude is listed as excluded, and
    // their env is the one expected unless the checker was given its own.
    const instrumentedBy = nearestInstrumentingScope(resource.owner, ownerPath);
    const exclusion = settings.exclusionOf(ownerPath, resource.owner) ?? instrumentedBy?.exclusionOf(ownerPath, resource.owner);
    const leftAlone: LeftAlone | undefined = exclusion !== undefined ? { status: 'excluded', reason: exclusion } : kind.leftAlone?.(resource);
    const expected = {
      mode: settings.options.mode,
      env: resolvedEnv(resource.stack, settings.options.env ?? instrumentedBy?.env),
      envOrigins: {
        expectedIn: settings.options.env !== undefined ? settings.envGivenIn : instrumentedBy?.where,
        instrumentedBy: instrumentedBy && { env: instrumentedBy.env, where: instrumentedBy.where },
      },
    };
    const input = kind.input(resource, expected);
    // Findings the instrumenting already annotated on this resource are reported there, once.
    const instrumenting = instrumentingFindings(resource.owner, resource.cfn);
    if (leftAlone) return checkedResource(resource, settings, kind, input, templatePath, { findings: instrumenting, leftAlone });
    const results = runRules(resource, kind, input, settings, new Set(instrumenting.map((f) => f.rule)), this.toldOnStack(resource.stack));
    return checkedResource(resource, settings, kind, input, templatePath,
      { ...results, findings: [...instrumenting, ...results.findings], expectedEnv: expected.env, instrumentedBy });
  }

  private toldOnStack(stack: Stack): ReadonlyMap<string, CheckFinding> {
    let told = this.stackFindings.get(stack);
    if (!told) {
      told = new Map(instrumentingFindings(stack).map((f) => [f.rule, f]));
      this.stackFindings.set(stack, told);
    }
    return told;
  }

  /** Records this call's entries (a call may cover only some templates) and writes the whole report with the trace map. */
  private report(templates: string[], checked: Checked[], statuses: ReadonlyMap<Checked, ReportStatus>,
    edges: readonly MappedEdge[], mapNodes: MapNode[], unread: readonly string[]): void {
    for (const template of templates) this.scopes.reportEntries.set(template, []);
    for (const c of checked) {
      if (c.settings.options.writeReport === false) continue;
      const entry: ReportEntry = {
        ...c.entry,
        status: statuses.get(c)!,
        findings: c.entry.findings.map((f) => ({ rule: f.rule, level: f.level, message: f.message, acknowledged: f.acknowledged })),
      };
      this.scopes.reportEntries.get(c.templatePath)!.push(entry);
    }
    if (!this.scopes.writesReport) return;
    const entries = [...this.scopes.reportEntries.values()].flat();
    const listed = new Set(entries.map((e) => e.path));
    const others: DrawnResource[] = mapNodes.filter((n) => !listed.has(n.id)).map(({ id, kind, unit, stack }) => ({ id, kind, unit, stack }))
      .sort((a, b) => compare(a.id, b.id));
    writeReport(this.scopes.root.outdir, entries, { edges, paths: tracePaths(edges), others, unread });
    // Run by the CDK CLI (it sets CDK_OUTDIR for the app), say what the report found and where it is, once per
    // synthesis: the last line the app prints (with `cdk synth --quiet`, the last line of all).
    if (process.env.CDK_OUTDIR !== undefined && !this.scopes.reportAnnounced) {
      this.scopes.reportAnnounced = true;
      const where = path.join(this.scopes.root.outdir, REPORT_MARKDOWN);
      process.stderr.write(`Merged tracing report: ${reportSummary(entries)} Details: ${where} (and ${REPORT_JSON})\n`);
    }
  }
}
