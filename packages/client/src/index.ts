import { UserManagementClient } from './client.js';

export default UserManagementClient;
export { UserManagementClient };
export type { UserList, UserWithETag, WriteOptions } from './client.js';
export { readAnswer } from './transport.js';
export type { ClientOptions, FetchLike } from './transport.js';
export { UsherApiError } from './errors.js';
export { APPLICATION_TYPES, AUDIT_EVENT_TYPES, USER_ROLES, USER_STATUSES } from './api-types.js';
export type {
  ApiKey,
  Application,
  ApplicationList,
  ApplicationType,
  CreateApplicationInput,
  CreatedApplication,
  ListApplicationsQuery,
  PatchApplicationInput,
  RotatedApplication,
  IdentityProvider,
  CreateIdentityProviderInput,
  PatchIdentityProviderInput,
  PublicIdentityProvider,
  LinkedIdentity,
  AuditEvent,
  AuditEventList,
  StatsSummary,
  AuditEventType,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ErrorBody,
  ListAuditEventsQuery,
  ListSessionsQuery,
  ListUsersQuery,
  LoginInput,
  MfaChallenge,
  MfaVerifyInput,
  Pagination,
  Passkey,
  PasskeyLoginCredential,
  PasskeyLoginOptions,
  PasskeyRegistrationCredential,
  PasskeyRegistrationOptions,
  PatchUserInput,
  ReplaceUserInput,
  Session,
  SessionList,
  SigningKey,
  Tokens,
  User,
  components,
  operations,
  paths,
} from './api-types.js';
