import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type Provider from 'oidc-provider';
import { SECURITY_HEADERS } from '../../http/security-headers.js';

/** The provider in use (it is rebuilt when the signing keys change) and its request handler, made once per build. */
export type ProviderHandle = {
  current(): Provider;
  handler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
};

/**
 * Hands a request to oidc-provider (a Koa application) under its mount path:
 * the provider builds its URLs from `originalUrl` less `url`. Fastify has
 * not read the body; the provider reads it itself, unless `body` holds what
 * Fastify read already (the token endpoint's grace check), replayed as a
 * stream the provider can read.
 */
export async function toProvider(
  handle: ProviderHandle,
  prefix: string,
  raw: IncomingMessage,
  res: ServerResponse,
  body?: Buffer,
): Promise<void> {
  const full = raw.url ?? '/';
  const req = body ? replay(raw, body) : raw;
  Object.assign(req, { originalUrl: full, url: full.slice(prefix.length) || '/' });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!res.hasHeader(name)) res.setHeader(name, value);
  await handle.handler()(req, res);
}

/** A request whose body is read already, as a readable request again. */
function replay(raw: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = Readable.from([body]) as unknown as IncomingMessage;
  const fields: Array<keyof IncomingMessage> = [
    'headers',
    'rawHeaders',
    'method',
    'httpVersion',
    'httpVersionMajor',
    'httpVersionMinor',
    'socket',
    'trailers',
  ];
  for (const field of fields) Object.defineProperty(copy, field, { value: raw[field], writable: true });
  Object.defineProperty(copy, 'connection', { value: raw.socket, writable: true });
  return copy;
}
