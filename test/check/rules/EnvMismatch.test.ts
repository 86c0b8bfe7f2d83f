import { envMismatches, envMismatchMessage } from '../../../lib/check/rules/EnvMismatch';

describe('EnvMismatch', () => {
  test('one env is compliant (no mismatches), also for no resources', () => {
    // GIVEN resources that agree / WHEN compared / THEN nothing to report
    expect(envMismatches([{ path: 'A/F', env: 'prod' }, { path: 'B/G', env: 'prod' }])).toEqual([]);
    expect(envMismatches([])).toEqual([]);
  });

  test('the odd one out is reported against the most common env, with both paths', () => {
    // GIVEN two prod resources and one staging
    const entries = [{ path: 'A/F', env: 'prod' }, { path: 'B/G', env: 'staging' }, { path: 'A/H', env: 'prod' }];
    // WHEN compared
    const mismatches = envMismatches(entries);
    // THEN the staging one, against the first prod one, and the message names both values and paths
    expect(mismatches).toEqual([{ entry: entries[1], other: entries[0], expected: 'prod' }]);
    expect(envMismatchMessage(mismatches[0], 'the app')).toEqual({
      problem: "has env 'staging', but 'prod' at A/F is in the same deployment unit (the app), so their traces would not connect in Datadog.",
      fix: "Use env 'prod' for every traced resource of the app (deploy other environments as separate Stages).",
    });
  });

  test('with an expected env, every resource with another env is reported', () => {
    // GIVEN two staging resources checked against prod / WHEN compared / THEN both reported, against the expected env
    const mismatches = envMismatches([{ path: 'A/F', env: 'staging' }, { path: 'A/G', env: 'staging' }], 'prod');
    expect(mismatches.map((m) => m.entry.path)).toEqual(['A/F', 'A/G']);
    expect(envMismatchMessage(mismatches[0], 'Prod').problem)
      .toBe("has env 'staging', but the expected env 'prod' is in the same deployment unit (Prod), so their traces would not connect in Datadog.");
  });
});
