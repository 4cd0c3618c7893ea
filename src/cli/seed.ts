import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { loadConfigOrExit } from '../config.js';
import { ARGON2_PARAMS } from '../core/security/password-hasher.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedUsers } from './seed-users.js';

/**
 * npm run seed -- --users 1000000 [--password SecurePass123!] [--prefix x]
 * Inserts users into DATABASE_URL (read from the checked configuration, as
 * every entry point reads it) for load tests: usernames like
 * `james_smith_1234` (`<prefix><first>_<last>_<i>`), all with the same password.
 */
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    password: { type: 'string', default: 'SecurePass123!' },
    prefix: { type: 'string', default: '' },
  },
});
const count = Number(values.users);
if (!Number.isInteger(count) || count < 1) {
  console.error('--users must be a positive whole number');
  process.exit(2);
}
const url = loadConfigOrExit().databaseUrl;
const database = createDatabase(url, { poolSize: 4 });
try {
  await migrateToLatest(database.db);
  const started = Date.now();
  await seedUsers(database, {
    count,
    prefix: values.prefix,
    passwordHash: await hash(values.password!, ARGON2_PARAMS),
    onProgress: (done) => process.stdout.write(`\r${done} / ${count} users`),
  });
  console.log(
    `\nseeded ${count} users into ${url.replace(/\/\/[^@]*@/, '//')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await database.close();
}
