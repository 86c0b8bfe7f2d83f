import { nodeFunction, PARAM } from './facts';
import { FunctionDdEnv } from '../../../lib/check/rules/FunctionDdEnv';

describe('FunctionDdEnv', () => {
  test('DD_ENV set (and equal to the env tag and the expected env) is compliant', () => {
    // GIVEN functions with DD_ENV=prod, one with a matching tag, one checked against env prod
    // WHEN checked / THEN compliant
    expect(FunctionDdEnv.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: 'DD_ENV=prod' });
    expect(FunctionDdEnv.check(nodeFunction({ Tags: [{ Key: 'env', Value: 'prod' }] }, {}, { env: 'prod' })).outcome).toBe('compliant');
  });

  test('missing DD_ENV is non-compliant', () => {
    // GIVEN a function without DD_ENV / WHEN checked with an expected env
    const result = FunctionDdEnv.check(nodeFunction({}, { DD_ENV: undefined }, { env: 'prod' }));
    // THEN non-compliant, naming the env to set
    expect(result).toEqual({
      outcome: 'non-compliant',
      problem: 'has no DD_ENV, so its traces carry no env and do not join the rest of the deployment.',
      fix: "Set DD_ENV to 'prod' (TraceMerging does it from its env option).",
    });
  });

  test('DD_ENV other than the expected env, or than the env tag, is non-compliant', () => {
    // GIVEN DD_ENV=staging checked against prod, and DD_ENV=prod with env tag staging
    const expected = FunctionDdEnv.check(nodeFunction({}, { DD_ENV: 'staging' }, { env: 'prod' }));
    const tagged = FunctionDdEnv.check(nodeFunction({ Tags: [{ Key: 'env', Value: 'staging' }] }));
    // THEN both non-compliant with both values
    expect(expected).toMatchObject({ outcome: 'non-compliant', problem: "has DD_ENV='staging', but this deployment's env is 'prod'." });
    expect(tagged).toMatchObject({
      outcome: 'non-compliant',
      problem: "has DD_ENV='prod' but its env tag is 'staging'; Datadog's AWS integration and its tracer would disagree.",
    });
  });

  test('a deploy-time DD_ENV is unknown', () => {
    // GIVEN DD_ENV from a parameter / WHEN checked / THEN unknown
    expect(FunctionDdEnv.check(nodeFunction({}, { DD_ENV: PARAM }))).toEqual({ outcome: 'unknown', what: 'its DD_ENV' });
  });
});
