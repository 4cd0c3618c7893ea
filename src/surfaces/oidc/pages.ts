import type { KoaContextWithOIDC } from 'oidc-provider';
import type { BrandSettings } from '../../config.identity.js';
import { HOSTED_CSP } from '../hosted/layout.js';
import { deviceConfirmPage, deviceInputPage, logoutPage, messagePage } from '../hosted/views.js';

type Ctx = KoaContextWithOIDC;

/** The provider's own pages (device code entry, logout, errors), drawn by the hosted surface's views. */
export interface ProviderPages {
  logout(ctx: Ctx, form: string): Promise<void>;
  loggedOut(ctx: Ctx): Promise<void>;
  deviceInput(ctx: Ctx, form: string, out?: unknown, err?: unknown): Promise<void>;
  deviceConfirm(ctx: Ctx, form: string, client: unknown, deviceInfo: unknown, userCode: string): Promise<void>;
  deviceDone(ctx: Ctx): Promise<void>;
  error(ctx: Ctx, out: { error: string; error_description?: string }, error: unknown): Promise<void>;
}

/** The provider draws its forms itself (with its CSRF token); their action and token are reused in ours. */
const formOf = (form: string) => ({
  action: /action="([^"]+)"/.exec(form)?.[1] ?? '',
  xsrf: /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '',
});

const html = (ctx: Ctx, body: string) => {
  ctx.type = 'html';
  ctx.set('content-security-policy', HOSTED_CSP);
  ctx.set('cache-control', 'no-store');
  ctx.body = body;
};

/** Errors a person can act on, in words; anything else is named by its OAuth error code. */
const ERROR_TEXT: Record<string, string> = {
  invalid_request: 'The sign-in request is not valid. Go back to the application and try again.',
  invalid_client: 'The application is not known here.',
  invalid_redirect_uri: 'The application asked to return to an address it has not registered.',
  access_denied: 'Access was denied.',
  session_not_found: 'Your sign-in took too long or was interrupted. Go back to the application and try again.',
};

export function providerPages(brand: BrandSettings): ProviderPages {
  return {
    async logout(ctx, form) {
      const client = ctx.oidc.client;
      html(ctx, logoutPage(brand, { ...formOf(form), appName: client?.clientName ?? undefined }));
    },
    async loggedOut(ctx) {
      html(ctx, messagePage(brand, 'Signed out', `You are signed out of ${brand.name}.`));
    },
    async deviceInput(ctx, form, _out, err) {
      const error = err
        ? (err as { name?: string }).name === 'NoCodeError' || (err as { userCode?: string }).userCode
          ? 'That code is not valid. Check the code on your device and try again.'
          : 'The request could not be completed. Start again on your device.'
        : undefined;
      html(ctx, deviceInputPage(brand, { ...formOf(form), error }));
    },
    async deviceConfirm(ctx, form, client, _deviceInfo, userCode) {
      const appName = (client as { clientName?: string }).clientName ?? 'an application';
      html(ctx, deviceConfirmPage(brand, { ...formOf(form), code: userCode, appName }));
    },
    async deviceDone(ctx) {
      html(ctx, messagePage(brand, 'Device connected', 'You can go back to your device now.'));
    },
    async error(ctx, out) {
      const text =
        ERROR_TEXT[out.error] ?? `The request could not be completed (${out.error}: ${out.error_description ?? ''}).`;
      html(ctx, messagePage(brand, 'Something went wrong', text, 'error'));
    },
  };
}
