import type { Application, ApplicationWithSecret } from './applications/application.types.js';

/** The storage interface of applications, the provider's clients (re-exported by storage.ts). */

export interface ApplicationPageQuery {
  /** Case-insensitive substring of the name. */
  search?: string;
  /** Newest first: only applications whose id sorts before this one (the previous page's last). */
  beforeId?: string;
  limit: number;
}

export interface ApplicationStore {
  insert(application: Application, secretHash: string | null): Promise<void>;
  /** Writes every field but id, type, client id and creation time; false when there is no such application. */
  update(application: Application): Promise<boolean>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
  setSecretHash(id: string, secretHash: string, at: string): Promise<boolean>;
  find(id: string): Promise<Application | undefined>;
  /** With the secret's hash: for the provider, through the core, never for a presenter. */
  findByClientId(clientId: string): Promise<ApplicationWithSecret | undefined>;
  /** Newest first (ids are UUIDv7). */
  page(query: ApplicationPageQuery): Promise<Application[]>;
}
