import { Properties } from '../properties';

type Resources = Readonly<Record<string, { readonly Type?: string; readonly Properties?: Properties }>>;

/**
 * The network of one template as far as it defines it: which subnets give a Lambda function a route out of their VPC
 * (a default IPv4 route to a NAT gateway, transit gateway, virtual private gateway, peering connection, instance or
 * interface) and which interface endpoints each VPC has. A route to an internet gateway is no way out for Lambda: its
 * network interfaces never get a public IP. Built once per template, only for templates with a function in a VPC.
 */
export interface TemplateNetwork {
  /** Whether the subnet with this logical id is in the template. */
  hasSubnet(logicalId: string): boolean;
  /** Whether the subnet's route table has a default route out of the VPC. */
  hasRouteOut(subnetLogicalId: string): boolean;
  /** The service names of the interface endpoints in the subnet's VPC (a part only known at deployment reads `*`). */
  endpointServices(subnetLogicalId: string): string[];
}

const DEFAULT_ROUTE = '0.0.0.0/0';
const ROUTE_TARGETS = ['NatGatewayId', 'GatewayId', 'TransitGatewayId', 'InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId'];

const memo = new WeakMap<object, TemplateNetwork>();

export function templateNetwork(resources: Resources): TemplateNetwork {
  let network = memo.get(resources);
  if (!network) {
    network = buildNetwork(resources);
    memo.set(resources, network);
  }
  return network;
}

function buildNetwork(resources: Resources): TemplateNetwork {
  const routeTableOf = new Map<string, string>();
  const tablesWithRouteOut = new Set<string>();
  const endpointsByVpc = new Map<string, string[]>();
  for (const { Type: type, Properties: props = {} } of Object.values(resources)) {
    if (type === 'AWS::EC2::SubnetRouteTableAssociation') {
      const subnet = refOf(props.SubnetId);
      const table = refOf(props.RouteTableId);
      if (subnet && table) routeTableOf.set(subnet, table);
    } else if (type === 'AWS::EC2::Route') {
      const table = refOf(props.RouteTableId);
      const target = ROUTE_TARGETS.find((t) => props[t] !== undefined);
      const routesOut = props.DestinationCidrBlock === DEFAULT_ROUTE && target !== undefined && !isInternetGateway(props[target], resources);
      if (table && routesOut) tablesWithRouteOut.add(table);
    } else if (type === 'AWS::EC2::VPCEndpoint' && props.VpcEndpointType === 'Interface') {
      const vpc = refOf(props.VpcId);
      if (vpc) endpointsByVpc.set(vpc, [...(endpointsByVpc.get(vpc) ?? []), serviceNameText(props.ServiceName)]);
    }
  }
  const subnet = (id: string) => (resources[id]?.Type === 'AWS::EC2::Subnet' ? resources[id] : undefined);
  return {
    hasSubnet: (id) => subnet(id) !== undefined,
    hasRouteOut: (id) => tablesWithRouteOut.has(routeTableOf.get(id) ?? ''),
    endpointServices: (id) => endpointsByVpc.get(refOf(subnet(id)?.Properties?.VpcId) ?? '') ?? [],
  };
}

/** A GatewayId naming an internet gateway: one of the template (by Ref) or an `igw-` id. */
function isInternetGateway(target: unknown, resources: Resources): boolean {
  const ref = refOf(target);
  if (ref !== undefined) return resources[ref]?.Type === 'AWS::EC2::InternetGateway';
  return typeof target === 'string' && target.startsWith('igw-');
}

/** `com.amazonaws.us-east-1.secretsmanager`, or `com.amazonaws.*.secretsmanager` for CDK's Fn::Join over AWS::Region. */
function serviceNameText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: unknown } | null | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || !Array.isArray(join[1])) return '*';
  return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : '*')).join(String(join[0]));
}

/** The logical id a `{ Ref }` names, or undefined for anything else. */
export function refOf(value: unknown): string | undefined {
  const ref = (value as { Ref?: unknown } | null | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}
