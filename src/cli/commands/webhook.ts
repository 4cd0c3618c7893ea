import type { WebhookFields } from '../../core/webhooks/webhook.service.js';
import { deliveryV1, webhookV1 } from '../../surfaces/api-v1/webhooks.presenter.js';
import { AS, type Command, UsageError, type Values, str, strings } from '../command.js';
import { CLI_SYSTEM, operator } from '../context.js';

/** `usher webhook …`: webhook endpoints and their deliveries, as an admin (a running server sends them). */

const COLUMNS = ['id', 'url', 'event_types', 'enabled', 'description', 'failing_since'];
const DELIVERY_COLUMNS = ['id', 'event_type', 'status', 'attempts', 'response_status', 'duration_ms', 'created_at'];

const FIELDS = {
  url: {
    type: 'string',
    description: 'Where events are posted: https (private addresses need USHER_WEBHOOK_ALLOW_PRIVATE=on)',
  },
  event: { type: 'string', multiple: true, description: 'An event type to send (repeat; default every one, "*")' },
  description: { type: 'string', description: 'What the endpoint is for' },
  disabled: { type: 'boolean', description: 'Send it nothing for now' },
  enabled: { type: 'boolean', description: 'Send it events' },
} as const;

function fieldsOf(values: Values): WebhookFields {
  if (values.disabled && values.enabled) throw new UsageError('give --enabled or --disabled, not both');
  return {
    ...(str(values.url) && { url: str(values.url) }),
    ...(strings(values.event) && { eventTypes: strings(values.event) }),
    ...(str(values.description) !== undefined && { description: str(values.description) }),
    ...(values.disabled === true && { enabled: false }),
    ...(values.enabled === true && { enabled: true }),
  };
}

const idOf = (positionals: string[]): string => {
  if (!positionals[0]) throw new UsageError('give the webhook id (usher webhook list)');
  return positionals[0];
};

export const webhookAdd: Command = {
  summary: 'Add a webhook endpoint; prints its signing secret, shown only now',
  usage: 'usher webhook add --url URL [--event TYPE ...] [--description TEXT] [--disabled]',
  options: { ...FIELDS, ...AS },
  async run({ values, out, open }) {
    if (!str(values.url)) throw new UsageError('--url is required');
    const { core } = await open();
    const { endpoint, secret } = await core.webhooks.create(await operator(core, str(values.as)), fieldsOf(values));
    out.record({ ...webhookV1(endpoint), secret });
    if (!out.json)
      out.note('the signing secret is shown only now: store it safely (usher webhook rotate-secret makes another)');
    return 0;
  },
};

export const webhookList: Command = {
  summary: 'List webhook endpoints (never their secrets)',
  usage: 'usher webhook list',
  options: {},
  async run({ out, open }) {
    const { core } = await open();
    out.rows((await core.webhooks.list(CLI_SYSTEM)).map(webhookV1), COLUMNS);
    return 0;
  },
};

export const webhookUpdate: Command = {
  summary: 'Change a webhook endpoint (only the options given)',
  usage: 'usher webhook update ID [--url URL] [--event TYPE ...] [--description TEXT] [--enabled | --disabled]',
  options: { ...FIELDS, ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const fields = fieldsOf(values);
    if (Object.keys(fields).length === 0) throw new UsageError('give at least one change');
    const { core } = await open();
    out.record(webhookV1(await core.webhooks.update(await operator(core, str(values.as)), id, fields)));
    return 0;
  },
};

export const webhookRemove: Command = {
  summary: 'Remove a webhook endpoint and its deliveries',
  usage: 'usher webhook remove ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    await core.webhooks.delete(await operator(core, str(values.as)), id);
    out.note(`webhook ${id} removed`);
    return 0;
  },
};

export const webhookRotateSecret: Command = {
  summary: 'Give a webhook endpoint a new signing secret (shown once; the old one also signs for 24 h)',
  usage: 'usher webhook rotate-secret ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    const { endpoint, secret } = await core.webhooks.rotate(await operator(core, str(values.as)), id);
    out.record({ id: endpoint.id, secret });
    if (!out.json) out.note('the new secret is shown only now; deliveries carry both signatures for 24 h');
    return 0;
  },
};

export const webhookTest: Command = {
  summary: 'Queue a webhook.test event for an endpoint (a running server sends it)',
  usage: 'usher webhook test ID',
  options: { ...AS },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const { core } = await open();
    out.record(deliveryV1(await core.webhooks.test(await operator(core, str(values.as)), id)));
    return 0;
  },
};

export const webhookDeliveries: Command = {
  summary: "An endpoint's deliveries, newest first",
  usage: 'usher webhook deliveries ID [--status pending|succeeded|failed] [--limit N] [--cursor C]',
  options: {
    status: { type: 'string', description: 'pending, succeeded or failed' },
    limit: { type: 'string', description: 'How many (default 20)' },
    cursor: { type: 'string', description: 'The next page (printed under the list)' },
  },
  async run({ values, positionals, out, open }) {
    const id = idOf(positionals);
    const limit = Number(str(values.limit) ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit is a number from 1 to 100');
    const { core } = await open();
    const page = await core.webhooks.deliveries(CLI_SYSTEM, id, {
      status: str(values.status),
      cursor: str(values.cursor),
      limit,
    });
    out.rows(page.deliveries.map(deliveryV1), DELIVERY_COLUMNS);
    if (!out.json && page.nextCursor) out.note(`next page: --cursor ${page.nextCursor}`);
    return 0;
  },
};
