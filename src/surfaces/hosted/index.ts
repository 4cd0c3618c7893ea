import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import type { AppError } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import type { ProviderHandle } from '../oidc/bridge.js';
import { interactionRoutes } from './interaction.routes.js';
import { sayError } from './say.js';
import { stylesheet } from './layout.js';
import { pageScope } from './page-scope.js';
import { messagePage } from './views.js';

/**
 * /oidc/interaction: the hosted pages a person signs in on, plain HTML
 * forms that need no JavaScript. Errors are pages too.
 */
export const hostedPages: Surface<{ core: Core; config: Config; oidc: ProviderHandle | undefined }> = {
  prefix: '/oidc/interaction',
  envelope: (error: AppError, request) => {
    const brand = request.hostedBrand ?? { name: 'Usher', logoUrl: undefined, color: '#2563eb' };
    const text = statusOf(error) >= 500 ? 'Something went wrong. Try again later.' : safeText(error);
    return messagePage(brand, 'Something went wrong', text, 'error');
  },
  status: statusOf,
  tag: { name: 'hosted' },
  async plugin(app, { core, config, oidc }) {
    // No provider (HS256 tokens): nothing is mounted, and its addresses are 404.
    if (!oidc) return;
    pageScope(app, config.brand);
    interactionRoutes(app, core, config, oidc);
  },
};

/** What an error says on a page (a sign-in that expired, an unknown interaction). */
function safeText(error: AppError): string {
  try {
    return sayError(error).text;
  } catch {
    return 'Something went wrong.';
  }
}

/** The hosted pages' stylesheet, in the brand's colour. */
export const hostedStylesheet = (config: Config) => stylesheet(config.brand);
