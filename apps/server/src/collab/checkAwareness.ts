import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AWARENESS_LIMITS } from './limits.ts';
import { valueProblem } from './valueShape.ts';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed state; null removes the client's presence. */
  state: unknown;
}

/** An awareness update that breaks the limits or the y-protocols layout. */
export class AwarenessProblem extends Error {}

/**
 * Decodes a y-protocols awareness update and checks every entry against AWARENESS_LIMITS before
 * the server applies or relays any of it (y-protocols would parse and store a state nested
 * thousands deep, which then overflows the stack each time the server encodes awareness).
 * Throws AwarenessProblem; never anything else.
 */
export function checkAwareness(update: Uint8Array): AwarenessEntry[] {
  const limits = AWARENESS_LIMITS;
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > limits.maxEntries) throw new AwarenessProblem(`more than ${limits.maxEntries} awareness entries`);
    const entries: AwarenessEntry[] = [];
    const budget = { nodes: 0 };
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const text = decoding.readVarString(decoder);
      if (clock > limits.maxClock) throw new AwarenessProblem('an awareness clock out of range');
      if (text.length > limits.maxStateLength) {
        throw new AwarenessProblem(`an awareness state longer than ${limits.maxStateLength}`);
      }
      const state: unknown = JSON.parse(text);
      const problem = valueProblem(state, limits, budget);
      if (problem) throw new AwarenessProblem(`awareness state: ${problem}`);
      entries.push({ clientId, clock, state });
    }
    if (decoding.hasContent(decoder)) throw new AwarenessProblem('bytes after the awareness update');
    return entries;
  } catch (error) {
    if (error instanceof AwarenessProblem) throw error;
    throw new AwarenessProblem(`undecodable awareness update: ${(error as Error).message}`);
  }
}

/** The y-protocols encoding of some entries (what the server applies after leaving others out). */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}
