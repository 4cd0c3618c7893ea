import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { decodeJwt } from 'jose';
import { appendFileSync } from 'node:fs';
import { freshPostgresSchema } from '../../scripts/fixtures.js';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Database, createDatabase } from '../../src/db/database.js';
import { Contract, type Exchange } from './contract.js';

export { tempDir } from '../../scripts/fixtures.js';

/**
 * Test fixtures. Every app gets a fresh database: SQLite in memory, or, when
 * the runner sets USHER_TEST_DIALECT=postgres, a new schema in
 * TEST_DATABASE_URL that is dropped when the test ends.
 */
export const PASSWORD = 'SecurePass123!';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export async function freshDatabaseUrl(t: TestContext): Promise<string> {
  if (process.env.USHER_TEST_DIALECT !== 'postgres') return 'sqlite::memory:';
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('USHER_TEST_DIALECT=postgres needs TEST_DATABASE_URL');
  const schema = await freshPostgresSchema(base);
  t.after(() => schema.drop());
  return schema.url;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  raw: string;
}

export interface TestApp {
  app: FastifyInstance;
  /** The app's database, for asserting what was (and was not) stored. */
  database: Database;
  config: Config;
  clock: Clock;
  request(
    method: InjectOptions['method'],
    url: string,
    options?: { body?: unknown; token?: string; apiKey?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<Response>;
  /** Registers a user through POST /api/v1/users; returns its id and credentials. */
  register(
    fields?: Record<string, unknown>,
  ): Promise<{ id: string; username: string; email: string; password: string; body: any }>;
  login(username: string, password?: string): Promise<{ access_token: string; refresh_token: string }>;
  /** A registered, logged-in user: id, username and access token. */
  user(
    fields?: Record<string, unknown>,
  ): Promise<{ id: string; username: string; email: string; token: string; refresh: string }>;
  /** The bootstrap admin, logged in. */
  admin(): Promise<{ id: string; token: string }>;
  /** A logged-in user with the given role, made by the admin. */
  withRole(
    role: 'admin' | 'moderator' | 'user',
    fields?: Record<string, unknown>,
  ): Promise<{ id: string; username: string; token: string }>;
  /** An API key made by the bootstrap admin (role defaults to admin). */
  apiKey(body?: Record<string, unknown>): Promise<{ id: string; key: string; body: any }>;
}

// One contract per distinct document (apps differ only in `servers`), compiled lazily.
const contracts = new Map<string, Contract>();
// And per app: its document never changes once it listens, and reading it whole for every request was much of a
// test file's time.
const byApp = new WeakMap<FastifyInstance, Contract>();
export function contractOf(app: FastifyInstance): Contract {
  const known = byApp.get(app);
  if (known) return known;
  // Straight from the plugin, not over HTTP: a request would count against the rate limits tests measure.
  const text = JSON.stringify((app as unknown as { swagger(): unknown }).swagger());
  const key = JSON.stringify(JSON.parse(text).paths);
  let contract = contracts.get(key);
  if (!contract) contracts.set(key, (contract = new Contract(JSON.parse(text))));
  byApp.set(app, contract);
  return contract;
}

/**
 * Every request a test makes through `request` is checked against the app's
 * own OpenAPI document (test/contract.ts): a disagreement fails the test.
 * USHER_CONTRACT=report appends them to .contract-report instead.
 */
async function checkContract(app: FastifyInstance, exchange: Exchange): Promise<void> {
  const problems = contractOf(app).check(exchange);
  if (problems.length === 0) return;
  if (process.env.USHER_CONTRACT === 'report') appendFileSync('.contract-report', `${problems.join('\n')}\n`);
  else throw new Error(`The OpenAPI document and the server disagree:\n${problems.join('\n')}`);
}

let counter = 0;
export const unique = (prefix = 'u'): string =>
  `${prefix}${process.pid}_${++counter}_${randomBytes(2).toString('hex')}`;

export async function build(
  t: TestContext,
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const clock = testClock();
  const config = loadConfig({
    DATABASE_URL: await freshDatabaseUrl(t),
    LOG_LEVEL: 'silent',
    USHER_RATE_LIMIT: 'off',
    USHER_ADMIN_USERNAME: 'root_admin',
    USHER_ADMIN_EMAIL: 'root@example.com',
    USHER_ADMIN_PASSWORD: PASSWORD,
    USHER_PASSWORD_HASH_CONCURRENCY: '2',
    ...env,
  });
  const database = options.database ?? createDatabase(config.databaseUrl);
  const app = await buildApp(config, { now: clock.now, database, ...options });
  t.after(async () => {
    await app.close();
    if (!options.database) await database.close();
  });

  const request: TestApp['request'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.apiKey) headers['x-api-key'] = o.apiKey;
    let payload: string | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.inject({ method, url, headers, payload });
    await checkContract(app, {
      method: String(method),
      url,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      payload,
      status: res.statusCode,
      responseHeaders: res.headers,
      responseBody: res.body,
    });
    let body: unknown;
    try {
      body = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, headers: res.headers, body, raw: res.body };
  };

  const login: TestApp['login'] = async (username, password = PASSWORD) => {
    const res = await request('POST', '/api/v1/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.raw}`);
    return res.body;
  };

  const register: TestApp['register'] = async (fields = {}) => {
    const username = unique();
    const body = { username, email: `${username}@example.com`, password: PASSWORD, ...fields };
    const res = await request('POST', '/api/v1/users', { body });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${res.raw}`);
    return {
      id: res.body.data.id,
      username: body.username as string,
      email: body.email as string,
      password: body.password as string,
      body: res.body,
    };
  };

  const user: TestApp['user'] = async (fields = {}) => {
    const u = await register(fields);
    const tokens = await login(u.username, u.password);
    return {
      id: u.id,
      username: u.username,
      email: u.email,
      token: tokens.access_token,
      refresh: tokens.refresh_token,
    };
  };

  let adminSession: { id: string; token: string } | undefined;
  const admin: TestApp['admin'] = async () => {
    if (!adminSession) {
      const tokens = await login('root_admin');
      // The token names its user: no other feature (search, profiles) is needed to find the admin's id.
      adminSession = { id: decodeJwt(tokens.access_token).sub!, token: tokens.access_token };
    }
    return adminSession;
  };

  const withRole: TestApp['withRole'] = async (role, fields = {}) => {
    const a = await admin();
    const username = unique(role.slice(0, 3));
    const res = await request('POST', '/api/v1/users', {
      token: a.token,
      body: { username, email: `${username}@example.com`, password: PASSWORD, role, ...fields },
    });
    if (res.status !== 201) throw new Error(`withRole: ${res.status} ${res.raw}`);
    const tokens = await login(username);
    return { id: res.body.data.id, username, token: tokens.access_token };
  };

  const apiKey: TestApp['apiKey'] = async (body = {}) => {
    const a = await admin();
    const res = await request('POST', '/api/v1/api-keys', { token: a.token, body: { name: unique('key'), ...body } });
    if (res.status !== 201) throw new Error(`apiKey: ${res.status} ${res.raw}`);
    return { id: res.body.data.id, key: res.body.data.key, body: res.body };
  };

  return { app, database, config, clock, request, register, login, user, admin, withRole, apiKey };
}
