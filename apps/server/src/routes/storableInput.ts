import { assertNoNul, toWellFormed } from '@debrief/sources';

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Makes every string of validated input storable text, in place: a lone surrogate (a JSON escape
 * such as "\ud800") becomes U+FFFD, and a NUL is refused with `invalid_text` naming the field,
 * before it can reach PostgreSQL, which refuses both in text and jsonb. Only plain objects and
 * arrays are entered (uploaded files are not text), without recursion: input may be deep. Route
 * inputs are objects (body, path parameters), so a string is always inside one.
 */
export function makeStorable(value: unknown): void {
  const pending: Array<{ container: Container; path: string }> = isContainer(value)
    ? [{ container: value, path: '' }]
    : [];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { container, path } = next;
    for (const [key, item] of Object.entries(container)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (typeof item === 'string') {
        assertNoNul(item, `The field ${itemPath}`);
        if (!item.isWellFormed()) (container as Record<string, unknown>)[key] = toWellFormed(item);
      } else if (isContainer(item)) {
        pending.push({ container: item, path: itemPath });
      }
    }
  }
}
