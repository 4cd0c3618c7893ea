import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { AppOptions } from './app-options.js';
import { type Core, ensureAdmin } from './core/core.js';
import type { Storage } from './core/storage.js';
import { createMailWorker, loadTemplates } from './core/mail/mail.js';
import { logTransport, smtpTransport } from './infra/mail-transport.js';
import { startWebhookWorker } from './core/webhooks/webhooks.js';
import { useErrorEnvelope } from './http/errors.js';
import { idempotentPosts } from './http/idempotency.js';
import { openApi } from './http/openapi.js';
import { jsonBodies } from './http/json-body.js';
import { bodyLimits } from './http/body-limit.js';
import { resolvePrincipals } from './http/principal.js';
import { rateLimit } from './http/rate-limit.js';
import { RequestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { telemetry } from './http/telemetry/index.js';
import { tracedTransport } from './core/metrics/instrument.js';
import { frameworkErrorsOf, mountSurfaces, type Surface } from './http/surface.js';
import { consoleRoutes } from './surfaces/console/page.routes.js';
import { docsRoutes } from './http/docs.routes.js';
import { systemRoutes } from './http/system.routes.js';
import { wellKnownRoutes } from './http/well-known.routes.js';
import { serializerCompiler, validatorCompiler } from './http/validation.js';
import { openCore } from './open-core.js';
import { apiV1 } from './surfaces/api-v1/index.js';
import { keyedV1 } from './surfaces/keyed-v1/index.js';
import { profilesApi } from './surfaces/profiles/index.js';
import { accountApi } from './surfaces/account/index.js';
import { consoleApi } from './surfaces/console/index.js';
import { type PictureUrl, pictureUrlFor } from './surfaces/shared/links.js';
import { hostedPages } from './surfaces/hosted/index.js';
import { linkPages } from './surfaces/links/index.js';
import { upstreamPages } from './surfaces/upstream/index.js';
import type { ProviderHandle } from './surfaces/oidc/bridge.js';
import { oidcSurface } from './surfaces/oidc/index.js';
import { scimSurface } from './surfaces/scim/index.js';
import { PROVIDER_RUNTIME_SUPPORTED } from './surfaces/oidc/library.js';
import { createOidc, discoveryRoute } from './surfaces/oidc/setup.js';

export const BODY_LIMIT = 1024 * 1024;

/**
 * USHER_TRUST_PROXY as Fastify takes it. Fastify 5 ignores a bare hop count
 * (it cannot tell a proxy from a client that sends its own X-Forwarded-For),
 * so a count becomes what it always meant: the first `n` hops from the
 * socket are proxies. Only safe when clients cannot reach Usher but through
 * them (docs/decisions.md).
 */
function trustProxyOf(setting: Config['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * The mail worker: sends what the outbox holds, through SMTP when SMTP_URL is
 * set, else into the log (with a warning at start: nothing else changes).
 */
function startMailWorker(config: Config, core: Core, storage: Storage, log: FastifyBaseLogger, everyMs: number) {
  const now = core.now;
  if (!config.mail.smtpUrl)
    log.warn('mail is not configured (SMTP_URL is not set): mails are written to the log instead of sent');
  const transport = tracedTransport(
    config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : logTransport(log),
    core.metrics,
  );
  const worker = createMailWorker({
    storage,
    transport,
    render: loadTemplates(config.mail.templates),
    now,
    onError: (err, m) => log.warn({ err, mailId: m.id, attempts: m.attempts + 1 }, 'mail not sent; will retry'),
  });
  const tick = () => void worker.tick().catch((err) => log.warn({ err }, 'mail outbox pass failed'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await worker.tick().catch(() => {});
      await transport.close();
    },
  };
}

/**
 * USHER_KEY_ROTATION_DAYS: at start and hourly, rotate the current signing key once it is that old (one instance
 * wins the rotation's transaction; the others find it done).
 */
function autoRotation(config: Config, core: Core, log: FastifyBaseLogger): NodeJS.Timeout | undefined {
  const days = config.keyRotationDays;
  if (days === undefined || config.jwtAlg === 'HS256') return undefined;
  const check = () =>
    core.signingKeys.rotateIfOlder(days).then(
      (rotated) =>
        rotated && log.info({ kid: core.keys.current().kid }, 'signing keys rotated (USHER_KEY_ROTATION_DAYS)'),
      (err) => log.warn({ err }, 'automatic signing key rotation failed; will retry in an hour'),
    );
  void check();
  const timer = setInterval(check, 3600_000);
  timer.unref();
  return timer;
}

/** What the surfaces' plugins are given. */
type SurfaceOptions = { core: Core; pictureUrl: PictureUrl; config: Config; oidc: ProviderHandle | undefined };

/**
 * The API surfaces, in the order they are registered (a longer prefix before the one it extends). Outside every
 * surface, errors are answered in /api/v1's envelope.
 */
const SURFACES: readonly Surface<SurfaceOptions>[] = [
  apiV1,
  keyedV1,
  profilesApi,
  accountApi,
  consoleApi,
  hostedPages,
  linkPages,
  upstreamPages,
  oidcSurface,
  scimSurface,
];
const ROOT_SURFACE = apiV1;

declare module 'fastify' {
  interface FastifyInstance {
    core: Core;
    /** The webhook worker (tests wait on it: `tick()`, `idle()`). */
    webhookWorker: ReturnType<typeof startWebhookWorker>;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the whole service without listening: the composition root. Opens and
 * migrates the database, makes the core, then mounts every API surface on it.
 * server.ts listens on the result; tests and benchmarks use it as is.
 */
export type { AppOptions };

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const opened = await openCore(config, options);
  const { database, log, store, storage, core } = opened;
  if (!config.secretsKey)
    log.warn(
      'USHER_SECRETS_KEY is not set: signing keys and TOTP secrets are stored unencrypted in the database (protected by its file permissions only)',
    );
  const mail = startMailWorker(config, core, storage, log, options.mailPollMs ?? 1000);
  await ensureAdmin(core, config.admin);
  const webhooks = startWebhookWorker(config, {
    storage,
    box: core.box,
    now: core.now,
    onError: (err, deliveryId) => log.warn({ err, deliveryId }, 'webhook not delivered; will retry'),
    span: (name, work) => core.metrics.withSpan(name, work),
  });
  const webhookPass = () => void webhooks.tick().catch((err) => log.warn({ err }, 'webhook pass failed'));
  const webhookTimer = setInterval(webhookPass, options.webhookPollMs ?? 1000);
  webhookTimer.unref();

  const app = Fastify({
    loggerInstance: log,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOf(config.trustProxy),
    // The account API's routes answer with and without a trailing slash; so does everything else.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Connections left idle by keep-alive clients must not hold up a graceful shutdown.
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkErrorsOf(SURFACES, ROOT_SURFACE),
    // No child logger per request (a measurable share of a read): request log
    // lines carry the request id themselves (RequestLog, useErrorEnvelope).
    childLoggerFactory: (logger) => logger,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body is 415, not a string handed to a handler.
  app.removeContentTypeParser('text/plain');
  jsonBodies(app);
  app.decorate('core', core);
  app.decorate('webhookWorker', webhooks);
  const observed = await telemetry(app, config, database, core.metrics);

  // No body at all reads as {}: logout needs none, and a bare POST /users lists every missing field.
  // Only routes that take a body pay for the hook.
  const emptyBody = (request: { body: unknown }, _reply: unknown, done: () => void) => {
    request.body ??= {};
    done();
  };
  app.addHook('onRoute', (route) => {
    if (route.schema?.body)
      route.preValidation = [
        ...([] as unknown[]).concat(route.preValidation ?? []),
        emptyBody,
      ] as typeof route.preValidation;
  });
  securityHeaders(app);
  resolvePrincipals(app, core);
  if (config.rateLimit.enabled) rateLimit(app, config.rateLimit, store, core.now);
  bodyLimits(app);
  idempotentPosts(app, core);

  await openApi(app, config, SURFACES);

  useErrorEnvelope(app, ROOT_SURFACE.envelope, ROOT_SURFACE.status);
  systemRoutes(app, database, core);
  observed.routes();
  wellKnownRoutes(app, core);
  docsRoutes(app);
  consoleRoutes(app);
  const pictureUrl = pictureUrlFor(config.publicUrl);
  const oidc = await createOidc(core, config, core.applications);
  if (oidc) discoveryRoute(app, oidc);
  if (oidc && !PROVIDER_RUNTIME_SUPPORTED)
    log.warn('the OpenID provider (oidc-provider) supports Node.js 22 LTS and later; it runs on this Node.js 20');
  else log.warn('the OpenID provider is off: tokens are signed with USHER_JWT_SECRET (HS256); set USHER_JWT_ALG');
  await mountSurfaces(app, SURFACES, { core, pictureUrl, config, oidc });

  // Expired sessions and refresh tokens are deleted hourly; a failure is logged and retried next hour.
  const sweep = setInterval(() => core.sweep().catch((err) => app.log.warn({ err }, 'session sweep failed')), 3600_000);
  sweep.unref();
  const rotation = autoRotation(config, core, app.log);
  // At shutdown, logins waiting for a hashing slot are answered 503 and foreign checks abandoned, so no hash holds the
  // exit.
  if (!options.hasher) app.addHook('preClose', async () => void (await core.hasher.close()));
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    clearInterval(rotation);
    clearInterval(webhookTimer);
    await webhooks.stop();
    await mail.stop();
    await opened.close();
  });
  return app;
}
