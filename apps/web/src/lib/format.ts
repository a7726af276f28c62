const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

// Each unit with how many of it make the next one; past five weeks a plain date reads better.
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 5],
];

/** "3 minutes ago" for recent times, a date for older ones. */
export function timeAgo(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  let amount = (date.getTime() - now) / 1000;
  if (Math.abs(amount) < 45) return 'just now';
  for (const [unit, limit] of UNITS) {
    if (Math.abs(amount) < limit) return relative.format(Math.round(amount), unit);
    amount /= limit;
  }
  return absolute.format(date);
}

export function fullDate(iso: string): string {
  return absolute.format(new Date(iso));
}
