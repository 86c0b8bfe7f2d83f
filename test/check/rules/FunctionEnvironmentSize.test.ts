import { facts, PARAM } from './facts';
import { FunctionEnvironmentSize } from '../../../lib/check/rules/FunctionEnvironmentSize';

/** A function whose variables take exactly `bytes` bytes, plus `tokens` deploy-time values. */
function withEnvBytes(bytes: number, tokens = 0) {
  const variables: Record<string, unknown> = { BIG: 'x'.repeat(bytes - 3) };
  for (let i = 0; i < tokens; i++) variables[`T${i}`.padEnd(0)] = PARAM;
  return facts({ Runtime: 'nodejs22.x', Environment: { Variables: variables } });
}

describe('FunctionEnvironmentSize', () => {
  test('4096 bytes is compliant, 4097 is not', () => {
    // GIVEN environments of exactly 4096 and 4097 bytes (keys and values) / WHEN checked / THEN
    expect(FunctionEnvironmentSize.check(withEnvBytes(4096))).toEqual({ outcome: 'compliant', wired: '4096 of 4096 environment bytes' });
    expect(FunctionEnvironmentSize.check(withEnvBytes(4097))).toEqual({
      outcome: 'non-compliant',
      problem: "carries at least 4097 bytes of environment variables, over Lambda's limit of 4096; the deployment fails.",
      fix: 'Move large values to SSM Parameter Store or Secrets Manager.',
    });
  });

  test('near the limit with deploy-time values is unknown', () => {
    // GIVEN 4000 known bytes (plus the key T0) and one value only known at deployment / WHEN checked / THEN unknown
    expect(FunctionEnvironmentSize.check(withEnvBytes(4000, 1))).toEqual({
      outcome: 'unknown', what: 'the size of its environment (4002 bytes plus 1 values known only at deployment)',
    });
  });
});
