import { PARAM } from './facts';
import { HttpApiNoXRay } from '../../../lib/check/rules/HttpApiNoXRay';

describe('HttpApiNoXRay', () => {
  test('an HTTP or WebSocket API is non-compliant (a warning: the service cannot), a deploy-time protocol is unknown', () => {
    // GIVEN HTTP and WebSocket APIs and one with its protocol from a parameter / WHEN checked / THEN
    expect(HttpApiNoXRay.severity).toBe('warning');
    expect(HttpApiNoXRay.check({ ProtocolType: 'HTTP' })).toEqual({
      outcome: 'non-compliant',
      problem: 'is an API Gateway HTTP API, which does not support X-Ray, so traces start at the function instead of the API.',
      fix: 'Use a REST API (apigateway.RestApi) where the API hop must be in the merged trace, or acknowledge this warning.',
    });
    expect(HttpApiNoXRay.check({ ProtocolType: 'WEBSOCKET' })).toMatchObject({ problem: expect.stringContaining('WEBSOCKET API') });
    expect(HttpApiNoXRay.check({ ProtocolType: PARAM })).toEqual({ outcome: 'unknown', what: 'its protocol type' });
  });
});
