import { compliant, FunctionFacts, isIntrinsic, literal, nonCompliant, notApplicable, Rule, shown, unknown } from './rule';
import { DATADOG_SITES } from '../../datadog/sites';

/**
 * DD_SITE names the Datadog site the extension sends to: any other value sends every trace nowhere. Checked on the
 * template as synthesized, so a site given as a token (a Lazy, a context value) is checked once it is resolved.
 */
export const FunctionDdSite: Rule<FunctionFacts> = {
  name: 'FunctionDdSite',
  severity: 'error',
  check: (fn) => {
    const value = fn.env.DD_SITE;
    // Without DD_SITE the extension sends to datadoghq.com, a site.
    if (value === undefined) return notApplicable;
    if (isIntrinsic(value)) return unknown('its DD_SITE');
    if (!DATADOG_SITES.includes(literal(value) ?? '')) {
      return nonCompliant(`has DD_SITE=${shown(value)}, which is not a Datadog site, so its traces reach no Datadog account.`,
        `Set the site option to one of: ${DATADOG_SITES.join(', ')}.`);
    }
    return compliant(`DD_SITE=${literal(value)}`);
  },
};
