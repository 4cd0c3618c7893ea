import type { Kysely } from 'kysely';

/**
 * idempotency_keys (issue 23): rows are counted per caller (a bound on how
 * many each keeps), only successes are kept, and no secret is stored. Rows
 * from before this migration have no caller (they expire within 24 hours);
 * refusals kept by the old rule are deleted, and a created API key's
 * secret in a kept answer is blanked, as a replay now shows it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('caller', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('idempotency_keys_caller')
    .on('idempotency_keys')
    .columns(['caller', 'created_at'])
    .execute();
  await db
    .deleteFrom('idempotency_keys')
    .where((eb) => eb.or([eb('status', '<', 200), eb('status', '>=', 300)]))
    .execute();
  const withSecret = await db
    .selectFrom('idempotency_keys')
    .select(['scope_key', 'body'])
    .where('body', 'like', '%"key":"usk%')
    .execute();
  for (const row of withSecret as Array<{ scope_key: string; body: string }>) {
    const answer = JSON.parse(row.body) as { data?: { key?: unknown } };
    if (typeof answer.data?.key !== 'string') continue;
    answer.data.key = null;
    await db
      .updateTable('idempotency_keys')
      .set({ body: JSON.stringify(answer) })
      .where('scope_key', '=', row.scope_key)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_caller').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('caller').execute();
}
