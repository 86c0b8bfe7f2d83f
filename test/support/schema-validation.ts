/**
 * Validates synthesized CloudFormation templates against the resource schemas shipped in
 * @aws-cdk/aws-service-spec: every resource type exists, every property exists on its type (or on the
 * property type it nests in), has a compatible shape, and required properties are present.
 * Intrinsics (Ref, Fn::*, Condition) are accepted wherever a value is.
 *
 * The spec database takes about a second to load and holds far more than validation needs (docs,
 * metrics, events), so the first load writes a compact projection to node_modules/.cache and every
 * later load (each jest test file has its own module registry) parses only that.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A property's type, as the spec writes it, without documentation. */
export type SpecType =
  | { readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { readonly type: 'array' | 'map'; readonly element: SpecType }
  | { readonly type: 'union'; readonly types: SpecType[] }
  | { readonly type: 'ref'; readonly id: string };

/** One property: its type and earlier types (CDK may still emit those), and whether it is required. */
export interface SpecProperty {
  readonly types: SpecType[];
  readonly required?: boolean;
}

export type SpecProperties = Record<string, SpecProperty>;

/** What validation needs from the spec: properties per resource type and per property type. */
export interface CompactSpec {
  readonly version: string;
  readonly resources: Record<string, SpecProperties>;
  readonly types: Record<string, { readonly name: string; readonly properties: SpecProperties }>;
}

const FORMAT = 2;
const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions',
  'Transform', 'Resources', 'Outputs', 'Hooks',
]);
const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy',
  'UpdatePolicy', 'CreationPolicy',
]);

let loaded: CompactSpec | undefined; // one per test file (module registry): test support, not library code

/** The compact spec, built from the spec database once per installed version and cached on disk. */
export function compactSpec(): CompactSpec {
  if (loaded) return loaded;
  const specPackage = require.resolve('@aws-cdk/aws-service-spec/package.json');
  const version = `${JSON.parse(fs.readFileSync(specPackage, 'utf-8')).version}-f${FORMAT}`;
  const cacheFile = path.join(cacheDir(), `aws-service-spec-${version}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf-8')) as CompactSpec;
    if (cached.version === version) return (loaded = cached);
  } catch {
    // no cache yet (or a half-written one): build it below
  }
  loaded = buildCompactSpec(version);
  // Write-then-rename, so a parallel jest worker never reads half a file.
  const temp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(loaded));
  fs.renameSync(temp, cacheFile);
  return loaded;
}

function cacheDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdk-trace-merging'), path.join(os.tmpdir(), 'cdk-trace-merging')];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      // read-only: try the next one
    }
  }
  return os.tmpdir();
}

function buildCompactSpec(version: string): CompactSpec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec') as typeof import('@aws-cdk/aws-service-spec');
  const db = loadAwsServiceSpecSync();
  const resources: Record<string, SpecProperties> = {};
  const types: Record<string, { name: string; properties: SpecProperties }> = {};
  for (const resource of db.all('resource')) resources[resource.cloudFormationType] = compactProperties(resource.properties);
  for (const type of db.all('typeDefinition')) types[type.$id] = { name: type.name, properties: compactProperties(type.properties) };
  return { version, resources, types };
}

type RawType = import('@aws-cdk/service-spec-types').PropertyType;

function compactProperties(properties: Record<string, { type: RawType; previousTypes?: RawType[]; required?: boolean }>): SpecProperties {
  const out: Record<string, SpecProperty> = {};
  for (const [name, p] of Object.entries(properties)) {
    out[name] = { types: [p.type, ...(p.previousTypes ?? [])].map(compactType), ...(p.required ? { required: true } : {}) };
  }
  return out;
}

function compactType(t: RawType): SpecType {
  switch (t.type) {
    case 'array':
    case 'map':
      return { type: t.type, element: compactType(t.element) };
    case 'union':
      return { type: 'union', types: t.types.map(compactType) };
    case 'ref':
      return { type: 'ref', id: t.reference.$ref };
    default:
      return { type: t.type };
  }
}

/** `{ Ref }`, `{ Fn::... }` or `{ Condition }`: a value CloudFormation computes, accepted anywhere. */
export function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** Problems of a template against the spec, each naming the path of the offending value; empty when valid. */
export function validateTemplate(template: unknown, spec: CompactSpec = compactSpec()): string[] {
  const problems: string[] = [];
  if (!isObject(template)) return ['the template is not a JSON object'];
  for (const section of Object.keys(template)) {
    if (!TEMPLATE_SECTIONS.has(section)) problems.push(`${section}: not a template section`);
  }
  const resources = template.Resources ?? {};
  if (!isObject(resources)) return [...problems, 'Resources: not an object'];
  for (const [logicalId, resource] of Object.entries(resources)) {
    problems.push(...validateResource(`Resources.${logicalId}`, resource, spec));
  }
  return problems;
}

function validateResource(where: string, resource: unknown, spec: CompactSpec): string[] {
  if (!isObject(resource)) return [`${where}: not an object`];
  const problems: string[] = [];
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) problems.push(`${where}.${key}: not a resource attribute`);
  }
  const type = resource.Type;
  if (typeof type !== 'string') return [...problems, `${where}.Type: missing`];
  // Custom resources take whatever their provider reads; CDK's version-reporting resource (what `cdk synth`
  // adds by default) is accepted by CloudFormation but has no published schema.
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || type === 'AWS::CDK::Metadata') return problems;
  const properties = spec.resources[type];
  if (!properties) return [...problems, `${where}.Type: '${type}' is not a CloudFormation resource type`];
  const given = resource.Properties ?? {};
  if (isIntrinsic(given)) return problems;
  if (!isObject(given)) return [...problems, `${where}.Properties: not an object`];
  problems.push(...validateObject(`${where}.Properties`, given, properties, spec, type));
  return problems;
}

function validateObject(where: string, value: Record<string, unknown>, properties: SpecProperties, spec: CompactSpec, typeName: string): string[] {
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && value[name] === undefined) problems.push(`${where}.${name}: required by ${typeName}, missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${where}.${name}: ${typeName} has no property '${name}'`);
      continue;
    }
    const results = property.types.map((t) => validateValue(`${where}.${name}`, v, t, spec));
    if (!results.some((r) => r.length === 0)) problems.push(...results[0]);
  }
  return problems;
}

function validateValue(where: string, value: unknown, type: SpecType, spec: CompactSpec): string[] {
  if (isIntrinsic(value)) return [];
  const wrong = (expected: string) => [`${where}: expected ${expected}, got ${describe(value)}`];
  switch (type.type) {
    case 'json':
      return [];
    case 'string':
    case 'date-time':
      // CloudFormation turns numbers and booleans into strings.
      return ['string', 'number', 'boolean'].includes(typeof value) ? [] : wrong('a string');
    case 'number':
    case 'integer':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))) ? [] : wrong(`a ${type.type}`);
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : wrong('a boolean');
    case 'null':
      return value === null ? [] : wrong('null');
    case 'tag':
      return isObject(value) && Object.keys(value).every((k) => k === 'Key' || k === 'Value') && value.Key !== undefined
        ? [] : wrong('a tag { Key, Value }');
    case 'array':
      if (!Array.isArray(value)) return wrong('an array');
      return value.flatMap((e, i) => validateValue(`${where}[${i}]`, e, type.element, spec));
    case 'map':
      if (!isObject(value)) return wrong('a map');
      return Object.entries(value).flatMap(([k, e]) => validateValue(`${where}.${k}`, e, type.element, spec));
    case 'union': {
      const results = type.types.map((t) => validateValue(where, value, t, spec));
      return results.some((r) => r.length === 0) ? [] : results[0];
    }
    case 'ref': {
      if (!isObject(value)) return wrong('an object');
      const definition = spec.types[type.id];
      if (!definition) return [`${where}: unknown property type ${type.id} in the spec`];
      return validateObject(where, value, definition.properties, spec, `property type ${definition.name}`);
    }
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
