import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';

/** How long in-flight requests may take to finish at shutdown before their connections are closed. */
const SHUTDOWN_GRACE_MS = 8000;

/** Starts Usher: read the configuration, build the app, listen; on SIGTERM finish in-flight requests and exit 0. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Node closes the connections idle at close() once; one whose request finishes later would keep the
    // process for the keep-alive timeout (72 s), so idle ones are closed again until the end, and any
    // still open after SHUTDOWN_GRACE_MS are cut (waiting password checks are answered 503 at once).
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error) => {
  console.error('Usher failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
