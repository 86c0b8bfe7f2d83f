export { isAcknowledged } from '../common/acknowledged';
import { IConstruct } from 'constructs';

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
