import { IConstruct } from 'constructs';

/**
 * The value kept on the app's root under `key` (a global symbol, `Symbol.for`), made by `init` on first use. Several
 * copies of the library in one app then share it, which a module-level registry or `instanceof` would not.
 */
export function appRootSlot<T>(scope: IConstruct, key: symbol, init: () => T): T {
  const root = scope.node.root as unknown as Record<symbol, T | undefined>;
  if (!(key in root)) Object.defineProperty(root, key, { value: init() });
  return root[key]!;
}
