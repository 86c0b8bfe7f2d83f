import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether `id` (`cdk-trace-merging:<Rule>`) is acknowledged on `construct` or one of its ancestors
 * with `Validations.of(scope).acknowledge({ id, reason })`, read from the construct metadata that call
 * records (Validations.ACKNOWLEDGED_RULES_METADATA_KEY). aws-cdk-lib stores the id with a namespace
 * before `::` that differs between releases ('annotation::', 'Annotation::', or the plugin name CDK's
 * own report suggests, 'cdk-trace-merging::'), so the part after the last `::` is compared, and the
 * plugin-style `cdk-trace-merging::<Rule>` is accepted as well. Path-scoped on every release: an
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

const WARNING_METADATA = 'aws:cdk:warning';
const ACK_TAG = /\[ack: (cdk-trace-merging:\w+)\]$/;

/**
 * The ids of this library's warnings annotated on `construct` while instrumenting
 * (`Annotations.of(x).addWarningV2`), as they stand: a warning acknowledged with
 * `Annotations.of(scope).acknowledgeWarning(id)` is no longer there.
 */
export function annotatedWarnings(construct: IConstruct): Array<{ readonly id: string; readonly message: string }> {
  const found: Array<{ id: string; message: string }> = [];
  for (const entry of construct.node.metadata) {
    if (entry.type !== WARNING_METADATA || typeof entry.data !== 'string') continue;
    const match = ACK_TAG.exec(entry.data);
    if (match) found.push({ id: match[1], message: entry.data.slice(0, match.index).trimEnd() });
  }
  return found;
}
