import { load } from './load.js';
import { withCpu } from './processes.js';
import { rpsAtLeast } from './report.js';
import type { Scene } from './scenarios-reads.js';
import { call } from './setup.js';
import { SECONDS, check, log, measure } from './settings.js';

/**
 * Scenario (9): the OpenID provider's machine path. A `machine` application's client_credentials grants, and
 * introspections of one of its tokens by a confidential client, each beside the raw node:http server sending an answer
 * of the same size. Targets from the issue: at least 2,000 grants/s (Keycloak publishes 120 per vCPU) and 5,000
 * introspections/s (Zitadel: 4,810 on 42 vCPU) on this machine.
 */
export async function oidcScenarios(scene: Scene): Promise<void> {
  const { dialect, usher, baseline, admin, rows } = scene;
  const made = await call(usher.url, 'POST', '/api/v1/applications', {
    token: admin,
    body: { name: 'bench machine', type: 'machine' },
    expect: 201,
  });
  const { client_id, client_secret } = made.json.data as { client_id: string; client_secret: string };
  const headers = {
    authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const first = await fetch(`${usher.url}/oidc/token`, {
    method: 'POST',
    headers,
    body: 'grant_type=client_credentials',
  });
  const grantBytes = (await first.clone().arrayBuffer()).byteLength;
  const token = ((await first.json()) as { access_token: string }).access_token;
  const introspect = `token=${encodeURIComponent(token)}`;
  const answer = await fetch(`${usher.url}/oidc/token/introspection`, { method: 'POST', headers, body: introspect });
  const introspectBytes = (await answer.arrayBuffer()).byteLength;

  const raw = (bytes: number, body: string) =>
    withCpu(baseline.pid, () =>
      load({ url: `${baseline.url}/?bytes=${bytes}`, method: 'POST', headers, body, seconds: SECONDS }),
    );

  log('  (9a) POST /oidc/token, client_credentials');
  const grants = await measure(usher, () =>
    load({
      url: `${usher.url}/oidc/token`,
      method: 'POST',
      headers,
      body: 'grant_type=client_credentials',
      seconds: SECONDS,
    }),
  );
  check('client_credentials', grants);
  rows.push({
    dialect,
    name: '(9a) POST /oidc/token (client_credentials)',
    usher: grants,
    baseline: { label: 'raw node:http, same bytes', ...(await raw(grantBytes, 'grant_type=client_credentials')) },
    target: rpsAtLeast(2000, '≥ 2,000 grants/s'),
  });

  log('  (9b) POST /oidc/token/introspection');
  const introspections = await measure(usher, () =>
    load({ url: `${usher.url}/oidc/token/introspection`, method: 'POST', headers, body: introspect, seconds: SECONDS }),
  );
  check('introspection', introspections);
  rows.push({
    dialect,
    name: '(9b) POST /oidc/token/introspection',
    usher: introspections,
    baseline: { label: 'raw node:http, same bytes', ...(await raw(introspectBytes, introspect)) },
    target: rpsAtLeast(5000, '≥ 5,000 introspections/s'),
  });
}
