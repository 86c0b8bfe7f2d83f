import { compliant, FunctionFacts, literal, nonCompliant, notApplicable, Rule, unknown } from './rule';
import { refOf } from './template-network';
import { API_KEY_SERVICE_BY_VARIABLE } from '../../datadog/api-key-variables';
import { DEFAULT_SITE } from '../../datadog/sites';

/**
 * A function in a VPC reaches the Datadog site (HTTPS, from the extension) and the service holding its API key only
 * through a route out of its subnets or through VPC endpoints. Without either every trace is lost, silently. Read
 * from the template's own subnets, route tables and endpoints; imported subnets cannot be seen (unknown, in the
 * report only: a warning on every function of an imported VPC would say nothing the user can act on).
 */
export const FunctionNoEgress: Rule<FunctionFacts> = {
  name: 'FunctionNoEgress',
  severity: 'warning',
  unknownInReportOnly: true,
  check: (fn) => {
    const subnets = (fn.props.VpcConfig as { SubnetIds?: unknown } | undefined)?.SubnetIds;
    if (subnets === undefined || (Array.isArray(subnets) && subnets.length === 0)) return notApplicable;
    const ids = Array.isArray(subnets) ? subnets.map(refOf) : [undefined];
    const network = fn.network;
    if (!network || ids.some((id) => id === undefined || !network.hasSubnet(id))) return unknown('the routes of its subnets, which this app imports');
    const closed = (ids as string[]).filter((id) => !network.hasRouteOut(id));
    if (closed.length === 0) return compliant('a route out of its VPC');

    const keyVariable = Object.keys(API_KEY_SERVICE_BY_VARIABLE).find((v) => fn.env[v] !== undefined);
    const keyService = keyVariable ? API_KEY_SERVICE_BY_VARIABLE[keyVariable] : undefined;
    const endpoints = network.endpointServices(closed[0]);
    const hasEndpoint = (service: string) => endpoints.some((e) => e.endsWith(`.${service}`));
    const keyReachable = keyService === undefined || hasEndpoint(keyService);
    // A PrivateLink endpoint service (com.amazonaws.vpce.<region>.vpce-svc-...) is how Datadog's intake is reached privately.
    const privateLink = endpoints.some((e) => e.includes('vpce-svc-'));
    if (keyReachable && privateLink) return compliant(`VPC endpoints for Datadog (PrivateLink)${keyService ? ` and ${keyService}` : ''}`);

    const site = literal(fn.env.DD_SITE) ?? DEFAULT_SITE;
    const missing = [
      ...(privateLink ? [] : [`the Datadog site (${site})`]),
      ...(keyReachable ? [] : [`${keyService} (the API key, ${keyVariable})`]),
    ];
    return nonCompliant(
      `runs in subnets with no route out of their VPC (${closed.join(', ')}) and no VPC endpoint for ${missing.join(' or ')}, ` +
      'so the Datadog extension cannot send its traces and every trace of this function is lost.',
      'Put the function in subnets with a NAT gateway (ec2.SubnetType.PRIVATE_WITH_EGRESS), or add interface VPC endpoints for ' +
      `Datadog's intake (Datadog PrivateLink, where ${site} offers it)${keyService ? ` and for ${keyService} (ec2.InterfaceVpcEndpointAwsService)` : ''}.`);
  },
};
