/**
 * The metrics' and traces' settings (src/http/telemetry/), read by config.ts with the rest.
 */
import { ConfigError, type Env, optional } from './config-error.js';

export interface TelemetrySettings {
  /** USHER_METRICS_TOKEN: the bearer token `GET /metrics` requires (on the public port, and on the metrics port). */
  readonly metricsToken: string | undefined;
  /** USHER_METRICS_PORT: serve `GET /metrics` on this port only (not on the public one). */
  readonly metricsPort: number | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: send traces there (OTLP over HTTP); unset, nothing of OpenTelemetry is loaded. */
  readonly otlpEndpoint: string | undefined;
}

export function telemetryOf(env: Env): TelemetrySettings {
  const metricsToken = optional(env, 'USHER_METRICS_TOKEN');
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken)))
    throw new ConfigError('USHER_METRICS_TOKEN', 'must be at least 16 characters, without spaces');
  const rawPort = optional(env, 'USHER_METRICS_PORT');
  const metricsPort = rawPort === undefined ? undefined : Number(rawPort);
  if (metricsPort !== undefined && (!/^\d+$/.test(rawPort!) || metricsPort < 1 || metricsPort > 65535))
    throw new ConfigError('USHER_METRICS_PORT', `must be a port number between 1 and 65535, got "${rawPort}"`);
  if (metricsPort !== undefined && rawPort === (optional(env, 'PORT') ?? '3000'))
    throw new ConfigError('USHER_METRICS_PORT', 'must differ from PORT (the metrics get a listener of their own)');
  const otlpEndpoint = optional(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlpEndpoint !== undefined && !/^https?:\/\/.+/.test(otlpEndpoint))
    throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT', 'must be an http:// or https:// URL');
  return { metricsToken, metricsPort, otlpEndpoint };
}

/** Whether `GET /metrics` is served anywhere (a token or a port set): else nobody can read the figures. */
export const metricsServed = (t: TelemetrySettings): boolean =>
  t.metricsToken !== undefined || t.metricsPort !== undefined;
