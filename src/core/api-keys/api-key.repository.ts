import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Schema } from '../../db/schema.js';
import type { Database } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import type { Role, Status } from '../types.js';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const toApiKey = (r: Omit<Selectable<ApiKeysTable>, 'key_hash'>): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role as Role,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

const COLUMNS = ['id', 'name', 'prefix', 'role', 'created_by', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;

export async function insertApiKey(db: Kysely<Schema>, row: Selectable<ApiKeysTable>): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function listApiKeys(db: Kysely<Schema>): Promise<ApiKey[]> {
  return (await db.selectFrom('api_keys').select(COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toApiKey);
}

export async function findApiKey(db: Kysely<Schema>, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toApiKey(row);
}

export async function revokeApiKey(db: Kysely<Schema>, id: string, now: string): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function touchApiKey(db: Kysely<Schema>, id: string, now: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** A key by its hash, joined with its creator, for authenticating one request. */
export interface ApiKeyState {
  id: string;
  userId: string;
  keyRole: Role;
  creatorRole: Role;
  creatorStatus: Status;
  creatorDeleted: boolean;
  expiresAt: string | null;
  revoked: boolean;
  lastUsedAt: string | null;
}

const selectApiKeyState = (db: Kysely<Schema>, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.created_by')
    .select(['api_keys.id', 'api_keys.created_by', 'api_keys.role', 'api_keys.expires_at', 'api_keys.revoked_at', 'api_keys.last_used_at'])
    .select(['users.role as creator_role', 'users.status as creator_status', 'users.deleted_at as creator_deleted_at'])
    .where('api_keys.key_hash', '=', keyHash);

/** Reads a key's state by hash; compiled once, since every request with X-API-Key may need it. */
export function apiKeyStateReader(database: Database): (keyHash: string) => Promise<ApiKeyState | undefined> {
  const query = prepared(database, 1, (keyHash) => selectApiKeyState(database.db, keyHash));
  return async (keyHash) => {
    const [row] = await query(keyHash);
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.created_by,
      keyRole: row.role as Role,
      creatorRole: row.creator_role as Role,
      creatorStatus: row.creator_status as Status,
      creatorDeleted: row.creator_deleted_at !== null,
      expiresAt: row.expires_at,
      revoked: row.revoked_at !== null,
      lastUsedAt: row.last_used_at,
    };
  };
}
