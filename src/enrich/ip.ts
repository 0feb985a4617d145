import ipaddr from 'ipaddr.js';

/**
 * IP classification (pure). `public` is the only class a consumer's phone or home router should
 * show at the edge; everything else is either internal plumbing or spoofed input.
 */
export type IpClass = 'public' | 'private' | 'loopback' | 'link-local' | 'carrier-nat' | 'reserved' | 'multicast' | 'unspecified';

const RANGE_CLASS: Record<string, IpClass> = {
  unicast: 'public',
  private: 'private',
  uniqueLocal: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-nat',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'reserved',
  reserved: 'reserved',
  benchmarking: 'reserved',
  amt: 'reserved',
  as112: 'reserved',
  deprecated: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  '6to4': 'public',
  teredo: 'public',
  rfc6052: 'public',
  rfc6145: 'reserved',
  ipv4Mapped: 'public',
  discard: 'reserved',
};

export interface IpInfo {
  version: 4 | 6;
  ipClass: IpClass;
  /** The /24 (IPv4) or /64 (IPv6) network, as a velocity key. */
  subnet: string;
}

export function classifyIp(ip: string): IpInfo {
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  const range = addr.range();
  const ipClass = RANGE_CLASS[range] ?? (range === 'unicast' ? 'public' : 'reserved');
  if (addr.kind() === 'ipv4') {
    const o = (addr as ipaddr.IPv4).octets;
    return { version: 4, ipClass, subnet: `${o[0]}.${o[1]}.${o[2]}.0/24` };
  }
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return { version: 6, ipClass, subnet: `${parts.join(':')}::/64` };
}

/**
 * One spelling per address: IPv4 dotted, IPv4-mapped IPv6 as IPv4, IPv6 in RFC 5952 form (lower case, zeros
 * compressed) without a zone id (`fe80::1%eth0` is `fe80::1`). Anything that is not an address (a subnet key)
 * is only trimmed and lower-cased.
 */
/** A plain dotted-quad IPv4 address (decimal, no leading zeros): already canonical, the common case, no parser needed. */
const PLAIN_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function canonicalIp(ip: string): string {
  const text = ip.trim();
  if (PLAIN_V4.test(text)) return text;
  // No address spelling holds a '/': a subnet key. (The parser would throw, and a throw costs ~25 µs.)
  if (text.includes('/')) return text.toLowerCase();
  try {
    const addr = ipaddr.parse(text);
    if (addr.kind() === 'ipv4') return addr.toString();
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
    return new ipaddr.IPv6(v6.parts).toRFC5952String();
  } catch {
    return text.toLowerCase();
  }
}

/** What analysts may see of an address: its /24 (IPv4) or /48 (IPv6) network, never the host part. */
export function maskIp(ip: string): string {
  // A subnet key (`1.2.3.0/24`) is masked by its network address.
  const canonical = canonicalIp(ip.split('/')[0] ?? ip);
  if (PLAIN_V4.test(canonical)) return `${canonical.slice(0, canonical.lastIndexOf('.'))}.*`;
  try {
    const addr = ipaddr.parse(canonical);
    if (addr.kind() === 'ipv4') {
      const o = (addr as ipaddr.IPv4).octets;
      return `${o[0]}.${o[1]}.${o[2]}.*`;
    }
    const parts = (addr as ipaddr.IPv6).parts.slice(0, 3).map((p) => p.toString(16));
    return `${parts.join(':')}::/48`;
  } catch {
    return '*';
  }
}
