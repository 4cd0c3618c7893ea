import type { BrandSettings } from '../../config.identity.js';
import { esc, page } from '../hosted/layout.js';

/** Where a link's confirmation posts. */
export const LINK_ACTION = '/auth/link';

/**
 * The link's confirmation: names the Usher account and the provider's, and
 * links only when its form is sent (the single-use id is the form's secret).
 */
export function linkConfirmPage(
  brand: BrandSettings,
  o: { id: string; username: string; providerName: string; upstreamAccount: string },
): string {
  return page(
    brand,
    `Link ${o.providerName}?`,
    `<p>Link the ${esc(o.providerName)} account <strong>${esc(o.upstreamAccount)}</strong> to the ${esc(brand.name)} account <strong>${esc(o.username)}</strong>?</p>
<p>Whoever signs in to this ${esc(o.providerName)} account will then be signed in as <strong>${esc(o.username)}</strong>. Only continue if both accounts are yours.</p>
<form method="post" action="${LINK_ACTION}">
<input type="hidden" name="link" value="${esc(o.id)}">
<div class="actions"><button type="submit" name="confirm" value="yes">Link the accounts</button><button type="submit" name="cancel" value="yes" class="secondary">Cancel</button></div>
</form>`,
  );
}
