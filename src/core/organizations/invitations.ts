import { randomInt } from 'node:crypto';
import { CODE_DIGITS, type CodeSettings, linkOf } from '../account/codes.js';
import { AppError, type FieldErrors, notFound, unauthenticated, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { enqueueMail } from '../mail/mail.js';
import { assertCanManageOrganizations, assertCanReadOrganizations, selfOf } from '../policy.js';
import type { RateLimitStore } from '../rate-limit/rate-limit.js';
import { hashOf, invitationProver, wrongInvitation } from './invitation-codes.js';
import type { Stores } from '../storage.js';
import type { ClientInfo, Principal, User } from '../types.js';
import type { UserService } from '../users/user.service.js';
import { checkEmail, failIfInvalid } from '../users/user.rules.js';
import { invitationExpiry } from './organization.rules.js';
import {
  INVITATION_STATUSES,
  type Invitation,
  type InvitationStatus,
  type Organization,
  invitationStatus,
} from './organization.types.js';
import {
  type OrgDeps,
  UUID,
  decodeCursor,
  encodeCursor,
  findOrganization,
  iso,
  organizationRoleIds,
  pageSize,
  recordEvent,
} from './shared.js';

/** Where an invitation's mailed link lands (surfaces/links/). */
export const INVITATION_PATH = '/auth/mail/invitation';

export interface InvitationDeps extends OrgDeps {
  users: UserService;
  codes: Pick<CodeSettings, 'product' | 'linkBase'>;
  /** The wrong-try counters (the rate-limit store: Redis when instances share it). */
  counters: RateLimitStore;
}

export interface Accepted {
  organization: Organization;
  user: User;
  /** True when the account was made on the way. */
  created: boolean;
}

export interface InvitationService {
  /** Mails a 6-digit code and a link to `email`; the answer never carries the code. */
  create(
    actor: Principal,
    idOrSlug: string,
    input: { email: string; roles?: readonly string[]; expiresAt?: string },
  ): Promise<Invitation>;
  list(
    actor: Principal,
    idOrSlug: string,
    query?: { status?: InvitationStatus; cursor?: string; limit?: number },
  ): Promise<{ invitations: Invitation[]; nextCursor: string | null }>;
  /** Revokes a pending (or expired) invitation; 404 for an unknown one, 409 for an accepted or revoked one. */
  revoke(actor: Principal, idOrSlug: string, invitationId: string): Promise<Invitation>;
  /** The signed-in caller joins with an invitation to their own address. */
  accept(actor: Principal, code: string): Promise<Accepted>;
  /**
   * The hosted page: the code proves `email`. Its account (if any) joins; else one is made with `account`
   * (its email verified), or a 400 on `username` asks for it.
   */
  acceptByMail(
    email: string,
    code: string,
    account: { username?: string; password?: string },
    client: ClientInfo,
  ): Promise<Accepted>;
  status(invitation: Invitation): InvitationStatus;
}

/**
 * Invitations to an organization: an admin sends one (mailed through the outbox in the invitation's transaction);
 * the invited address joins by its code, signed in, or through the mailed link's page, creating its account there if
 * it has none. A code is found by the address, then compared in constant time; wrong tries are counted per address.
 */
export function createInvitationService(deps: InvitationDeps): InvitationService {
  const { storage, now, publishUser, users, codes, counters } = deps;
  const prove = invitationProver(storage, counters, now);

  /** In the caller's transaction: the invitation taken (or the refusal), the membership, the audit event. */
  const join = async (s: Stores, invitation: Invitation, user: User, actor: Principal | null, client?: ClientInfo) => {
    const at = iso(now);
    if (!(await s.invitations.accept(invitation.id, user.id, at))) throw wrongInvitation();
    const organization = await findOrganization(s, invitation.organizationId);
    // Roles deleted since the invitation was sent are left out.
    const roles = (await s.roles.resolve(invitation.roles))
      .filter((r) => r.scope === 'organization' && invitation.roles.includes(r.id))
      .map((r) => r.id);
    await s.memberships.add(organization.id, user.id, roles, at);
    const source = actor ?? null;
    await recordEvent(s, source, at, 'organization.invitation_accepted', organization, user.id, {
      invitation_id: invitation.id,
      roles,
      ...(client && !actor ? { via: 'link' } : {}),
    });
    return organization;
  };

  return {
    status: (i) => invitationStatus(i, now()),

    async create(actor, idOrSlug, input) {
      assertCanManageOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      const errors: FieldErrors = {};
      checkEmail(errors, input.email);
      failIfInvalid(errors);
      const expiresAt = invitationExpiry(input.expiresAt, now());
      const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      const at = iso(now);
      return storage.transaction(async (s) => {
        const invitation: Invitation = {
          id: uuidv7(now()),
          organizationId: organization.id,
          email: input.email,
          roles: await organizationRoleIds(s, input.roles),
          invitedBy: actor.userId ?? actor.apiKeyId,
          expiresAt,
          acceptedAt: null,
          acceptedBy: null,
          revokedAt: null,
          createdAt: at,
        };
        await s.invitations.insert({ ...invitation, codeHash: hashOf(invitation.id, code) });
        await recordEvent(s, actor, at, 'organization.invitation_created', organization, null, {
          invitation_id: invitation.id,
          roles: invitation.roles,
          expires_at: expiresAt,
        });
        await enqueueMail(
          s.mail,
          input.email,
          'organization-invitation',
          {
            product: codes.product,
            organization: organization.name,
            email: input.email,
            code,
            link: linkOf(codes.linkBase, INVITATION_PATH, input.email, code),
            expires: `${expiresAt.slice(0, 16).replace('T', ' ')} UTC`,
          },
          at,
        );
        return invitation;
      });
    },

    async list(actor, idOrSlug, query = {}) {
      assertCanReadOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      const limit = pageSize(query.limit);
      if (query.status !== undefined && !INVITATION_STATUSES.includes(query.status))
        throw validationError(
          { status: `status must be one of ${INVITATION_STATUSES.join(', ')}` },
          undefined,
          'query',
        );
      let beforeId: string | undefined;
      if (query.cursor !== undefined) {
        beforeId = decodeCursor(query.cursor, 1)[0]!;
        if (!UUID.test(beforeId)) throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
      }
      const rows = await storage.invitations.page({
        organizationId: organization.id,
        status: query.status,
        beforeId,
        limit: limit + 1,
        now: iso(now),
      });
      const invitations = rows.slice(0, limit);
      const last = invitations[invitations.length - 1];
      return { invitations, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },

    async revoke(actor, idOrSlug, invitationId) {
      assertCanManageOrganizations(actor);
      const organization = await findOrganization(storage, idOrSlug);
      const current = UUID.test(invitationId)
        ? await storage.invitations.find(organization.id, invitationId)
        : undefined;
      if (!current) throw notFound('Invitation', invitationId);
      const at = iso(now);
      await storage.transaction(async (s) => {
        if (!(await s.invitations.revoke(current.id, at)))
          throw new AppError('DUPLICATE_RESOURCE', `The invitation is ${invitationStatus(current, now())} already`, {
            status: invitationStatus(current, now()),
          });
        await recordEvent(s, actor, at, 'organization.invitation_revoked', organization, null, {
          invitation_id: current.id,
        });
      });
      return { ...current, revokedAt: at };
    },

    async accept(actor, code) {
      const user = await storage.users.byId(selfOf(actor));
      if (!user) throw unauthenticated();
      const invitation = await prove(user.email, code);
      const organization = await storage.transaction((s) => join(s, invitation, user, actor));
      publishUser(user.id);
      return { organization, user, created: false };
    },

    async acceptByMail(email, code, account, client) {
      const invitation = await prove(email, code);
      const existing = await users.lookup({ email: invitation.email });
      if (existing) {
        // The code proves the address, not the account: one registered with it by anyone, never verified, does not
        // join from the page (its owner proves the address first, or resets its password through it).
        if (!existing.emailVerified)
          throw validationError({
            account:
              'The account that uses this address has not verified it yet: verify it (or reset its password), then open this link again',
          });
        const organization = await storage.transaction((s) => join(s, invitation, existing, null, client));
        publishUser(existing.id);
        return { organization, user: existing, created: false };
      }
      if (!account.username || !account.password)
        throw validationError({
          username: 'No account uses this address yet: choose a username and a password to create one',
        });
      let organization: Organization | undefined;
      const user = await users.create(
        null,
        { username: account.username, email: invitation.email, password: account.password },
        {
          client,
          proven: {
            within: async (s, created) => {
              organization = await join(s, invitation, created, null, client);
            },
          },
        },
      );
      return { organization: organization!, user, created: true };
    },
  };
}
