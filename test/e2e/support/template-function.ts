/**
 * Reads a Node.js or Python Lambda function out of a synthesized template: exactly what Lambda gets from
 * CloudFormation (Handler, Runtime, Environment, inline code, memory, timeout, tracing mode).
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export interface TemplateFunction {
  readonly logicalId: string;
  readonly handler: string;
  readonly runtime: string;
  /** Environment.Variables, every value a literal string (see below). */
  readonly environment: Record<string, string>;
  /** Variables whose value CloudFormation computes at deploy time (Ref, Fn::GetAtt, ...), by name. */
  readonly deployTimeVariables: Record<string, unknown>;
  /**
   * Code.ZipFile: CloudFormation writes it to index.js (Node.js) or index.py (Python) in the deployment package.
   * Undefined for a deployment package (a Go binary), which the suite builds itself.
   */
  readonly inlineCode?: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** TracingConfig.Mode, PassThrough when absent (Lambda's default). */
  readonly tracingMode: string;
}

/** Lambda's defaults for properties a template may leave out. */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_TIMEOUT_S = 3;

/** Variables the Datadog libraries or the AWS runtime read: they must be literal in the template. */
const MUST_BE_LITERAL = /^(DD_|AWS_|_X_AMZN)/;

export function nodeFunctionsOf(stack: Stack): TemplateFunction[] {
  return functionsWithRuntime(stack, 'nodejs', true);
}

/** The template's Python functions (CloudFormation writes their Code.ZipFile to index.py). */
export function pythonFunctionsOf(stack: Stack): TemplateFunction[] {
  return functionsWithRuntime(stack, 'python', true);
}

/** The template's OS-only (provided.*) functions, e.g. Go binaries: their code is a deployment package, not inline. */
export function providedFunctionsOf(stack: Stack): TemplateFunction[] {
  return functionsWithRuntime(stack, 'provided', false);
}

function functionsWithRuntime(stack: Stack, runtimePrefix: string, inline: boolean): TemplateFunction[] {
  const resources = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.entries(resources)
    .filter(([, r]) => typeof r.Properties?.Runtime === 'string' && r.Properties.Runtime.startsWith(runtimePrefix))
    .map(([logicalId, r]) => toTemplateFunction(logicalId, r.Properties, inline));
}

function toTemplateFunction(logicalId: string, props: Record<string, any>, inline: boolean): TemplateFunction {
  const variables: Record<string, unknown> = props.Environment?.Variables ?? {};
  const environment: Record<string, string> = {};
  const deployTimeVariables: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') {
      environment[name] = value;
    } else if (MUST_BE_LITERAL.test(name)) {
      throw new Error(`${logicalId}: ${name} is ${JSON.stringify(value)}, not a literal string`);
    } else {
      deployTimeVariables[name] = value;
    }
  }
  if (inline && typeof props.Code?.ZipFile !== 'string') {
    throw new Error(`${logicalId}: the e2e harness runs inline code (Code.ZipFile) only; got ${JSON.stringify(props.Code)}`);
  }
  return {
    logicalId,
    handler: props.Handler,
    runtime: props.Runtime,
    environment,
    deployTimeVariables,
    inlineCode: props.Code.ZipFile,
    memorySize: props.MemorySize ?? LAMBDA_DEFAULT_MEMORY_MB,
    timeoutSeconds: props.Timeout ?? LAMBDA_DEFAULT_TIMEOUT_S,
    tracingMode: props.TracingConfig?.Mode ?? 'PassThrough',
  };
}
