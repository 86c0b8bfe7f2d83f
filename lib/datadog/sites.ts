/** The Datadog sites a function can send to (DD_SITE). */
export const DATADOG_SITES = [
  'datadoghq.com',
  'datadoghq.eu',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'ddog-gov.com',
];
export const DEFAULT_SITE = 'datadoghq.com';
