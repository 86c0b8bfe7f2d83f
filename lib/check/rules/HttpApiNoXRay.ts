import { isIntrinsic, nonCompliant, Properties, Rule, unknown } from './rule';

/** API Gateway HTTP and WebSocket APIs cannot emit X-Ray segments: a limit of the service, hence a warning. */
export const HttpApiNoXRay: Rule<Properties> = {
  name: 'HttpApiNoXRay',
  severity: 'warning',
  check: (props) => {
    const protocol = props.ProtocolType;
    if (isIntrinsic(protocol)) return unknown('its protocol type');
    return nonCompliant(`is an API Gateway ${protocol ?? 'HTTP'} API, which does not support X-Ray, so traces start at the function instead of the API.`,
      'Use a REST API (apigateway.RestApi) where the API hop must be in the merged trace, or acknowledge this warning.');
  },
};
