/**
 * State kept on a construct object under a Symbol.for key: it lives and dies with the app, adds no
 * construct to the tree that synthesis walks and writes, stays out of enumeration, and is shared by
 * every copy of this library an app may load.
 */
export class HiddenProperty<T> {
  private readonly key: symbol;

  /** @param name the key's name after `cdk-trace-merging.`; fixed, since other copies of the library read it. */
  constructor(name: string) {
    this.key = Symbol.for(`cdk-trace-merging.${name}`);
  }

  public get(target: object): T | undefined {
    return (target as Record<symbol, T | undefined>)[this.key];
  }

  public set(target: object, value: T): void {
    Object.defineProperty(target, this.key, { value, enumerable: false });
  }
}
