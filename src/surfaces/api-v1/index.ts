import type { Core } from '../../core/core.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { accountRoutes } from './account.routes.js';
import { apiKeysRoutes } from './api-keys.routes.js';
import { applicationsRoutes } from './applications.routes.js';
import { auditRoutes } from './audit.routes.js';
import { statsRoutes } from './stats.routes.js';
import { authRoutes } from './auth.routes.js';
import { emailSignInRoutes } from './email-sign-in.routes.js';
import { errorV1 } from './presenter.js';
import { mfaRoutes } from './mfa.routes.js';
import { passkeysRoutes } from './passkeys.routes.js';
import { consentsRoutes } from './consents.routes.js';
import { sessionsRoutes } from './sessions.routes.js';
import { signingKeysRoutes } from './signing-keys.routes.js';
import { usersRoutes } from './users.routes.js';
import { identitiesRoutes } from './identities.routes.js';
import { identityProvidersRoutes } from './identity-providers.routes.js';
import { organizationSsoRoutes } from './organization-sso.routes.js';
import { organizationsRoutes } from './organizations.routes.js';
import { organizationMembersRoutes } from './organization-members.routes.js';
import { rolesRoutes } from './roles.routes.js';
import { webhooksRoutes } from './webhooks.routes.js';
import { userSchemaRoutes } from './user-schema.routes.js';
import { scimTokensRoutes } from './scim-tokens.routes.js';

/** /api/v1: the main REST surface (users, auth, API keys) in the {data, meta} envelope. */
export const apiV1: Surface<{ core: Core; pictureUrl: PictureUrl }> = {
  prefix: '/api/v1',
  envelope: errorV1,
  status: statusOf,
  tag: {
    name: 'api/v1',
    description:
      'The full API under /api/v1: users, tokens, sessions, second factor, passkeys, API keys, applications, consents, audit log, dashboard figures, signing keys, webhooks, organizations, roles and permissions. Bearer token or X-API-Key.',
  },
  async plugin(app, { core, pictureUrl }) {
    refuseUnknownQueryParameters(app);
    usersRoutes(app, core, pictureUrl);
    authRoutes(app, core);
    apiKeysRoutes(app, core);
    applicationsRoutes(app, core);
    auditRoutes(app, core);
    statsRoutes(app, core);
    accountRoutes(app, core, pictureUrl);
    emailSignInRoutes(app, core);
    sessionsRoutes(app, core);
    consentsRoutes(app, core);
    mfaRoutes(app, core);
    passkeysRoutes(app, core);
    signingKeysRoutes(app, core);
    identityProvidersRoutes(app, core);
    organizationSsoRoutes(app, core);
    identitiesRoutes(app, core);
    webhooksRoutes(app, core);
    organizationsRoutes(app, core);
    organizationMembersRoutes(app, core);
    rolesRoutes(app, core);
    userSchemaRoutes(app, core);
    scimTokensRoutes(app, core);
  },
};
