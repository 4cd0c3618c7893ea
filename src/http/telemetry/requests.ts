import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import { HTTP_METHODS, STATUS_CLASSES } from '../../core/metrics/labels.js';

type Child = ReturnType<Histogram<'route' | 'method' | 'status'>['labels']>;

const METHODS = new Set<string>(HTTP_METHODS);

/**
 * Records every request's duration under its route template (fastify's `routeOptions.url`, or `unmatched`), its
 * method (from a fixed list, else `other`) and its status class: never the path as sent, so no request adds a
 * series beyond the routes the app declares. The labelled children are made once per route and method, so a request
 * costs two map reads and one observe.
 */
export function recordRequests(app: FastifyInstance, histogram: Histogram<'route' | 'method' | 'status'>): void {
  const routes = new Map<string, Map<string, Child[]>>();
  const childrenOf = (route: string, given: string): Child[] => {
    const method = METHODS.has(given) ? given : 'other';
    let methods = routes.get(route);
    if (!methods) routes.set(route, (methods = new Map()));
    let children = methods.get(method);
    if (!children) {
      children = STATUS_CLASSES.map((status) => histogram.labels(route, method, status));
      methods.set(method, children);
    }
    return children;
  };
  app.addHook('onResponse', (request, reply, done) => {
    const children = childrenOf(request.routeOptions.url ?? 'unmatched', request.method);
    const index = Math.min(4, Math.max(0, Math.floor(reply.statusCode / 100) - 1));
    children[index]!.observe(reply.elapsedTime / 1000);
    done();
  });
}
