/**
 * What a value in a synthesized template points at: another resource of the same template (`Ref`,
 * `Fn::GetAtt`, `${Id}` in `Fn::Sub`), an export of another stack (`Fn::ImportValue`), or a resource
 * named by its ARN (imported resources, CfnInclude templates with literal ARNs).
 */
export type Reference =
  | { readonly kind: 'local'; readonly logicalId: string; readonly attribute?: string }
  | { readonly kind: 'import'; readonly exportName: string }
  | { readonly kind: 'arn'; readonly arn: string };

/** Services whose ARNs can be hop ends on the trace map. */
const ARN = /arn:(?:aws[\w-]*|\$\{AWS::Partition\}):(lambda|sqs|sns|states|kinesis|dynamodb|events):[^"\s,]*/g;

/** An ARN with neither region nor account after its service. */
const SERVICE_INTEGRATION = /:(lambda|sqs|sns|states|kinesis|dynamodb|events)::/;

/** Every reference inside `value`, in document order (duplicates kept: callers dedupe where it matters). */
export function referencesIn(value: unknown): Reference[] {
  const found: Reference[] = [];
  collect(value, found);
  return found;
}

function collect(value: unknown, found: Reference[]): void {
  if (typeof value === 'string') {
    for (const arn of arnsIn(value)) found.push({ kind: 'arn', arn });
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = object[key];
    if (key === 'Ref' && typeof arg === 'string') {
      if (!arg.startsWith('AWS::')) found.push({ kind: 'local', logicalId: arg });
      return;
    }
    if (key === 'Fn::GetAtt') {
      const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (arg as unknown[]).map(String);
      found.push({ kind: 'local', logicalId, attribute });
      return;
    }
    if (key === 'Fn::ImportValue' && typeof arg === 'string') {
      found.push({ kind: 'import', exportName: arg });
      return;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
      subReferences(String(text), variables ?? {}, found);
      return;
    }
    if (key === 'Fn::Join') {
      // An ARN built from pseudo parameters and text (Function.fromFunctionName and friends): one ARN, readable.
      const arn = joinedArn(arg);
      if (arn !== undefined) {
        found.push({ kind: 'arn', arn });
        return;
      }
    }
  }
  for (const key of keys) collect(object[key], found);
}

/** `${Id}` and `${Id.Attr}` in a Fn::Sub string (not `${!Literal}`, pseudo parameters or its own variables). */
function subReferences(text: string, variables: Record<string, unknown>, found: Reference[]): void {
  for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
    if (name in variables) continue;
    if (name.startsWith('AWS::')) continue;
    const [logicalId, attribute] = splitOnce(name, '.');
    found.push({ kind: 'local', logicalId, attribute });
  }
  for (const arn of arnsIn(text.replace(/\$\{(?!AWS::)[^}]*\}/g, '""'))) found.push({ kind: 'arn', arn });
  for (const value of Object.values(variables)) collect(value, found);
}

/** The ARN a Fn::Join spells out of text and pseudo parameters only, `${AWS::Partition}` kept readable. */
function joinedArn(arg: unknown): string | undefined {
  if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
  const parts: string[] = [];
  for (const part of arg[1] as unknown[]) {
    if (typeof part === 'string') parts.push(part);
    else if (isPseudoRef(part)) parts.push(`\${${(part as { Ref: string }).Ref}}`);
    else return undefined;
  }
  const text = parts.join(arg[0]);
  const match = text.match(ARN);
  return match && match.length === 1 && match[0] === text ? text : undefined;
}

function isPseudoRef(value: unknown): boolean {
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  return typeof ref === 'string' && ref.startsWith('AWS::') && Object.keys(value as object).length === 1;
}

/**
 * The resource ARNs in text, each cut before a closing quote or bracket of the surrounding JSON. Service integration
 * ARNs (`arn:aws:states:::lambda:invoke`: no region, no account) name an API, not a resource.
 */
function arnsIn(text: string): string[] {
  return (text.match(ARN) ?? []).filter((arn) => !SERVICE_INTEGRATION.test(arn)).map((arn) => arn.replace(/[\]}'):]+$/, ''));
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
