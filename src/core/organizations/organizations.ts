import { type InvitationDeps, type InvitationService, createInvitationService } from './invitations.js';
import { type MemberService, createMemberService } from './members.js';
import { type OrganizationService, createOrganizationService } from './organization.service.js';

/** Organizations (issue 28): the organizations themselves, their members, their invitations. */
export interface Organizations extends OrganizationService {
  members: MemberService;
  invitations: InvitationService;
}

export function createOrganizations(deps: InvitationDeps): Organizations {
  return {
    ...createOrganizationService(deps),
    members: createMemberService(deps),
    invitations: createInvitationService(deps),
  };
}
