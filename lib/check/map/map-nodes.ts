/**
 * The resources the trace map draws, as MapNodes: what the report calls them, where they stand, and what the verdicts
 * read of their templates (X-Ray switched on, a host's tracer).
 */
import { MapNode, NodeState } from './map-model';
import { hostTracerOf } from '../../common/traced-hosts';
import { Properties } from '../properties';
import { reportedPath, SynthesizedResource } from '../synthesized-resources';

/** Resources the trace map draws that the checker does not check: where hops start or pass through. */
export const MAP_ONLY_KINDS: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::Events::Rule': 'EventBridge rule',
  'AWS::Events::EventBus': 'EventBridge event bus',
  'AWS::Scheduler::Schedule': 'EventBridge Scheduler schedule',
  'AWS::S3::Bucket': 'S3 bucket',
  'AWS::Kinesis::Stream': 'Kinesis stream',
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB global table',
  'AWS::ApiGateway::RestApi': 'REST API',
};

/** Where a REST API stage, state machine and GraphQL API switch X-Ray on in their template. */
const XRAY_SWITCH: Readonly<Record<string, (p: Properties) => unknown>> = {
  'AWS::ApiGateway::Stage': (p) => p.TracingEnabled,
  'AWS::StepFunctions::StateMachine': (p) => (p.TracingConfiguration as Properties | undefined)?.Enabled,
  'AWS::AppSync::GraphQLApi': (p) => p.XrayEnabled,
};

/**
 * A resource as the map draws it. `checkedKind`: how the checker names a kind it checks (else the map's own name);
 * `standing`: its report standing when a checker checked it.
 */
export function mapNode(resource: SynthesizedResource, checkedKind: { readonly kind: string; readonly noun: string } | undefined,
  place: { readonly unit: string; readonly stack: string }, standing: Omit<NodeState, 'xrayOn' | 'tracer'> | undefined): MapNode {
  const kind = checkedKind?.kind ?? mapOnlyKind(resource);
  return {
    id: reportedPath(resource),
    type: resource.type,
    kind,
    noun: checkedKind?.noun ?? kind,
    ...place,
    state: standing && { ...standing, xrayOn: xrayOn(resource), tracer: hostTracerOf(resource.cfn) },
  };
}

/** Whether the template turns X-Ray on (undefined when only known at deployment, or for other resources). */
function xrayOn(resource: SynthesizedResource): boolean | undefined {
  const value = XRAY_SWITCH[resource.type]?.(resource.properties);
  if (value === true || value === 'true') return true;
  if (value === undefined || value === false || value === 'false') return XRAY_SWITCH[resource.type] ? false : undefined;
  return undefined;
}

function mapOnlyKind(resource: SynthesizedResource): string {
  if (resource.type === 'AWS::Events::Rule' && resource.properties.ScheduleExpression !== undefined) return 'EventBridge schedule';
  return MAP_ONLY_KINDS[resource.type] ?? resource.type;
}
