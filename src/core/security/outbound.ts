import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { OutboundSettings } from '../../config.outbound.js';

/**
 * The guard on every request Usher makes to another server (upstream
 * identity providers now, webhooks later): https only, to public addresses
 * only, within a time and a size. A host's addresses are checked when the
 * connection is made (the socket's own lookup), so a name that resolves to a
 * public address when checked and a private one when connecting (DNS
 * rebinding) reaches nothing. Private and loopback addresses are allowed by
 * USHER_OUTBOUND_ALLOW_PRIVATE=on, or for the hosts of
 * USHER_OUTBOUND_ALLOWED_HOSTS; link-local addresses (cloud metadata,
 * 169.254.169.254) and other unroutable ones never. Plain http is allowed only
 * to an allowed loopback address (a provider on the same machine, tests).
 */
export type { OutboundSettings };

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | null;
  signal?: AbortSignal;
  redirect?: 'manual';
  /** The most of the answer read (OUTBOUND_MAX_BYTES by default); with `truncate`, the rest is dropped, not an error. */
  maxBytes?: number;
  truncate?: boolean;
}

export interface Outbound {
  /** A fetch that never follows redirects and reaches only what the guard allows; throws OutboundError. */
  fetch(url: string | URL, init?: OutboundInit): Promise<Response>;
  /** Throws OutboundError when `url` may not be requested (scheme, literal address); names are checked on connect. */
  check(url: string | URL): URL;
  /** True when plain http to a loopback host may be used (openid-client's allowInsecureRequests). */
  readonly insecureLoopback: boolean;
}

export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** The largest answer read from another server: 1 MiB. */
export const OUTBOUND_MAX_BYTES = 1024 * 1024;

const never = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['192.0.0.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  never.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fe80::', 10],
  ['ff00::', 8],
  ['fd00:ec2::254', 128],
  ['64:ff9b::', 96],
] as const)
  never.addSubnet(net, bits, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateNets = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['198.18.0.0', 15],
] as const)
  privateNets.addSubnet(net, bits, 'ipv4');
privateNets.addSubnet('fc00::', 7, 'ipv6');

type Kind = 'public' | 'private' | 'loopback' | 'never';

/** An IPv6 address as its eight 16-bit groups (`::` expanded, a trailing dotted quad as two groups). */
function groupsOf(ip: string): number[] {
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  let text = ip;
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${ip.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 one carries where a host or relay may route it there: IPv4-compatible (`::a.b.c.d`,
 * deprecated), 6to4 (2002::/16) and Teredo (2001:0::/32, its client address inverted). IPv4-mapped addresses are
 * judged by the BlockLists themselves, and NAT64 (64:ff9b::/96) is never reached.
 */
function embeddedIPv4(ip: string): string | undefined {
  const g = groupsOf(ip);
  if (g.length !== 8 || g.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffff)) return undefined;
  if (g.slice(0, 6).every((x) => x === 0) && !(g[6] === 0 && g[7]! <= 1)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  if (g[0] === 0x2001 && g[1] === 0) return v4(g[6]! ^ 0xffff, g[7]! ^ 0xffff);
  return undefined;
}

/**
 * What an address is: IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry; an IPv6 address
 * carrying any other IPv4 address that is not public (`[::127.0.0.1]`, `[2002:a9fe:a9fe::]`) is never reached.
 */
export function addressKind(address: string): Kind {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (never.check(ip, family)) return 'never';
  const carried = family === 'ipv6' ? embeddedIPv4(ip) : undefined;
  if (carried !== undefined && addressKind(carried) !== 'public') return 'never';
  if (loopback.check(ip, family)) return 'loopback';
  if (privateNets.check(ip, family)) return 'private';
  return 'public';
}

export function createOutbound(
  settings: Omit<OutboundSettings, 'webhookAllowPrivate'>,
  setting = 'USHER_OUTBOUND_ALLOW_PRIVATE',
): Outbound {
  const allowedHosts = new Set(settings.allowedHosts);
  const mayReach = (host: string, kind: Kind) =>
    kind === 'public' || (kind !== 'never' && (settings.allowPrivate || allowedHosts.has(host)));
  const refuse = (host: string, address: string) =>
    new OutboundError(`${host} resolves to ${address}, an address Usher does not reach (${setting})`);

  function check(raw: string | URL): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundError('not a URL');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundError('only https URLs are reached');
    if (url.username || url.password) throw new OutboundError('a URL with credentials is not reached');
    const literal = isIP(host) ? addressKind(host) : undefined;
    if (literal && !mayReach(host, literal)) throw refuse(host, host);
    if (url.protocol === 'http:') {
      const local = host === 'localhost' || literal === 'loopback';
      if (!local || !mayReach(host, 'loopback')) throw new OutboundError('only https URLs are reached');
    }
    return url;
  }

  /** The socket's lookup: every address the name has must be reachable, and http stays on loopback. */
  const guardedLookup = (host: string, plain: boolean) =>
    ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error);
        for (const a of addresses) {
          const kind = addressKind(a.address);
          if (!mayReach(host, kind) || (plain && kind !== 'loopback')) return callback(refuse(host, a.address));
        }
        if (options?.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(new OutboundError(`${host} has no address`));
        return callback(null, first.address, first.family);
      });
    }) as never;

  async function guardedFetch(raw: string | URL, init: OutboundInit = {}): Promise<Response> {
    const url = check(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).forEach((value, name) => {
      headers[name] = value;
    });
    let body: Buffer | undefined;
    if (typeof init.body === 'string' || init.body instanceof URLSearchParams) body = Buffer.from(String(init.body));
    else if (init.body instanceof Uint8Array) body = Buffer.from(init.body);
    else if (init.body instanceof ArrayBuffer) body = Buffer.from(new Uint8Array(init.body));
    else if (init.body != null) throw new OutboundError('a streamed body is not sent');
    if (body && init.body instanceof URLSearchParams)
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) => {
        clearTimeout(timer);
        init.signal?.removeEventListener('abort', onAbort);
        reject(error instanceof OutboundError ? error : new OutboundError(`${host}: ${(error as Error).message}`));
      };
      const req = send(url, {
        method: init.method ?? 'GET',
        headers,
        lookup: guardedLookup(host, url.protocol === 'http:'),
        agent: false,
      });
      const timer = setTimeout(
        () => req.destroy(new OutboundError(`${host} did not answer within ${settings.timeoutSeconds} s`)),
        settings.timeoutSeconds * 1000,
      );
      const onAbort = () => req.destroy(new OutboundError(`${host}: the request was aborted`));
      init.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      const max = init.maxBytes ?? OUTBOUND_MAX_BYTES;
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= max) chunks.push(chunk);
          else if (!init.truncate)
            req.destroy(
              new OutboundError(`${host} answered more than ${max === OUTBOUND_MAX_BYTES ? '1 MiB' : `${max} bytes`}`),
            );
          else {
            chunks.push(chunk.subarray(0, chunk.length - (size - max)));
            res.removeAllListeners('data');
            res.emit('end');
            req.destroy();
          }
        });
        res.on('error', fail);
        res.once('end', () => {
          clearTimeout(timer);
          init.signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 502;
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            for (const v of ([] as unknown[]).concat(value ?? [])) out.append(name, String(v));
          const empty = [101, 204, 205, 304].includes(status);
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: out }),
          );
        });
      });
      req.end(body);
    });
  }

  return {
    fetch: guardedFetch,
    check,
    insecureLoopback:
      settings.allowPrivate || settings.allowedHosts.some((h) => h === 'localhost' || addressKind(h) === 'loopback'),
  };
}
