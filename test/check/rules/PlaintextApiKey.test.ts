import { nodeFunction, PARAM } from './facts';
import { PlaintextApiKey } from '../../../lib/check/rules/PlaintextApiKey';

describe('PlaintextApiKey', () => {
  test('a secret, SSM or KMS key source is compliant; none is not applicable', () => {
    // GIVEN functions with DD_API_KEY_SECRET_ARN (a token: it need not be known), and with no key at all
    // WHEN checked / THEN compliant and not applicable
    expect(PlaintextApiKey.check(nodeFunction({}, { DD_API_KEY_SECRET_ARN: PARAM })))
      .toEqual({ outcome: 'compliant', wired: 'API key from DD_API_KEY_SECRET_ARN' });
    expect(PlaintextApiKey.check(nodeFunction()).outcome).toBe('not-applicable');
  });

  test('DD_API_KEY, literal or not, is non-compliant', () => {
    // GIVEN DD_API_KEY as a literal and from a parameter / WHEN checked / THEN non-compliant both times
    const expected = {
      outcome: 'non-compliant',
      problem: 'carries the Datadog API key in plaintext (DD_API_KEY), visible in its configuration and template.',
      fix: 'Use DD_API_KEY_SECRET_ARN (apiKeySecret), DD_API_KEY_SSM_ARN or DD_KMS_API_KEY instead.',
    };
    expect(PlaintextApiKey.check(nodeFunction({}, { DD_API_KEY: 'abc' }))).toEqual(expected);
    expect(PlaintextApiKey.check(nodeFunction({}, { DD_API_KEY: PARAM }))).toEqual(expected);
  });
});
