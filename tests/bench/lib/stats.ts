/** Nearest-rank percentile of unsorted values; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: number[]): Distribution {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

/** First index i (even) of a flattened [key, time, key, time, …] array, ascending in key, with key >= k; -1 if none. */
export function firstAtLeast(pairs: number[], k: number): number {
  let lo = 0;
  let hi = pairs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((pairs[mid * 2] as number) >= k) hi = mid;
    else lo = mid + 1;
  }
  return lo < pairs.length / 2 ? lo * 2 : -1;
}

/** Edits (or caret moves) of one sender and what each other client of the same briefing saw. */
export interface SenderRecord {
  room: string;
  /** Yjs client id of the sender (also its awareness id). */
  clientId: number;
  /** Flattened [clock or seq, send time] pairs, ascending. */
  sent: number[];
}

export interface ObserverRecord {
  room: string;
  clientId: number;
  /** Per sender client id: flattened [clock or seq, receive time] pairs, ascending. */
  seen: Record<string, number[]>;
}

export interface FanOut {
  /** Edits sent. */
  sent: number;
  /** Edits that reached every other client of their briefing. */
  deliveredToAll: number;
  /** (edit, client) pairs that never arrived. */
  missing: number;
  /** Per edit: time until the last other client had it (ms). */
  all: Distribution;
  /** Per (edit, client): time until that client had it (ms). */
  each: Distribution;
  firstSend: number;
  lastDelivery: number;
}

/**
 * Joins what senders sent with what observers saw. An observer "has" edit (client c, clock k)
 * from the first moment its state for c reached k: updates of one client arrive in order.
 */
export function fanOut(senders: SenderRecord[], observers: ObserverRecord[]): FanOut {
  const byRoom = new Map<string, ObserverRecord[]>();
  for (const o of observers) {
    const list = byRoom.get(o.room) ?? [];
    list.push(o);
    byRoom.set(o.room, list);
  }
  const all: number[] = [];
  const each: number[] = [];
  let sent = 0;
  let missing = 0;
  let deliveredToAll = 0;
  let firstSend = Number.POSITIVE_INFINITY;
  let lastDelivery = Number.NEGATIVE_INFINITY;
  for (const s of senders) {
    const others = (byRoom.get(s.room) ?? []).filter((o) => o.clientId !== s.clientId);
    for (let i = 0; i < s.sent.length; i += 2) {
      const key = s.sent[i] as number;
      const at = s.sent[i + 1] as number;
      sent++;
      firstSend = Math.min(firstSend, at);
      let worst = 0;
      let complete = true;
      for (const o of others) {
        const pairs = o.seen[String(s.clientId)] ?? [];
        const j = firstAtLeast(pairs, key);
        if (j < 0) {
          missing++;
          complete = false;
          continue;
        }
        const latency = Math.max(0, (pairs[j + 1] as number) - at);
        each.push(latency);
        worst = Math.max(worst, latency);
        lastDelivery = Math.max(lastDelivery, pairs[j + 1] as number);
      }
      if (complete && others.length > 0) {
        deliveredToAll++;
        all.push(worst);
      }
    }
  }
  return { sent, deliveredToAll, missing, all: distribution(all), each: distribution(each), firstSend, lastDelivery };
}
