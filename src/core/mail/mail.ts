import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from '../ids.js';
import type { MailStore, OutgoingMail, Storage } from '../storage.js';

/** A mail, rendered. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** How mail leaves: SMTP (infra/smtp-transport.ts), or the log when SMTP_URL is not set. */
export interface MailTransport {
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}

export type MailTemplate = 'verify-email' | 'password-reset' | 'sign-in' | 'organization-invitation';

/**
 * Puts a mail in the outbox, in the transaction of the change that causes it: no change without its mail, no mail
 * without its change.
 */
export const enqueueMail = (
  mail: MailStore,
  to: string,
  template: MailTemplate,
  data: Record<string, string>,
  at: string,
) => mail.enqueue({ id: uuidv7(Date.parse(at)), to, template, data }, at);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fill = (template: string, data: Record<string, string>, encode: (s: string) => string) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => encode(data[key] ?? ''));

/**
 * Mail templates are plain files a deployer can read and change:
 * `<name>.subject.txt`, `<name>.txt` and `<name>.html` in the templates
 * folder, with `{{placeholders}}` (escaped in the HTML part). Read once.
 */
export function loadTemplates(folder: string): (template: string, to: string, data: Record<string, string>) => Mail {
  const cache = new Map<string, { subject: string; text: string; html: string }>();
  const read = (name: string) => {
    let t = cache.get(name);
    if (!t) {
      const file = (part: string) => readFileSync(join(folder, `${name}.${part}`), 'utf8');
      t = { subject: file('subject.txt').trim(), text: file('txt'), html: file('html') };
      cache.set(name, t);
    }
    return t;
  };
  return (template, to, data) => {
    const t = read(template);
    return {
      to,
      subject: fill(t.subject, data, (s) => s.replace(/[\r\n]/g, ' ')),
      text: fill(t.text, data, (s) => s),
      html: fill(t.html, data, escapeHtml),
    };
  };
}

export interface MailWorkerOptions {
  storage: Storage;
  transport: MailTransport;
  render: (template: string, to: string, data: Record<string, string>) => Mail;
  now: () => number;
  onError: (error: unknown, mail: OutgoingMail) => void;
}

// Retries back off exponentially from 5 s to an hour; after 12 failed attempts a mail is left with its last error.
const MAX_ATTEMPTS = 12;
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);

/**
 * Sends what the outbox holds: claims due mails (locked for a minute, so a
 * crash mid-send only delays them), sends each, and marks it sent or failed
 * with its next attempt. Requests never wait on SMTP; an SMTP outage or a
 * crash loses no mail; with several instances each mail is sent once.
 */
export function createMailWorker(o: MailWorkerOptions) {
  let running: Promise<void> | undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  async function drain(): Promise<void> {
    for (;;) {
      const at = o.now();
      const batch = await o.storage.mail.claim(iso(at), iso(at + 60_000), 10);
      if (batch.length === 0) return;
      for (const mail of batch) {
        try {
          await o.transport.send(o.render(mail.template, mail.to, mail.data));
          await o.storage.mail.sent(mail.id, iso(o.now()));
        } catch (error) {
          o.onError(error, mail);
          const attempts = mail.attempts + 1;
          const next = attempts >= MAX_ATTEMPTS ? '9999-12-31T00:00:00.000Z' : iso(o.now() + backoffMs(attempts));
          await o.storage.mail.failed(mail.id, attempts, next, error instanceof Error ? error.message : String(error));
        }
      }
    }
  }
  return {
    /** One pass over the due mails; concurrent calls share one pass. */
    tick(): Promise<void> {
      running ??= drain().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
