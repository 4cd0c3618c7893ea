import { parse } from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import type { BrandSettings } from '../../config.identity.js';
import { HOSTED_CSP } from './layout.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The brand the hosted pages are drawn in (set for the hosted surface's requests). */
    hostedBrand?: BrandSettings;
  }
}

const FORM_LIMIT = 16 * 1024;

/**
 * What a scope of HTML pages shares (the hosted sign-in pages, the mailed links' pages): kept out of the OpenAPI
 * document, drawn in the brand, sent with the pages' CSP, and urlencoded forms as their only bodies.
 */
export function pageScope(app: FastifyInstance, brand: BrandSettings): void {
  // Pages for a browser, not API operations: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.addHook('onRequest', async (request) => {
    request.hostedBrand = brand;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload === 'string' && payload.startsWith('<!doctype html>')) {
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('content-security-policy', HOSTED_CSP);
    }
    return payload;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => {
      const fields = parse(String(body));
      const form: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) form[name] = Array.isArray(value) ? value.at(-1)! : value!;
      done(null, form);
    },
  );
}
