import type { TestContext } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/fixtures.js';
import { waitFor } from './redis-helper.js';

export interface Inbox {
  url: string;
  port: number;
  mails: ParsedMail[];
  /** Waits for the next mail to `to` (after those already read) and returns it. */
  next(to: string): Promise<ParsedMail>;
  /** The 6-digit code in a mail's plain text. */
  codeIn(mail: ParsedMail): string;
  stop(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a free port, collecting what arrives, parsed by mailparser. */
export async function smtpInbox(t: TestContext, port?: number): Promise<Inbox> {
  const mails: ParsedMail[] = [];
  const read = new Set<ParsedMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const listenOn = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(listenOn, '127.0.0.1', resolve));
  let stopped = false;
  const stop = () =>
    stopped
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          stopped = true;
          server.close(() => resolve());
        });
  t.after(stop);
  const recipient = (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${listenOn}`,
    port: listenOn,
    mails,
    async next(to) {
      let found: ParsedMail | undefined;
      await waitFor(`a mail to ${to}`, () => {
        found = mails.find((m) => !read.has(m) && recipient(m).includes(to.toLowerCase()));
        return found !== undefined;
      });
      read.add(found!);
      return found!;
    },
    codeIn(mail) {
      const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
      if (!code) throw new Error(`no code in ${mail.text}`);
      return code;
    },
    stop,
  };
}
