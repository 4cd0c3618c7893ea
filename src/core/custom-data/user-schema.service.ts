import { auditEvent, sourceOf } from '../audit.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import * as policy from '../policy.js';
import type { Storage } from '../storage.js';
import type { Principal } from '../types.js';
import { type CompiledUserSchema, compileUserSchema } from './user-schema.js';

/** The user schema as /api/v1 shows it: none (null) until an admin sets one. */
export interface UserSchemaView {
  schema: Record<string, unknown> | null;
  version: string | null;
  updatedAt: string | null;
}

/** A user whose custom_data a new schema refuses: the first error's field and message. */
export interface Offender {
  id: string;
  field: string;
  message: string;
}

export interface UserSchemaService {
  get(actor: Principal): Promise<UserSchemaView>;
  /**
   * Sets the schema (admins), or removes it with null. Every live user's custom_data is checked against a new one,
   * page by page; unless `force`, a schema some user breaks is refused (422) naming the first ten.
   */
  put(actor: Principal, schema: unknown, options: { force: boolean }): Promise<UserSchemaView>;
  /**
   * The current schema compiled, or null: one small read of its version, compiled again only when another instance
   * (or this one) stored a new version. Every write of custom_data asks first.
   */
  current(): Promise<CompiledUserSchema | null>;
}

const PAGE = 500;
const NAMED = 10;

export function createUserSchemaService(deps: { storage: Storage; now: () => number }): UserSchemaService {
  const { storage, now } = deps;
  let compiled: CompiledUserSchema | null = null;

  async function current(): Promise<CompiledUserSchema | null> {
    const version = await storage.userSchema.version();
    if (version === undefined) return null;
    if (compiled?.version === version) return compiled;
    const stored = await storage.userSchema.read();
    if (!stored) return null;
    const next = compileUserSchema(JSON.parse(stored.schema), stored.version);
    if (next.version === (await storage.userSchema.version())) compiled = next;
    return next;
  }

  /** The first users (by id) the schema refuses, at most ten; memory holds one page at a time. */
  async function offenders(schema: CompiledUserSchema): Promise<Offender[]> {
    const found: Offender[] = [];
    const first = (id: string, value: unknown) => {
      const errors = Object.entries(schema.check(value));
      if (errors.length > 0) found.push({ id, field: errors[0]![0], message: errors[0]![1] });
    };
    // Users without custom_data all hold {}: one check says whether any of them fails.
    if (Object.keys(schema.check({})).length > 0)
      for (const id of await storage.users.withoutCustomData(NAMED)) first(id, {});
    let stop: string | undefined;
    for (let after: string | null = null; ; ) {
      const page = await storage.users.customDataPage(after, PAGE);
      for (const u of page) {
        if (stop !== undefined && u.id > stop) break;
        first(u.id, u.customData);
      }
      found.sort((a, b) => (a.id < b.id ? -1 : 1));
      if (found.length >= NAMED) stop = found[NAMED - 1]!.id;
      if (page.length < PAGE || (stop !== undefined && page[page.length - 1]!.id > stop)) break;
      after = page[page.length - 1]!.id;
    }
    return found.slice(0, NAMED);
  }

  const view = (c: CompiledUserSchema | null, updatedAt: string | null): UserSchemaView => ({
    schema: c?.schema ?? null,
    version: c?.version ?? null,
    updatedAt: c ? updatedAt : null,
  });

  return {
    current,

    async get(actor) {
      policy.assertCanReadUserSchema(actor);
      const stored = await storage.userSchema.read();
      return stored
        ? { schema: JSON.parse(stored.schema), version: stored.version, updatedAt: stored.updatedAt }
        : view(null, null);
    },

    async put(actor, schema, { force }) {
      policy.assertCanSetUserSchema(actor);
      const at = new Date(now()).toISOString();
      const next = schema === null ? null : compileUserSchema(schema, uuidv7());
      const refused = next && !force ? await offenders(next) : [];
      if (refused.length > 0)
        throw new AppError(
          'UNPROCESSABLE_ENTITY',
          'Existing users break the new schema: fix their custom_data first, or send ?force=true',
          { users: refused },
        );
      await storage.transaction(async (s) => {
        await s.userSchema.write(next && { version: next.version, schema: JSON.stringify(next.schema), updatedAt: at });
        const details = { version: next?.version ?? null, removed: next === null, forced: force };
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'user_schema.changed', targetId: null, details }, at));
      });
      compiled = next;
      return view(next, at);
    },
  };
}
