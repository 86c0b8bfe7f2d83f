import { CfnResource, TagManager } from 'aws-cdk-lib';
import { TracingConfig } from '../config';
import { unifiedServiceTags } from '../datadog/unified-service-tags';

/**
 * Below the default priority of `Tags.of(...).add` (100): a tag the user sets explicitly wins,
 * and the checker reports it if it then disagrees with DD_ENV.
 */
const TAG_PRIORITY = 50;

/**
 * Sets the unified service tags directly on an L1 resource (no aspect: we may already be inside one).
 * `overrides` carries values the resource itself already declares (e.g. a function's own DD_SERVICE).
 */
export function tagResource(resource: CfnResource, config: TracingConfig, overrides: Record<string, string> = {}): void {
  // isTaggable narrows the resource to ITaggable: no cast needed to reach its tag manager.
  if (!TagManager.isTaggable(resource)) return;
  for (const [key, value] of Object.entries({ ...unifiedServiceTags(config), ...overrides })) resource.tags.setTag(key, value, TAG_PRIORITY);
}
