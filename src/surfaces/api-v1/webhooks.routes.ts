import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { envelope } from './presenter.js';
import { deliveryV1, webhookV1 } from './webhooks.presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryList,
  DeliveryParams,
  DeliveryV1,
  PatchWebhookBody,
  WebhookList,
  WebhookParams,
  WebhookV1,
  WebhookWithSecretV1,
} from './webhooks.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

const fieldsOf = (b: { url?: string; event_types?: string[]; description?: string; enabled?: boolean }) => ({
  url: b.url,
  eventTypes: b.event_types,
  description: b.description,
  enabled: b.enabled,
});

/** Webhook endpoints (Standard Webhooks): changed by signed-in admins, read by staff; the secret shown once. */
export function webhooksRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const hooks = core.webhooks;

  r.post(
    '/webhooks',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary: 'Add a webhook endpoint (signed-in admins); the answer holds its signing secret, shown only here',
        body: CreateWebhookBody,
        response: { 201: Envelope(WebhookWithSecretV1), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await hooks.create(requirePrincipal(request), fieldsOf(request.body));
      return reply.code(201).send(envelope({ ...webhookV1(endpoint), secret }));
    },
  );

  r.get(
    '/webhooks',
    {
      schema: {
        security,
        summary: 'List the webhook endpoints (moderators and admins); secrets are never shown',
        response: { 200: WebhookList, ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await hooks.list(requirePrincipal(request))).map(webhookV1)),
  );

  r.get(
    '/webhooks/:id',
    {
      schema: {
        security,
        summary: 'A webhook endpoint (moderators and admins)',
        params: WebhookParams,
        response: { 200: Envelope(WebhookV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => envelope(webhookV1(await hooks.get(requirePrincipal(request), request.params.id))),
  );

  r.patch(
    '/webhooks/:id',
    {
      schema: {
        security,
        summary: 'Change a webhook endpoint (signed-in admins): only the given fields',
        params: WebhookParams,
        body: PatchWebhookBody,
        response: { 200: Envelope(WebhookV1), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope(webhookV1(await hooks.update(requirePrincipal(request), request.params.id, fieldsOf(request.body)))),
  );

  r.delete(
    '/webhooks/:id',
    {
      schema: {
        security,
        summary: 'Delete a webhook endpoint and its deliveries (signed-in admins)',
        params: WebhookParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await hooks.delete(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/webhooks/:id/secret',
    {
      schema: {
        security,
        summary:
          'Rotate the signing secret (signed-in admins): the new one is answered once; for 24 h deliveries carry both signatures',
        params: WebhookParams,
        response: { 200: Envelope(WebhookWithSecretV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { endpoint, secret } = await hooks.rotate(requirePrincipal(request), request.params.id);
      return envelope({ ...webhookV1(endpoint), secret });
    },
  );

  r.post(
    '/webhooks/:id/test',
    {
      schema: {
        security,
        summary: 'Send a webhook.test event to this endpoint (signed-in admins); the answer is its delivery',
        params: WebhookParams,
        response: { 202: Envelope(DeliveryV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(envelope(deliveryV1(await hooks.test(requirePrincipal(request), request.params.id)))),
  );

  r.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        security,
        summary: "An endpoint's deliveries, newest first (moderators and admins); ?status= filters",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const { deliveries, nextCursor } = await hooks.deliveries(requirePrincipal(request), request.params.id, {
        status: request.query.status,
        cursor: request.query.cursor,
        limit,
      });
      return { ...envelope(deliveries.map(deliveryV1)), pagination: { limit, next_cursor: nextCursor } };
    },
  );

  r.post(
    '/webhooks/:id/deliveries/:delivery_id/resend',
    {
      schema: {
        security,
        summary: 'Send a delivery again, with the same webhook-id (signed-in admins)',
        params: DeliveryParams,
        response: { 202: Envelope(DeliveryV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { id, delivery_id } = request.params;
      return reply.code(202).send(envelope(deliveryV1(await hooks.resend(requirePrincipal(request), id, delivery_id))));
    },
  );
}
