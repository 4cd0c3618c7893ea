import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, onRequestHookHandler, onSendHookHandler, preParsingHookHandler } from 'fastify';
import { AppError } from '../core/errors.js';

/**
 * How long the rest of a refused body is read (and dropped) before the answer
 * is sent anyway and the connection closed: a client still sending is not
 * reset, so it can read the answer.
 */
export const LINGER_MS = 5_000;

/** Set on a request that asked `Expect: 100-continue` until its `100 Continue` is sent. */
const awaitingContinue = new WeakSet<IncomingMessage>();

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', undefined, undefined, 'request');

/**
 * Request bodies are refused by the route's own limit (1 MB, 3 MB where a
 * picture is taken) as early as they can be, always with an answer:
 * - a `Content-Length` over the limit is 413 before any of the body is read,
 *   and before `100 Continue` (Node would send it at once; here it waits
 *   until the route's checks pass, and a request answered without it has its
 *   connection closed by Node: its body never came);
 * - a body that goes over the limit while read (chunked) is 413 (Fastify);
 * - either way, a client that is still sending may finish: the rest of the
 *   body is read and dropped for at most LINGER_MS before the 413 is sent,
 *   instead of closing the connection under it, which resets it and loses
 *   the 413 the client had not read yet.
 */
export function bodyLimits(app: FastifyInstance): void {
  app.server.on('checkContinue', (req: IncomingMessage, res) => {
    awaitingContinue.add(req);
    app.server.emit('request', req, res);
  });
  const refuseLength: onRequestHookHandler = (request, _reply, done) => {
    const length = Number(request.headers['content-length']);
    done(length > request.routeOptions.bodyLimit ? tooLarge() : undefined);
  };
  // The body is about to be read: the route accepts this much, so the client may send it.
  const allowContinue: preParsingHookHandler = (request, reply, payload, done) => {
    if (awaitingContinue.delete(request.raw)) reply.raw.writeContinue();
    done(null, payload);
  };
  const drain: onSendHookHandler = (request, reply, payload, done) => {
    const raw = request.raw;
    // Only Node's own requests (`complete` is false until the body ended), not injected ones.
    if (raw.complete !== false || awaitingContinue.has(raw)) return done(null, payload);
    // Answered before the body ended: drop the rest of it, then answer (and close if it did not end in time).
    const answer = () => {
      clearTimeout(timer);
      raw.removeListener('end', answer);
      raw.socket?.removeListener('close', answer);
      if (!raw.complete) reply.header('connection', 'close');
      done(null, payload);
    };
    const timer = setTimeout(answer, LINGER_MS);
    raw.once('end', answer);
    raw.socket?.once('close', answer);
    raw.resume();
  };
  // Fastify never reads a GET's or HEAD's body (Node drops it): only routes that read one pay for the hooks.
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    if (methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    route.onRequest = [
      ...([] as onRequestHookHandler[]).concat((route.onRequest as onRequestHookHandler) ?? []),
      refuseLength,
    ];
    route.preParsing = [
      ...([] as preParsingHookHandler[]).concat((route.preParsing as preParsingHookHandler) ?? []),
      allowContinue,
    ];
    route.onSend = [...([] as onSendHookHandler[]).concat((route.onSend as onSendHookHandler) ?? []), drain];
  });
}
