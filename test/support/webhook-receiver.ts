import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
}

export type Mode = 'ok' | 'fail' | 'hang';

/**
 * A webhook receiver on 127.0.0.1: records every request it answers 2xx (and
 * counts the others), with the deliveries in flight at once. `down()` closes
 * the port, `up()` opens the same one again.
 */
export async function receiver() {
  const accepted: Received[] = [];
  const refused: Received[] = [];
  const seen: Received[] = [];
  let mode: Mode = 'ok';
  let delayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const hanging = new Set<() => void>();
  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const r: Received = { headers: req.headers, body, json: JSON.parse(body) };
          seen.push(r);
          if (mode === 'hang') {
            hanging.add(() => res.destroy());
            return;
          }
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          setTimeout(() => {
            inFlight--;
            if (mode === 'fail') {
              refused.push(r);
              res.writeHead(500).end('no');
            } else {
              accepted.push(r);
              res.writeHead(204).end();
            }
          }, delayMs);
        });
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  const down = () =>
    new Promise<void>((resolve) => {
      for (const h of hanging) h();
      hanging.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    get url() {
      return `http://127.0.0.1:${port}/hook`;
    },
    get port() {
      return port;
    },
    accepted,
    refused,
    /** Every request that arrived, answered or not. */
    seen,
    get maxInFlight() {
      return maxInFlight;
    },
    set mode(m: Mode) {
      mode = m;
      if (m !== 'hang') for (const h of hanging) h();
    },
    set delayMs(ms: number) {
      delayMs = ms;
    },
    down,
    up: listen,
    /** Throws unless the request is signed with `secret` (Standard Webhooks, the npm package). */
    verify(r: Received, secret: string) {
      return new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
    },
  };
}
