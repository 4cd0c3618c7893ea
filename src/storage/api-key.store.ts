import type { ApiKeyStore } from '../core/storage.js';
import type { ApiKey, Role, Status } from '../core/types.js';
import type { Database } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { ApiKeysTable } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

const COLUMNS = [
  'id',
  'name',
  'prefix',
  'role',
  'created_by',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
] as const;

const toApiKey = (r: Omit<ApiKeysTable, 'key_hash'>): ApiKey => ({
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

/** The key-state read, compiled once: every request with X-API-Key may need it. */
function apiKeyQueries(database: Database) {
  const db = database.db;
  return {
    state: prepared(database, ['hash'], (p) =>
      db
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.created_by')
        .select([
          'api_keys.id',
          'api_keys.created_by',
          'api_keys.role',
          'api_keys.expires_at',
          'api_keys.revoked_at',
          'api_keys.last_used_at',
        ])
        .select([
          'users.role as creator_role',
          'users.status as creator_status',
          'users.deleted_at as creator_deleted_at',
        ])
        .where('api_keys.key_hash', '=', p.hash),
    ),
  };
}

/** The api_keys table. */
export function apiKeyStore({ db, compiled }: StoreContext): ApiKeyStore {
  const q = compiled(apiKeyQueries);
  return {
    async insert(key, keyHash) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          key_hash: keyHash,
          prefix: key.prefix,
          role: key.role,
          created_by: key.createdBy,
          created_at: key.createdAt,
          expires_at: key.expiresAt,
          revoked_at: key.revokedAt,
          last_used_at: key.lastUsedAt,
        })
        .execute();
    },
    async list() {
      return (
        await db.selectFrom('api_keys').select(COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
      ).map(toApiKey);
    },
    async find(id) {
      const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toApiKey(row);
    },
    async revoke(id, at) {
      await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async touch(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async stateByHash(keyHash) {
      const [row] = await q.state({ hash: keyHash });
      if (!row) return undefined;
      return {
        id: row.id,
        creatorId: row.created_by,
        keyRole: row.role as Role,
        creatorRole: row.creator_role as Role,
        creatorStatus: row.creator_status as Status,
        creatorDeleted: row.creator_deleted_at !== null,
        expiresAt: row.expires_at,
        revoked: row.revoked_at !== null,
        lastUsedAt: row.last_used_at,
      };
    },
  };
}
