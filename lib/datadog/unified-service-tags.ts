import { TracingConfig } from '../config';

/** The unified service tags (`env`, `service`, `version`) Datadog's AWS integration reads. */
export function unifiedServiceTags(config: TracingConfig): Record<string, string> {
  const tags: Record<string, string> = { env: config.env };
  if (config.service !== undefined) tags.service = config.service;
  if (config.version !== undefined) tags.version = config.version;
  return tags;
}
