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
