import { IConstruct } from 'constructs';
import { HiddenProperty } from './hidden-property';

/**
 * A scope merged tracing instruments, as the checker needs to know it: so that one set of options serves both, the
 * checker expects its env and shows what it leaves out as `excluded` rather than as unwired (lib/check and
 * lib/instrument never import each other; both import this).
 */
export interface InstrumentingScope {
  /** The construct path of the scope ('' for the app). */
  readonly path: string;
  readonly env: string;
  /** Where those options were given, as a fix names them: "the options given at the app". */
  readonly where: string;
  /** The exclusion that leaves the construct out, in the options' words; undefined when it is instrumented. */
  readonly exclusionOf: (path: string, construct: IConstruct) => string | undefined;
}

const SCOPES = new HiddenProperty<InstrumentingScope[]>('InstrumentingScopes');

/** Records a scope merged tracing instruments, on the app it belongs to. */
export function registerInstrumentingScope(scope: IConstruct, instrumenting: Omit<InstrumentingScope, 'path'>): void {
  const root = scope.node.root;
  let scopes = SCOPES.get(root);
  if (!scopes) {
    scopes = [];
    SCOPES.set(root, scopes);
  }
  scopes.push({ path: scope.node.path, ...instrumenting });
}

/** The deepest instrumented scope holding the construct at `path`: its options are the ones that apply there. */
export function nearestInstrumentingScope(construct: IConstruct, path: string): InstrumentingScope | undefined {
  let best: InstrumentingScope | undefined;
  for (const scope of SCOPES.get(construct.node.root) ?? []) {
    const within = scope.path === '' || path === scope.path || path.startsWith(scope.path + '/');
    if (within && (!best || scope.path.length > best.path.length)) best = scope;
  }
  return best;
}
