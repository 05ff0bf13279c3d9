// Configurations and payloads name attributes freely: `toString`, `constructor` and `__proto__`
// are ordinary names there. A plain object inherits those from Object.prototype, and assigning
// `__proto__` replaces its prototype instead of adding a key. These two keep such names data.

/** The object's own value under a name from user text (undefined when it has none). */
export function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** Sets a key from user text as an own, enumerable property, `__proto__` included. */
export function setOwnValue(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else object[key] = value;
}
