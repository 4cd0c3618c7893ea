import { Type } from '@sinclair/typebox';
import { APP_LIMITS } from '../../core/applications/application.rules.js';
import { APPLICATION_TYPES, KNOWN_SCOPES } from '../../core/applications/application.types.js';
import { ShownOnce } from '../../http/idempotency.js';
import { CursorQuery, Nullable, PageSize, StringEnum, Timestamp } from '../shared/schemas.js';
import { Meta } from './schemas.js';

/** Applications (the provider's clients) on /api/v1: one, the list, the created one (its secret, once), the bodies. */

const Uris = (what: string) =>
  Type.Array(Type.String({ maxLength: APP_LIMITS.uriMax }), {
    maxItems: APP_LIMITS.urisMax,
    description: `${what}: absolute, exact (no wildcard, no fragment); https, or http on localhost, 127.0.0.1 or [::1]; a native app may use a private-use scheme (com.example.app:/callback). At most ${APP_LIMITS.urisMax}`,
  });
const RedirectUris = Uris('Where the provider may send the user back after sign-in');
const PostLogoutRedirectUris = Uris('Where the provider may send the user after signing out');
const Scopes = Type.Array(Type.String({ maxLength: APP_LIMITS.scopeMax }), {
  maxItems: APP_LIMITS.scopesMax,
  description: `The scopes the application may ask for. web, spa and native apps must include openid (known: ${KNOWN_SCOPES.join(', ')}; API scopes such as users:read too); default openid profile email, plus offline_access for web and native. A machine application has no user: only API scopes, none by default`,
});
const Name = Type.String({ minLength: 1, maxLength: APP_LIMITS.nameMax, description: '1-100 printable characters' });
const FirstParty = Type.Boolean({
  description: 'Made by whoever runs this Usher: the provider may skip the consent screen (default false)',
});
const LogoUri = Type.String({ maxLength: APP_LIMITS.uriMax, description: 'An https URL of the logo' });
export const AppType = StringEnum(APPLICATION_TYPES, {
  description:
    'web (a server: confidential, has a secret), spa (in the browser) and native (installed) are public clients using PKCE, with no secret; machine (client credentials) has a secret and no user',
});

export const ApplicationV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: AppType,
    client_id: Type.String({ description: 'Public: the OAuth client_id' }),
    redirect_uris: Type.Array(Type.String()),
    post_logout_redirect_uris: Type.Array(Type.String()),
    scopes: Type.Array(Type.String()),
    first_party: Type.Boolean(),
    logo_uri: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ApiV1Application' },
);

export const CreatedApplication = Type.Intersect([
  ApplicationV1,
  Type.Object({
    client_secret: ShownOnce(
      'The client secret (web and machine applications; always null for spa and native, which have none)',
    ),
  }),
]);

export const RotatedSecret = Type.Intersect([
  ApplicationV1,
  Type.Object({ client_secret: Type.String({ description: 'The new client secret, shown only in this answer' }) }),
]);

export const CreateApplicationBody = Type.Object(
  {
    name: Name,
    type: AppType,
    redirect_uris: Type.Optional(RedirectUris),
    post_logout_redirect_uris: Type.Optional(PostLogoutRedirectUris),
    scopes: Type.Optional(Scopes),
    first_party: Type.Optional(FirstParty),
    logo_uri: Type.Optional(LogoUri),
  },
  { additionalProperties: false, title: 'ApiV1CreateApplication' },
);

export const PatchApplicationBody = Type.Object(
  {
    name: Type.Optional(Name),
    redirect_uris: Type.Optional(RedirectUris),
    post_logout_redirect_uris: Type.Optional(PostLogoutRedirectUris),
    scopes: Type.Optional(Scopes),
    first_party: Type.Optional(FirstParty),
    logo_uri: Type.Optional(Nullable(LogoUri)),
  },
  {
    additionalProperties: false,
    title: 'ApiV1PatchApplication',
    description:
      'Only the given fields change (lists are replaced whole); null clears logo_uri. The type never changes',
  },
);

export const ApplicationListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive substring of the name' })),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const ApplicationList = Type.Object(
  {
    data: Type.Array(ApplicationV1),
    pagination: Type.Object({
      limit: Type.Integer(),
      next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
    }),
    meta: Meta,
  },
  { title: 'ApiV1ApplicationList' },
);

export const ApplicationParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The application id, or its client_id' }),
});
