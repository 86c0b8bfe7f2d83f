import {
  CfnMapping, CfnResource, DefaultTokenResolver, Fn, IPostProcessor, IResolvable, IResolveContext, Reference,
  Stack, StringConcat, Token, TokenizedStringFragments, Tokenization,
} from 'aws-cdk-lib';
import { Properties } from './rules/rule';

/**
 * The rendered template fragment of a resource or mapping: properties after escape-hatch overrides
 * (addPropertyOverride), tokens not yet resolved.
 */
export function renderOf(element: CfnResource | CfnMapping): object {
  return (element as unknown as { _toCloudFormation(): object })._toCloudFormation();
}

/**
 * A resource's properties as they will be in the template, as far as the rules can tell: literals
 * resolved exactly as synthesis resolves them, references to other resources left as stand-in
 * intrinsics (see ChecksResolver).
 */
export function checkedProperties(resource: CfnResource): Properties {
  const rendered = renderOf(resource) as { Resources?: Record<string, unknown> };
  // The only entry's key is the resource's own logical id: left unresolved, its value is all we need.
  const [definition] = Object.values(rendered.Resources ?? {});
  const resolved = Tokenization.resolve(definition, { scope: Stack.of(resource), resolver: CHECKS_RESOLVER, preparing: false });
  return (resolved as { Properties?: Properties } | undefined)?.Properties ?? {};
}

/**
 * Resolves like synthesis does, except that a reference to another resource (a Ref or Fn::GetAtt)
 * becomes a stand-in intrinsic naming the target's construct path instead of its logical id.
 * Rules only need to know such a value is decided at deployment; its real logical id costs a hash
 * per reference, and for an API Gateway stage's deployment a hash of the whole API (issue 5).
 */
class ChecksResolver extends DefaultTokenResolver {
  constructor() {
    super(new StringConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (t instanceof Reference && CfnResource.isCfnResource(t.target)) {
      const path = t.target.node.path;
      return t.displayName === 'Ref' ? { Ref: path } : { 'Fn::GetAtt': [path, t.displayName] };
    }
    return super.resolveToken(t, context, postProcessor);
  }

  /** Strings with tokens inside become Fn::Join, merged the way synthesis merges them (Fn.join). */
  public resolveString(fragments: TokenizedStringFragments, context: IResolveContext): unknown {
    return fragments.mapTokens({ mapToken: context.resolve }).join({
      join: (left: unknown, right: unknown) => {
        const parts = [left, right].filter((p) => p !== undefined).map((p) => (typeof p === 'string' ? p : Token.asString(p)));
        return parts.length === 0 ? '' : context.resolve(Fn.join('', parts));
      },
    });
  }
}

const CHECKS_RESOLVER = new ChecksResolver();
