import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OidcArtifacts } from '../../core/identity/artifacts.js';
import { type ApplicationLookup, clientMetadataOf } from './clients.js';

/**
 * oidc-provider's storage, one adapter per kind of artifact: the core's
 * artifacts (Usher's database, with the rule that what a sign-in issued ends
 * with its session), and applications as the provider's clients.
 */
export function adapterFor(artifacts: OidcArtifacts, applications: ApplicationLookup) {
  return class UsherAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      await artifacts.upsert(this.kind, id, payload as Record<string, unknown>, expiresIn);
    }

    async find(id: string) {
      if (this.kind === 'Client') {
        const app = await applications.findByClientId(id);
        return app && (clientMetadataOf(app) as AdapterPayload);
      }
      return (await artifacts.find(this.kind, id)) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string) {
      return (await artifacts.findByUserCode(this.kind, userCode)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string) {
      return (await artifacts.findByUid(this.kind, uid)) as AdapterPayload | undefined;
    }

    async consume(id: string) {
      await artifacts.consume(this.kind, id);
    }

    async destroy(id: string) {
      await artifacts.destroy(this.kind, id);
    }

    async revokeByGrantId(grantId: string) {
      await artifacts.revokeByGrantId(grantId);
    }
  };
}
