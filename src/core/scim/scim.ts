import type { EventBus } from '../events.js';
import type { RateLimitStore } from '../rate-limit/rate-limit.js';
import type { Storage } from '../storage.js';
import type { UserService } from '../users/user.service.js';
import { type ScimGroups, createScimGroups } from './groups.js';
import { type ScimLimits, type ScimTokenService, createScimTokens } from './tokens.js';
import { type ScimUsers, createScimUsers } from './users.js';

/** SCIM 2.0 provisioning per organization (issue 28 part 4): its tokens, Users and Groups. */
export interface Scim {
  tokens: ScimTokenService;
  users: ScimUsers;
  groups: ScimGroups;
}

export function createScim(deps: {
  storage: Storage;
  users: UserService;
  bus: EventBus;
  now: () => number;
  counters: RateLimitStore;
  limits: ScimLimits;
}): Scim {
  return {
    tokens: createScimTokens(deps),
    users: createScimUsers(deps),
    groups: createScimGroups(deps),
  };
}
