import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Properties } from './properties';
import { DATADOG_LAYER_ACCOUNTS } from '../datadog/layers';
import { LAYER_REGIONS } from '../datadog/region-layers';

/** A resource as synthesized, with the constructs it came from. */
export interface SynthesizedResource {
  readonly type: string;
  /** Its properties as written in the template (escape hatches and overrides included). */
  readonly properties: Properties;
  readonly cfn: CfnResource;
  /** Its logical id in the template that holds it. */
  readonly logicalId: string;
  /** The construct users know it by: the L2 when the L1 is its default child. */
  readonly owner: IConstruct;
  /** The stack whose template holds it (a nested stack's own, for resources in nested stacks). */
  readonly stack: Stack;
  /** Every resource of the template, as written (the network rules read subnets, routes and endpoints from it). */
  readonly templateResources: Readonly<Record<string, { readonly Type?: string; readonly Properties?: Properties }>>;
  /** Names of the template's mappings that hold Datadog's layer account per partition or layer versions per region. */
  readonly datadogMappings: ReadonlySet<string>;
  /**
   * For a resource that holds several checked things (a Kubernetes manifest's workloads): the one this entry is, with
   * how the report names it beside the construct path. Undefined for the resource itself, or a part it could not read.
   */
  readonly part?: ResourcePart;
}

/** One checked thing inside a resource. */
export interface ResourcePart {
  /** How the report names it after the resource's construct path ("Deployment default/web"). */
  readonly label: string;
  readonly content: unknown;
}

/** How the report and the trace map name a resource: its construct path, and the part it is, if one. */
export function reportedPath(resource: SynthesizedResource): string {
  return resource.part ? `${resource.owner.node.path} (${resource.part.label})` : resource.owner.node.path;
}

/** A synthesized template as read from the cloud assembly. */
export interface TemplateJson {
  readonly Resources?: Record<string, { Type?: string; Properties?: Properties }>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly Mappings?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
}

/** One template of a stack (its own, or a nested stack's), with its resources of the wanted types. */
export interface SynthesizedTemplate {
  readonly file: string;
  readonly stack: Stack;
  /** For a nested stack's template: the parent's template and the logical id of the AWS::CloudFormation::Stack there. */
  readonly nestedIn?: { readonly file: string; readonly logicalId: string };
  readonly json: TemplateJson;
  readonly resources: SynthesizedResource[];
}

/**
 * The templates of a stack (its own when `ownTemplate` says so or it holds resources of the given types, and its
 * nested stacks' that hold such resources), with those resources. Each template is read once; the construct tree only maps logical ids to
 * constructs: it is walked once, and only resources of the wanted types get their logical id resolved.
 */
export function synthesizedTemplates(stack: Stack, templatePath: string, types: ReadonlySet<string>, ownTemplate: boolean): SynthesizedTemplate[] {
  const byStack = new Map<Stack, CfnResource[]>(ownTemplate ? [[stack, []]] : []);
  collect(stack, types, byStack, ownTemplate);
  const result: SynthesizedTemplate[] = [];
  const directory = path.dirname(templatePath);
  const fileOf = (s: Stack) => (s === stack ? templatePath : NestedStack.isNestedStack(s) ? path.join(directory, s.templateFile) : undefined);
  for (const [owningStack, resources] of byStack) {
    const file = fileOf(owningStack);
    if (file === undefined || !fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf-8')) as TemplateJson;
    const datadogMappings = new Set(Object.entries(json.Mappings ?? {})
      .filter(([, content]) => isDatadogAccountMapping(content) || isDatadogVersionMapping(content)).map(([name]) => name));
    const found: SynthesizedResource[] = [];
    for (const cfn of resources) {
      const logicalId = owningStack.resolve(cfn.logicalId) as string;
      const definition = json.Resources?.[logicalId];
      if (!definition) continue;
      found.push({
        type: cfn.cfnResourceType,
        properties: definition.Properties ?? {},
        cfn,
        logicalId,
        owner: ownerOf(cfn),
        stack: owningStack,
        templateResources: json.Resources ?? {},
        datadogMappings,
      });
    }
    result.push({ file, stack: owningStack, json, resources: found, nestedIn: nestedIn(owningStack, fileOf) });
  }
  return result;
}

/** The resources of the given types in a stack's synthesized template and in its nested stacks' templates. */
export function synthesizedResources(stack: Stack, templatePath: string, types: ReadonlySet<string>): SynthesizedResource[] {
  return synthesizedTemplates(stack, templatePath, types, false).flatMap((t) => t.resources);
}

/** Walks the stack's constructs (not into nested Stages, which have their own templates); `everyNested` keeps every nested stack. */
function collect(scope: IConstruct, types: ReadonlySet<string>, byStack: Map<Stack, CfnResource[]>, everyNested: boolean): void {
  for (const child of scope.node.children) {
    if (Stage.isStage(child)) continue;
    if (everyNested && NestedStack.isNestedStack(child) && !byStack.has(child)) byStack.set(child, []);
    if (CfnResource.isCfnResource(child) && types.has(child.cfnResourceType)) {
      const owningStack = Stack.of(child);
      const list = byStack.get(owningStack);
      if (list) list.push(child); else byStack.set(owningStack, [child]);
    }
    collect(child, types, byStack, everyNested);
  }
}

/** Where a nested stack's template is included: its parent's template and the AWS::CloudFormation::Stack resource there. */
function nestedIn(stack: Stack, fileOf: (s: Stack) => string | undefined): SynthesizedTemplate['nestedIn'] {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  const file = parent && fileOf(parent);
  return file && resource ? { file, logicalId: parent.resolve(resource.logicalId) as string } : undefined;
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

/** lib/datadog/layers.ts's per-region versions: region keys, each holding layer keys with version numbers. */
function isDatadogVersionMapping(content: unknown): boolean {
  const regions = Object.entries((content ?? {}) as Record<string, unknown>);
  return regions.length > 0 && regions.every(([region, layers]) => LAYER_REGIONS.includes(region)
    && Object.values((layers ?? {}) as Record<string, unknown>).every((v) => typeof v === 'string' && /^\d+$/.test(v)));
}

/** The construct at a path below `root` (a stack's construct path as the validation context gives it). */
export function constructAt(root: IConstruct, constructPath: string): IConstruct | undefined {
  let current: IConstruct | undefined = root;
  for (const id of constructPath.split('/').filter((p) => p !== '')) {
    current = current?.node.tryFindChild(id);
  }
  return current;
}
