/** Row shapes of the OpenID provider's tables (migration 0012); see schema.ts for the conventions. */

export interface OidcPayloadsTable {
  kind: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface OidcSessionLinksTable {
  uid: string;
  session_id: string;
  user_id: string;
  created_at: string;
}

export interface OidcConsentsTable {
  user_id: string;
  client_id: string;
  scopes: string;
  created_at: string;
  updated_at: string;
}

export interface OidcRefreshAnswersTable {
  token_hash: string;
  sealed: string;
  expires_at: string;
}

export interface OidcSchema {
  oidc_payloads: OidcPayloadsTable;
  oidc_session_links: OidcSessionLinksTable;
  oidc_consents: OidcConsentsTable;
  oidc_refresh_answers: OidcRefreshAnswersTable;
}
