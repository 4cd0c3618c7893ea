import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { Mail, MailTransport } from '../core/mail/mail.js';
import type { Log } from './redis-connection.js';

/** SMTP through nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
export function smtpTransport(url: string, from: string): MailTransport {
  // Loaded only when SMTP_URL is set.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail: Mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    async close() {
      transporter.close();
    },
  };
}

/** Without SMTP_URL: each mail is written to the log instead (the embedded default; nothing else changes). */
export function logTransport(log: Log): MailTransport {
  return {
    async send(mail: Mail) {
      log.info(
        { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
        'mail not sent (SMTP_URL is not set); logged instead',
      );
    },
    async close() {},
  };
}
