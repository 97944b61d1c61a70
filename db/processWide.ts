/**
 * One value for the whole app process, whichever copy of a module asks for it: each route of the
 * built app may load its own copy of a module, and the request that starts an upload is not the one
 * that follows it, nor the one that loads the next.
 */
const shared = globalThis as typeof globalThis & { escalationWarehouse?: Map<string, unknown> };

export function processWide<T>(name: string, create: () => T): T {
  const values = (shared.escalationWarehouse ??= new Map<string, unknown>());
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}
