/**
 * X-Ray trace headers as Lambda sets them in `_X_AMZN_TRACE_ID`, and the Datadog ids the merge must
 * derive from them.
 */
import { randomBytes } from 'crypto';

export interface XRayTraceHeader {
  /** `1-<8 hex: epoch seconds>-<24 hex>` */
  readonly root: string;
  /** 16 hex: the id of the Lambda function's X-Ray segment. */
  readonly parent: string;
  readonly sampled: boolean;
  /** The whole header: `Root=...;Parent=...;Sampled=0|1`. */
  readonly header: string;
}

/**
 * A fresh header. The ids are random, but bit 63 of the Root's low 64 bits and of the Parent is set
 * on purpose: then "the low 63 bits" differs from "the low 64 bits", and the Parent only reads right
 * as an unsigned decimal.
 */
export function newTraceHeader(sampled: boolean): XRayTraceHeader {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  // 16 random hex digits whose first one is 8-f, i.e. whose top bit is set.
  const withTopBit = (hex: string) => (8 + (parseInt(hex[0], 16) % 8)).toString(16) + hex.slice(1);
  const hex24 = randomBytes(4).toString('hex') + withTopBit(randomBytes(8).toString('hex'));
  const root = `1-${epoch}-${hex24}`;
  const parent = withTopBit(randomBytes(8).toString('hex'));
  return { root, parent, sampled, header: `Root=${root};Parent=${parent};Sampled=${sampled ? 1 : 0}` };
}

/** The Datadog trace id of a merged trace: the low 63 bits of the Root's last 24 hex digits. */
export function mergedTraceId(header: XRayTraceHeader): bigint {
  const hex24 = header.root.split('-')[2];
  return BigInt(`0x${hex24}`) % 2n ** 63n;
}

/** The Datadog parent id of a merged trace: the X-Ray Parent, as an unsigned 64-bit integer. */
export function mergedParentId(header: XRayTraceHeader): bigint {
  return BigInt(`0x${header.parent}`);
}
