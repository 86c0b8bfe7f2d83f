import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Properties } from './rules/rule';
import { DATADOG_LAYER_ACCOUNTS } from '../datadog/layers';
import { LAYER_REGIONS } from '../datadog/region-layers';

/** A resource as synthesized, with the constructs it came from. */
export interface SynthesizedResource {
  readonly type: string;
  /** Its properties as written in the template (escape hatches and overrides included). */
  readonly properties: Properties;
  readonly cfn: CfnResource;
  /** The construct users know it by: the L2 when the L1 is its default child. */
  readonly owner: IConstruct;
  /** The stack whose template holds it (a nested stack's own, for resources in nested stacks). */
  readonly stack: Stack;
  /** Every resource of the template, as written (the network rules read subnets, routes and endpoints from it). */
  readonly templateResources: Readonly<Record<string, { readonly Type?: string; readonly Properties?: Properties }>>;
  /** Names of the template's mappings that hold Datadog's layer account per partition or layer versions per region. */
  readonly datadogMappings: ReadonlySet<string>;
}

interface Template {
  readonly Resources?: Record<string, { Type?: string; Properties?: Properties }>;
  readonly Mappings?: Record<string, unknown>;
}

/**
 * The resources of the given types in a stack's synthesized template and in its nested stacks'
 * templates. Each template is read once; the construct tree only maps logical ids to constructs:
 * it is walked once, and only resources of the wanted types get their logical id resolved.
 */
export function synthesizedResources(stack: Stack, templatePath: string, types: ReadonlySet<string>): SynthesizedResource[] {
  const byStack = new Map<Stack, CfnResource[]>();
  collect(stack, types, byStack);
  const result: SynthesizedResource[] = [];
  const directory = path.dirname(templatePath);
  for (const [owningStack, resources] of byStack) {
    const file = owningStack === stack ? templatePath
      : NestedStack.isNestedStack(owningStack) ? path.join(directory, owningStack.templateFile) : undefined;
    if (file === undefined || !fs.existsSync(file)) continue;
    const template = JSON.parse(fs.readFileSync(file, 'utf-8')) as Template;
    const datadogMappings = new Set(Object.entries(template.Mappings ?? {})
      .filter(([, content]) => isDatadogAccountMapping(content) || isDatadogVersionMapping(content)).map(([name]) => name));
    for (const cfn of resources) {
      const definition = template.Resources?.[owningStack.resolve(cfn.logicalId) as string];
      if (!definition) continue;
      result.push({
        type: cfn.cfnResourceType,
        properties: definition.Properties ?? {},
        cfn,
        owner: ownerOf(cfn),
        stack: owningStack,
        templateResources: template.Resources ?? {},
        datadogMappings,
      });
    }
  }
  return result;
}

/** Walks the stack's constructs (not into nested Stages, which have their own templates). */
function collect(scope: IConstruct, types: ReadonlySet<string>, byStack: Map<Stack, CfnResource[]>): void {
  for (const child of scope.node.children) {
    if (Stage.isStage(child)) continue;
    if (CfnResource.isCfnResource(child) && types.has(child.cfnResourceType)) {
      const owningStack = Stack.of(child);
      const list = byStack.get(owningStack);
      if (list) list.push(child); else byStack.set(owningStack, [child]);
    }
    collect(child, types, byStack);
  }
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
