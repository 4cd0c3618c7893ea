import { load } from './load.js';
import { rawArgon2, withCpu } from './processes.js';
import { informational, p99Below, ratioAtLeast } from './report.js';
import type { Scene } from './scenarios-reads.js';
import { PASSWORD, call } from './setup.js';
import {
  SECONDS,
  activeUser,
  chainLoad,
  check,
  clientAddress,
  log,
  loginLoad,
  measure,
  refreshLoad,
} from './settings.js';

/** Scenarios (3) to (6): logins, refreshes and registrations, and reads while logins saturate the CPU. */
export async function writeScenarios(scene: Scene): Promise<void> {
  const { dialect, usher, baseline, reader, readerId, rows } = scene;
  // Raw argon2id is measured again right before the scenario it is compared with: on a shared
  // machine the speed of the cores drifts over a run of many minutes.
  log('  (3) POST /api/v1/auth/login');
  const verifies = await rawArgon2('verify', SECONDS);
  const login = await measure(usher, () => loginLoad(usher.url, SECONDS));
  check('login', login);
  rows.push({
    dialect,
    name: '(3) POST /api/v1/auth/login',
    usher: login,
    baseline: { label: 'raw argon2id verify', rps: verifies },
    target: ratioAtLeast(0.9, '≥ 0.9x raw verify'),
  });

  log('  (4) POST /api/v1/auth/refresh');
  const tokens: string[] = [];
  for (let i = 0; i < 51; i++)
    tokens.push(
      (await call(usher.url, 'POST', '/api/v1/auth/login', { body: { username: activeUser(), password: PASSWORD } }))
        .json.refresh_token,
    );
  const length = tokens[0]!.length;
  const refreshBytes = (
    await call(usher.url, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: tokens.pop() } })
  ).bytes as number;
  const refresh = await measure(usher, () => refreshLoad(usher.url, tokens, SECONDS));
  check('refresh', refresh);
  // The raw server with a client sending one fixed body (the target's baseline, as in earlier runs), and again
  // driven by the same chaining client as Usher (its answers carry no token: the next is cut from its filler,
  // as long as a real one), to show how much of the gap is the client's own work.
  const filler = 'x'.repeat(length);
  const fixedBody = await withCpu(baseline.pid, () =>
    load({
      url: `${baseline.url}/?bytes=${refreshBytes}`,
      method: 'POST',
      body: JSON.stringify({ refresh_token: filler }),
      seconds: SECONDS,
    }),
  );
  const rawChains = Array.from({ length: 50 }, () => filler);
  const chained = await withCpu(baseline.pid, () =>
    chainLoad(`${baseline.url}/?bytes=${refreshBytes}`, rawChains, (a) => a.data.slice(0, length), SECONDS),
  );
  const sameClient = { label: 'raw node:http, the same chaining client', rps: chained.rps, cpu: chained.cpu };
  rows.push({
    dialect,
    name: '(4) POST /api/v1/auth/refresh',
    usher: refresh,
    baseline: { label: `node:http, ${refreshBytes} B JSON`, rps: fixedBody.rps, cpu: fixedBody.cpu, sameClient },
    target: dialect === 'sqlite' ? ratioAtLeast(0.3, '≥ 0.3x baseline') : ratioAtLeast(0.1, '≥ 0.1x baseline'),
  });

  log('  (5) POST /api/v1/users');
  const hashes = await rawArgon2('hash', SECONDS);
  let n = 0;
  const register = await measure(usher, () =>
    load({
      url: `${usher.url}/api/v1/users`,
      method: 'POST',
      seconds: SECONDS,
      setupRequest: (req) => {
        const username = `bench_${process.pid}_${dialect}_${n++}`;
        return {
          ...req,
          method: 'POST',
          body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
          headers: { ...req.headers, 'x-forwarded-for': clientAddress() },
        };
      },
    }),
  );
  check('register', register);
  rows.push({
    dialect,
    name: '(5) POST /api/v1/users',
    usher: register,
    baseline: { label: 'raw argon2id hash', rps: hashes },
    target: informational('bounded by argon2id'),
  });

  log('  (6) reads while logins saturate the CPU');
  const path = `/api/v1/users/${readerId}`;
  const [reads, logins] = await Promise.all([
    measure(usher, () =>
      load({
        url: `${usher.url}${path}`,
        seconds: SECONDS,
        connections: 50,
        headers: { authorization: `Bearer ${reader}` },
      }),
    ),
    loginLoad(usher.url, SECONDS),
  ]);
  check('reads under login load', reads);
  check('logins under read load', logins);
  rows.push({
    dialect,
    name: `(6) (1) during a login flood (${logins.rps.toFixed(0)} logins/s)`,
    usher: reads,
    baseline: { label: 'n/a', rps: 0 },
    target: p99Below(50),
  });
}
