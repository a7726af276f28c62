import { concat } from './frames.ts';
import type { Random } from './seed.ts';

/** Bytes that sit on varUint and type boundaries: where decoders go wrong. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x75, 0x76, 0x77];

/** A varUint far past 2^53: ten continuation bytes. */
const HUGE_VARUINT = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];

/**
 * One mutation of `data` in the style of a byte-level fuzzer: bit flips, truncation, splicing with
 * `other`, inserted or deleted ranges, boundary bytes, an out-of-range varUint.
 */
export function mutate(random: Random, data: Uint8Array, other: Uint8Array): Uint8Array {
  const at = (length: number) => random.int(0, Math.max(0, length));
  switch (random.int(0, 7)) {
    case 0: {
      const out = data.slice();
      for (let flips = random.int(1, 8); flips > 0 && out.length > 0; flips--) {
        out[at(out.length - 1)]! ^= 1 << random.int(0, 7);
      }
      return out;
    }
    case 1:
      return data.subarray(0, at(data.length - 1));
    case 2:
      return concat(data.subarray(0, at(data.length)), other.subarray(at(other.length)));
    case 3: {
      const cut = at(data.length);
      return concat(data.subarray(0, cut), random.bytes(random.int(1, 16)), data.subarray(cut));
    }
    case 4: {
      const from = at(data.length);
      return concat(data.subarray(0, from), data.subarray(Math.min(data.length, from + random.int(1, 16))));
    }
    case 5: {
      const out = data.slice();
      for (let n = random.int(1, 4); n > 0 && out.length > 0; n--) out[at(out.length - 1)] = random.pick(INTERESTING);
      return out;
    }
    case 6: {
      const cut = at(data.length);
      return concat(data.subarray(0, cut), HUGE_VARUINT, data.subarray(cut));
    }
    default: {
      const from = at(data.length);
      const range = data.subarray(from, from + random.int(1, 32));
      return concat(data.subarray(0, from), range, range, data.subarray(from));
    }
  }
}
