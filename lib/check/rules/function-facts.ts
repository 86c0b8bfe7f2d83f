import { EnvOrigins, Properties, FunctionFacts, LayerContext, literal } from './rule';
import { TemplateNetwork } from './template-network';
import { DD_TRACE_ENABLED } from '../../datadog/environment';
import { FROM_IMAGE, runtimeRow } from '../../datadog/runtimes';
import { TracingMode } from '../../options';

/** What the checker was told to expect (both optional: inferred per function otherwise). */
export interface Expectations {
  readonly mode?: TracingMode;
  readonly env?: string;
  readonly envOrigins?: EnvOrigins;
}

/**
 * Derives the facts every function rule needs from an AWS::Lambda::Function's resolved properties.
 * Mode: the expected one when given, else inferred from the function (DD_TRACE_ENABLED=false is HYBRID).
 */
export function functionFacts(props: Properties, expected: Expectations, layerContext: LayerContext, network?: TemplateNetwork): FunctionFacts {
  const environment = props.Environment as { Variables?: Record<string, unknown> } | undefined;
  const env = environment?.Variables ?? {};
  const isImage = props.PackageType === 'Image' || props.Runtime === FROM_IMAGE;
  const runtime = isImage ? undefined : literal(props.Runtime);
  const architectures = props.Architectures;
  return {
    props,
    env,
    runtime,
    runtimeUnknown: !isImage && props.Runtime !== undefined && runtime === undefined,
    row: runtime === undefined ? undefined : runtimeRow(runtime),
    isImage,
    arm64: Array.isArray(architectures) && architectures[0] === 'arm64',
    mode: expected.mode ?? inferredMode(env[DD_TRACE_ENABLED]),
    expectedEnv: expected.env,
    envOrigins: expected.envOrigins,
    layerContext,
    network,
  };
}

function inferredMode(traceEnabled: unknown): TracingMode | undefined {
  if (traceEnabled === undefined) return TracingMode.SERVERLESS;
  if (typeof traceEnabled !== 'string') return undefined;
  return traceEnabled.toLowerCase() === 'false' ? TracingMode.HYBRID : TracingMode.SERVERLESS;
}
