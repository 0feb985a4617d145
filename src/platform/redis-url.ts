/**
 * The forms `redis.url` takes (pure; validated at start-up by the config schema):
 *   redis://[user:password@]host:port[/db]          one Redis, or a primary (plain TCP)
 *   rediss://…                                      the same over TLS
 *   redis+cluster://[user:password@]host:port[,host:port…]    Redis Cluster: any reachable nodes
 *   rediss+cluster://…                              Redis Cluster over TLS
 * A cluster URL lists seed nodes only: the client discovers the rest (and the slot map) from them.
 * IPv6 seeds go in brackets, as in `redis+cluster://[::1]:7000`. A cluster has no databases: no /db.
 */
export type RedisTarget =
  { kind: 'single'; url: string } | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

const CLUSTER = /^(rediss?)\+cluster:\/\/(.*)$/;
const NODE = /^(\[[0-9a-fA-F:.]+\]|[^[\]:/@,]+):(\d{1,5})$/;

function validPort(text: string): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

function parseCluster(scheme: string, rest: string): RedisTarget {
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/$/, '');
  if (hosts.includes('/') || hosts.includes('?')) throw new Error('a Redis Cluster URL has no database or options: redis+cluster://host:port[,host:port…]');
  const nodes = hosts.split(',').map((text) => {
    const m = NODE.exec(text.trim());
    const port = m ? validPort(m[2] as string) : undefined;
    if (!m || port === undefined) throw new Error(`"${text}" is not host:port with a port of 1–65535 (IPv6 in brackets)`);
    return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
  });
  const colon = auth.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
  const password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : undefined;
  return { kind: 'cluster', nodes, tls: scheme === 'rediss', ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** Parses `redis.url`; throws an Error that says what is wrong (never echoing a password). */
export function parseRedisUrl(url: string): RedisTarget {
  const cluster = CLUSTER.exec(url);
  if (cluster) return parseCluster(cluster[1] as string, cluster[2] as string);
  if (!/^rediss?:\/\//.test(url)) throw new Error('the Redis URL starts with redis://, rediss://, redis+cluster:// or rediss+cluster://');
  let port: string;
  try {
    port = new URL(url).port;
  } catch {
    throw new Error('not a valid URL, or its port is not 1–65535');
  }
  if (port !== '' && validPort(port) === undefined) throw new Error('its port is not 1–65535');
  return { kind: 'single', url };
}

/** The URL without its password, for messages. */
export function redactedRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@]*@/i, '$1***@');
}
