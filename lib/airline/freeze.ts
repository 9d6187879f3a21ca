/** Deep-freeze a shared base state so an accidental write throws instead of leaking between rollouts. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === "object") stack.push(child);
    }
  }
  return value;
}
