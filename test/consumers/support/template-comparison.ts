/**
 * What may differ between the templates of the same app written in two languages, and why.
 * Everything not listed here must be identical.
 */
import { gunzipSync } from 'zlib';

export interface Mask {
  /** Path of the masked value in the template. */
  readonly path: readonly string[];
  readonly why: string;
}

export const MASKS: readonly Mask[] = [
  {
    path: ['Resources', 'CDKMetadata', 'Properties', 'Analytics'],
    why: 'CDK version reporting: it encodes the aws-cdk-lib version, the language runtime (node.js/v20 or '
      + 'Python/3.11, Java/17, go1.26, via jsii-runtime.Runtime) and the construct classes used, in the order they were first '
      + 'used. analyticsOf() decodes it so tests check the version and language it names.',
  },
];

/** A deep copy of `template` with every masked value replaced by a marker naming the mask. */
export function masked(template: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(template));
  for (const mask of MASKS) {
    const parent = mask.path.slice(0, -1).reduce((node, key) => node?.[key], copy);
    const last = mask.path[mask.path.length - 1];
    if (parent === undefined || !(last in parent)) throw new Error(`nothing to mask at ${mask.path.join('.')}: the mask is stale`);
    parent[last] = `<masked: ${mask.path.join('.')}>`;
  }
  return copy;
}

export interface Analytics {
  /** The aws-cdk-lib version it names. */
  readonly cdkLibVersion: string;
  /** The language runtime jsii reports, e.g. `Python/3.11.7`, `node.js/v20.20.2`. */
  readonly runtime: string;
  /** The decoded text. */
  readonly text: string;
}

/** Decodes CDKMetadata's Analytics (`v2:deflate64:<base64 gzip>`), e.g. `2.275.0!aws-cdk-lib.{...},Python/3.11.7!jsii-runtime.Runtime`. */
export function analyticsOf(template: Record<string, any>): Analytics {
  const value: string = template.Resources.CDKMetadata.Properties.Analytics;
  const prefix = 'v2:deflate64:';
  if (!value.startsWith(prefix)) throw new Error(`unknown Analytics format: ${value.slice(0, 20)}`);
  const text = gunzipSync(Buffer.from(value.slice(prefix.length), 'base64')).toString('utf-8');
  const runtime = /(?:^|,)([^,!]+)!jsii-runtime\.Runtime/.exec(text);
  return { cdkLibVersion: text.split('!')[0], runtime: runtime ? runtime[1] : '', text };
}
