import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { SourceError } from './SourceError.ts';

/**
 * Addresses a server must not be made to fetch on a user's behalf: its own loopback, private
 * and carrier-grade NAT ranges, link-local (cloud metadata at 169.254.169.254), multicast,
 * reserved and documentation ranges, in IPv4 and IPv6.
 */
const FORBIDDEN = new BlockList();
const IPV4_RANGES = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const IPV6_RANGES = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;
for (const [network, prefix] of IPV4_RANGES) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_RANGES) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** The same ranges in CIDR notation, for the connect-time check (request-filtering-agent). */
export const FORBIDDEN_CIDRS: readonly string[] = [...IPV4_RANGES, ...IPV6_RANGES].map(
  ([net, bits]) => `${net}/${bits}`,
);

export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return FORBIDDEN.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Every address a host name resolves to, through `lookup` (the system resolver by default). */
function resolveAll(host: string, lookup: LookupFunction): Promise<string[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve((addresses as unknown as Array<{ address: string }>).map((entry) => entry.address));
    });
  });
}

/**
 * Refuses a URL whose host is, or resolves to, a forbidden address, with a clear error before any
 * connection is tried. Every address the name resolves to must be public. This check alone cannot
 * stop a name that resolves differently a moment later (DNS rebinding): the connection checks the
 * address it actually connects to as well (see fetchSourceUrl).
 */
export async function assertPublicHost(url: URL, lookup: LookupFunction = dnsLookup): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await resolveAll(host, lookup);
    } catch {
      throw new SourceError('url_unreachable', 'The address could not be reached: the host name was not found.');
    }
  }
  if (addresses.length === 0 || addresses.some(isForbiddenAddress)) throw notAllowed();
}

export const notAllowed = (): SourceError =>
  new SourceError(
    'url_not_allowed',
    'That address points inside a private network; only public web addresses can be imported.',
  );
