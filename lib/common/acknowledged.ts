import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether `id` (`cdk-trace-merging:<Rule>`) is acknowledged on `construct` or one of its ancestors
 * with `Validations.of(scope).acknowledge({ id, reason })`, read from the construct metadata that call
 * records (Validations.ACKNOWLEDGED_RULES_METADATA_KEY). aws-cdk-lib stores the id with a namespace
 * before `::` that differs between releases ('annotation::', 'Annotation::', or the plugin name CDK's
 * own report suggests for a violation, 'cdk-trace-merging::', and 'Annotation::', which it suggests for an
 * instrumenting warning), so the part after the last `::` is compared, and the plugin-style
 * `cdk-trace-merging::<Rule>` is accepted as well. Path-scoped on every release: an
 * acknowledgement covers its scope and everything below it, nothing else.
 */
export function isAcknowledged(construct: IConstruct, id: string): boolean {
  const pluginStyle = id.replace(':', '::');
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const key of Object.keys(entry.data as Record<string, unknown>)) {
        const separator = key.lastIndexOf('::');
        if (key === pluginStyle || (separator < 0 ? key : key.slice(separator + 2)) === id) return true;
      }
    }
  }
  return false;
}
