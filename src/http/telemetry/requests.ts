import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Histogram } from 'prom-client';
import { HTTP_METHODS, STATUS_CLASSES } from '../../core/metrics/labels.js';

type Child = ReturnType<Histogram<'route' | 'method' | 'status'>['labels']>;

const METHODS = new Set<string>(HTTP_METHODS);

/**
 * Records every request's duration under its route template (or `unmatched`), its method (from a fixed list, else
 * `other`) and its status class: never the path as sent, so no request adds a series beyond the routes the app
 * declares. Each route gets its own `onResponse` hook holding its labelled children, made when the route is declared:
 * a request costs an array read and one observe. Requests no route matched are recorded by an app-wide hook that
 * returns at once for the others.
 */
export function recordRequests(app: FastifyInstance, histogram: Histogram<'route' | 'method' | 'status'>): void {
  const childrenOf = (route: string, method: string): Child[] => {
    const name = METHODS.has(method) ? method : 'other';
    return STATUS_CLASSES.map((status) => histogram.labels(route, name, status));
  };
  const observe = (children: Child[], reply: FastifyReply) =>
    children[Math.min(4, Math.max(0, Math.floor(reply.statusCode / 100) - 1))]!.observe(reply.elapsedTime / 1000);

  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const byMethod = new Map(methods.map((m) => [m, childrenOf(route.url, m)]));
    const only = methods.length === 1 ? byMethod.get(methods[0]!)! : undefined;
    const hook: onResponseHookHandler = (request, reply, done) => {
      const children = only ?? byMethod.get(request.method);
      if (children) observe(children, reply);
      done();
    };
    route.onResponse = [...([] as onResponseHookHandler[]).concat(route.onResponse ?? []), hook];
  });

  const unmatched = new Map<string, Child[]>();
  app.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    if (request.is404) {
      const method = METHODS.has(request.method) ? request.method : 'other';
      let children = unmatched.get(method);
      if (!children) unmatched.set(method, (children = childrenOf('unmatched', method)));
      observe(children, reply);
    }
    done();
  });
}
