/**
 * The kinds of audit event. The OpenAPI document gives them as the events' `type` enum, from which the SDK's
 * `AUDIT_EVENT_TYPES` (the admin console's filter) is generated.
 */
export const AUDIT_TYPES = [
  'user.login',
  'user.login_failed',
  'user.login_mfa_pending',
  'user.logout',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.restored',
  'user.role_changed',
  'user.status_changed',
  'user.password_changed',
  'user.mfa_enabled',
  'user.mfa_disabled',
  'user.mfa_failed',
  'session.refresh_reused',
  'session.revoked',
  'api_key.created',
  'api_key.revoked',
  'application.created',
  'application.updated',
  'application.deleted',
  'application.secret_rotated',
  'users.imported',
  'user.exported',
  'consent.granted',
  'consent.revoked',
  'oidc.token_revoked',
  'signing_key.rotated',
] as const;
