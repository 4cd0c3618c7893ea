import { sql } from 'kysely';
import type { RefreshRotation, Rotation } from '../core/storage.js';
import { batched } from '../db/batch.js';
import { type Database, refusedByPostgres } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { type StateRow, toState } from './session-state.js';

/**
 * PostgreSQL's rotation: the refreshes arriving in one turn of the event loop
 * are one statement over arrays (one round trip, one commit), so all or none
 * of them are kept (src/db/batch.ts). Each consumes its token, keeping the
 * sealed successor beside it, reads the session, and stores the next token,
 * expiring at the earlier of its own end and the session's.
 */
export function postgresRotation(database: Database): RefreshRotation {
  const statement = prepared(database, ['hashes', 'ats', 'nexts', 'ends', 'sealed'], (p) => ({
    compile: () =>
      sql<StateRow & { consumed: string }>`
        with input as (select * from unnest(${p.hashes}::text[], ${p.ats}::timestamptz[], ${p.nexts}::text[], ${p.ends}::timestamptz[], ${p.sealed}::text[]) as i(hash, at, next, ends, sealed)),
        consumed as (
          update refresh_tokens t set used_at = input.at, successor = input.sealed from input
          where t.token_hash = input.hash and t.used_at is null and t.expires_at > input.at
          returning t.token_hash, t.session_id
        ),
        state as (
          select consumed.token_hash as consumed, s.id, s.user_id, s.expires_at, s.authenticated_at, s.created_at, s.revoked_at, u.role, u.status, u.deleted_at, s.organization_id, om.user_id as org_member
          from consumed join sessions s on s.id = consumed.session_id join users u on u.id = s.user_id
          left join organization_members om on om.organization_id = s.organization_id and om.user_id = s.user_id
        ),
        stored as (
          insert into refresh_tokens (token_hash, session_id, created_at, expires_at, used_at)
          select input.next, state.id, input.at, least(input.ends, state.expires_at), null from state join input on input.hash = state.consumed
        )
        select * from state`.compile(database.db),
  }));
  const rotate = batched(
    (r: Rotation) => r.hash,
    async (batch: Rotation[]) => {
      const values = {
        hashes: batch.map((r) => r.hash),
        ats: batch.map((r) => r.at),
        nexts: batch.map((r) => r.next.hash),
        ends: batch.map((r) => r.next.expiresAt),
        sealed: batch.map((r) => r.next.sealed),
      };
      const byHash = new Map((await statement(values)).map((row) => [row.consumed, row]));
      return batch.map((r) => toState(byHash.get(r.hash)));
    },
    refusedByPostgres,
  );
  return { rotate };
}
