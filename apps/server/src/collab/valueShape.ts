import type { ValueLimits } from './limits.ts';

/**
 * Walks a JSON-like value (as Yjs decodes ContentAny, ContentJSON, ContentEmbed, ContentFormat,
 * or as an awareness state parses) without recursion, so no input can overflow the stack here,
 * and answers why it breaks `limits`, or null. `budget.nodes` is shared across the values of one
 * message so that many small values cannot add up to an unbounded one.
 */
export function valueProblem(value: unknown, limits: ValueLimits, budget: { nodes: number }): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (++budget.nodes > limits.maxValueNodes) return `more than ${limits.maxValueNodes} values`;
    if (depth > limits.maxValueDepth) return `a value nested deeper than ${limits.maxValueDepth}`;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) return `a string longer than ${limits.maxStringLength}`;
    } else if (current instanceof Uint8Array) {
      if (current.length > limits.maxStringLength) return `binary data longer than ${limits.maxStringLength}`;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push([item, depth + 1]);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (key.length > limits.maxKeyLength) return `a key longer than ${limits.maxKeyLength}`;
        stack.push([item, depth + 1]);
      }
    }
  }
  return null;
}
