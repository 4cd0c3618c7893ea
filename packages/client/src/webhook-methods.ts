import type {
  CreateWebhookInput,
  ListWebhookDeliveriesQuery,
  PatchWebhookInput,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookWithSecret,
} from './api-types.js';
import type { Transport } from './transport.js';

const at = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

/**
 * Webhook endpoints: added, changed and removed by signed-in admins, read by moderators. The signing secret is in the
 * answers of `create` and `rotateSecret` only. (Checking a delivery: `verifyWebhook`, user-management-api-client/server.)
 */
export const webhookMethods = (t: Transport) => ({
  create: async (input: CreateWebhookInput): Promise<WebhookWithSecret> =>
    (await t.request<{ data: WebhookWithSecret }>('POST', '/webhooks', { body: input })).data,
  list: async (): Promise<Webhook[]> => (await t.request<{ data: Webhook[] }>('GET', '/webhooks')).data,
  get: async (id: string): Promise<Webhook> => (await t.request<{ data: Webhook }>('GET', at(id))).data,
  update: async (id: string, input: PatchWebhookInput): Promise<Webhook> =>
    (await t.request<{ data: Webhook }>('PATCH', at(id), { body: input })).data,
  delete: async (id: string): Promise<void> => void (await t.request('DELETE', at(id))),
  /** A new secret; deliveries carry the old one's signature too for 24 h. */
  rotateSecret: async (id: string): Promise<WebhookWithSecret> =>
    (await t.request<{ data: WebhookWithSecret }>('POST', `${at(id)}/secret`)).data,
  /** Queues a `webhook.test` event for this endpoint; answers its delivery. */
  test: async (id: string): Promise<WebhookDelivery> =>
    (await t.request<{ data: WebhookDelivery }>('POST', `${at(id)}/test`)).data,
  /** Newest first; `?status=` filters; `pagination.next_cursor` pages. */
  deliveries: async (id: string, query: ListWebhookDeliveriesQuery = {}): Promise<WebhookDeliveryList> => {
    const { data, pagination } = await t.request<WebhookDeliveryList>('GET', `${at(id)}/deliveries`, { query });
    return { data, pagination };
  },
  /** Sends a delivery again, with the same webhook-id. */
  resend: async (id: string, deliveryId: string): Promise<WebhookDelivery> =>
    (
      await t.request<{ data: WebhookDelivery }>(
        'POST',
        `${at(id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`,
      )
    ).data,
});
