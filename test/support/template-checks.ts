/**
 * Checks every synthesized template must pass, whatever the test: valid against the CloudFormation
 * resource schemas, and no Datadog API key in plaintext unless the options opted in with
 * allowPlaintextApiKey. test/support/setup-template-checks.ts runs them on every synthesis in the suite.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { validateTemplate } from './schema-validation';
import { InstrumentationMarker } from '../../lib/instrument/lambda/instrumentation-marker';

/** A Datadog-API-key-shaped value for tests of plaintext keys: any template holding it must have opted in. */
export const PLAINTEXT_KEY_SENTINEL = 'ddplaintextsentinel0123456789abc';

/** Variables that carry the Datadog API key itself (not a pointer to it). */
const PLAINTEXT_KEY_VARS = ['DD_API_KEY'];
/** A dynamic reference resolves the secret into the property: in an env var, that is plaintext in the console. */
const SECRET_DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure):/;

/** One problem per line, each naming the stack and where in the template; empty when all is well. */
export function checkAssembly(stage: Stage, assembly: cxapi.CloudAssembly): string[] {
  const optedIn = plaintextKeysOptedIn(stage);
  const problems: string[] = [];
  const nestedDirs = new Set<string>();
  for (const stack of assembly.stacksRecursively) {
    problems.push(...checkTemplate(stack.template, optedIn).map((p) => `${stack.hierarchicalId}: ${p}`));
    nestedDirs.add(stack.assembly.directory);
  }
  for (const dir of nestedDirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.nested.template.json'))) {
      const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
      problems.push(...checkTemplate(template, optedIn).map((p) => `${file}: ${p}`));
    }
  }
  return problems;
}

/** Schema and plaintext-key problems of one template. */
export function checkTemplate(template: unknown, optedIn: ReadonlySet<string> = new Set()): string[] {
  return [...validateTemplate(template), ...plaintextKeyProblems(template, optedIn)];
}

/** The plaintext keys that options with allowPlaintextApiKey: true put into functions of this app. */
export function plaintextKeysOptedIn(root: IConstruct): Set<string> {
  const keys = new Set<string>();
  for (const node of root.node.findAll()) {
    const signature = InstrumentationMarker.signatureOf(node);
    if (signature === undefined) continue;
    const options = JSON.parse(signature) as { apiKey?: unknown; allowPlaintextApiKey?: unknown };
    if (options.allowPlaintextApiKey === true && typeof options.apiKey === 'string') keys.add(options.apiKey);
  }
  return keys;
}

/** Plaintext API keys that were not opted in, and secrets resolved into environment variables. */
export function plaintextKeyProblems(template: unknown, optedIn: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const resources = (template as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> }).Resources ?? {};
  for (const [id, resource] of Object.entries(resources)) {
    for (const [name, value] of environmentOf(resource.Type, resource.Properties)) {
      const where = `Resources.${id} environment ${name}`;
      if (PLAINTEXT_KEY_VARS.includes(name) && !(typeof value === 'string' && optedIn.has(value))) {
        problems.push(`${where}: a Datadog API key in plaintext, but no merged-tracing options opted in with allowPlaintextApiKey`);
      }
      if (SECRET_DYNAMIC_REFERENCE.test(JSON.stringify(value))) {
        problems.push(`${where}: a secret resolved into an environment variable (readable in plaintext in the console)`);
      }
    }
  }
  if (JSON.stringify(template).includes(PLAINTEXT_KEY_SENTINEL) && !optedIn.has(PLAINTEXT_KEY_SENTINEL)) {
    problems.push('the plaintext test key (PLAINTEXT_KEY_SENTINEL) is in the template, but no options opted in with allowPlaintextApiKey');
  }
  return problems;
}

/** Environment variables of Lambda functions and ECS container definitions, as [name, value]. */
function environmentOf(type: string | undefined, props: Record<string, unknown> | undefined): Array<[string, unknown]> {
  if (!props) return [];
  if (type === 'AWS::Lambda::Function') {
    const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    return variables && typeof variables === 'object' ? Object.entries(variables) : [];
  }
  if (type === 'AWS::ECS::TaskDefinition' && Array.isArray(props.ContainerDefinitions)) {
    type NameValue = { Name?: string; Value?: unknown };
    return (props.ContainerDefinitions as Array<{ Environment?: NameValue[] }>).flatMap((c) =>
      (Array.isArray(c.Environment) ? c.Environment : []).map((e): [string, unknown] => [String(e.Name), e.Value]));
  }
  return [];
}
