/**
 * No value a user passes can run code on a host. The setup script is rendered with arbitrary strings in every value it
 * takes (env, service, version, a tag, the site: tokens, which skip the options' checks and are only known once
 * resolved; the plaintext key: a literal) and run by bash against the fakes of test/support/agent-setup.ts. Whatever the
 * strings, no command in them runs, and the setup either completes with exactly those values or stops with a message.
 */
import { Lazy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { runSetup, userDataFor } from '../../support/agent-setup';

/** Pieces of shell an attacker or a careless user would put in a value; every one would leave a file if it ran. */
const HOSTILE = fc.constantFrom(
  "'", '"', '`touch pwned`', '$(touch pwned)', ';touch pwned;', "';touch${IFS}pwned;'", '\n', '\nDATADOG_TRACING\ntouch pwned\n',
  '${IFS}', '\\', '|tee pwned', '&& touch pwned', '>pwned', '*', '$HOME', '%s%n', '-', ' ', "o'reilly", '\u0000', '\r', 'é',
  'prod', 'orders', '1.0.0', ':', ',', '.', '/', '_',
);
const hostile = fc.array(fc.oneof({ weight: 3, arbitrary: HOSTILE }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }),
  { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
/** Mostly values that pass (so that a run often completes), else hostile ones. */
const value = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9_:./-]{1,20}$/) }, { weight: 1, arbitrary: hostile });
const site = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('datadoghq.com', 'datadoghq.eu', 'us5.datadoghq.com') }, { weight: 1, arbitrary: hostile });
/** What the plaintext key option accepts (printable ASCII, no spaces), hostile pieces included. */
const plaintextKey = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-f0-9]{32}$/) },
  { weight: 1, arbitrary: hostile.filter((v) => /^[\x21-\x7e]+$/.test(v)) });

// What the host checks before it uses a value: Datadog's tag rules, a site name, a key of letters and digits.
const TAG_VALUE = /^[a-z0-9_:./-]{1,200}$/;
const SITE = /^[a-z0-9.-]+$/;
const API_KEY = /^[A-Za-z0-9]+$/;

/** A value as bash holds it after "$(... | base64 -d)": NUL bytes dropped, trailing line breaks cut. */
const asBashHoldsIt = (v: string) => v.replace(/\u0000/g, '').replace(/\n+$/, '');
const lazy = (v: string) => Lazy.string({ produce: () => v });

describe('the EC2 setup script takes every value as data', () => {
  test('arbitrary strings in every value: no command runs, and the setup completes with them or stops saying why', () => {
    let completed = 0;
    let stopped = 0;
    fc.assert(fc.property(value, value, value, value, site, plaintextKey, (env, service, version, team, siteName, apiKey) => {
      // GIVEN values only known once resolved, and a literal plaintext key
      const lines = userDataFor({
        env: lazy(env),
        service: lazy(service),
        version: lazy(version),
        tags: { team: lazy(team) },
        site: lazy(siteName),
        apiKey,
        allowPlaintextApiKey: true,
      });

      // WHEN the host runs the setup
      const run = runSetup(lines, 'never called', '');

      // THEN nothing a value holds ran: no file but the script's own
      expect(run.strayFiles).toEqual([]);
      const [e, s, v, t, d] = [env, service, version, team, siteName].map(asBashHoldsIt);
      const valid = [e, s, v, t].every((x) => TAG_VALUE.test(x)) && SITE.test(d) && API_KEY.test(apiKey);
      if (valid) {
        completed++;
        // and valid values arrive exactly as given
        expect(run.status).toBe(0);
        expect(run.installerSaw).toEqual(['DD_AGENT_MAJOR_VERSION=7', `DD_API_KEY=${apiKey}`, `DD_ENV=${e}`,
          `DD_HOST_TAGS=service:${s},version:${v},team:${t}`, `DD_SITE=${d}`].sort());
        expect(run.environment).toBe(`DD_ENV=${e}\nDD_SERVICE=${s}\nDD_VERSION=${v}\n`);
      } else {
        stopped++;
        // or the setup stops before the Agent is installed, with a message that says what is wrong
        expect(run.status).not.toBe(0);
        expect(run.output).toMatch(/^cdk-trace-merging: (DD_ENV|DD_SERVICE|DD_VERSION) breaks Datadog's tag rules|^cdk-trace-merging: (DD_SITE is not|the host tags break|the Datadog API key read at boot is not)/m);
        expect(run.installerSaw).toEqual([]);
      }
    }), { numRuns: 40 });
    // Both outcomes were met (each is likely enough that 40 runs miss one about once in 30,000).
    expect([completed > 0, stopped > 0]).toEqual([true, true]);
  });

  test("an innocent quote (o'reilly) in the plaintext key is data: the host reads it, and refuses it as no API key", () => {
    // GIVEN / WHEN
    const run = runSetup(userDataFor({ apiKey: "o'reilly", allowPlaintextApiKey: true }), 'never called', '');

    // THEN
    expect(run.strayFiles).toEqual([]);
    expect(run.output).toBe('cdk-trace-merging: the Datadog API key read at boot is not one (letters and digits only; the secret must hold the key itself, not JSON)\n');
    expect(run.environment).toBe('DD_ENV=prod\nDD_SERVICE=orders\nDD_VERSION=1.0.0\n');
  });
});
