/**
 * The Datadog sites a function can send to (DD_SITE): every site Datadog lists in "Getting Started with
 * Datadog Sites" (US1, EU1, US3, US5, AP1, AP2, UK1, US1-FED, US2-FED).
 */
export const DATADOG_SITES = [
  'datadoghq.com',
  'datadoghq.eu',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
];
export const DEFAULT_SITE = 'datadoghq.com';
