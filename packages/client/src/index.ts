import { UserManagementClient } from './client.js';

export default UserManagementClient;
export { UserManagementClient };
export type { ClientOptions, FetchLike, UserList } from './client.js';
export { UsherApiError } from './errors.js';
export type {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ErrorBody,
  ListUsersQuery,
  LoginInput,
  MfaChallenge,
  MfaVerifyInput,
  Pagination,
  PatchUserInput,
  ReplaceUserInput,
  Tokens,
  User,
  components,
  operations,
  paths,
} from './api-types.js';
