import { uuidv7 } from '../core/ids.js';
import type { NewUserRecord } from '../core/storage.js';
import type { Database } from '../db/database.js';
import { bulkLoadUsers } from '../storage/users/user.bulk.js';

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Wei',
  'Aiko',
  'Olga',
  'Fatima',
  'Lucas',
  'Chloé',
  'Mateo',
  'Ingrid',
  'Amara',
  'Ravi',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Nakamura',
  'Müller',
  'Kowalski',
  'Okafor',
  'Haddad',
  'Dubois',
  'Rossi',
  'Ivanova',
  'Silva',
  'Chen',
];

export interface SeedOptions {
  count: number;
  /** The number of the first user (0 by default): seeding again from where an earlier seeding ended adds to it. */
  from?: number;
  /** One argon2id hash every seeded user shares (hashing a million passwords would take hours). */
  passwordHash: string;
  /** Username prefix, so several seedings can share a database. */
  prefix?: string;
  onProgress?: (done: number) => void;
}

const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.test'];

/** The username of seeded user number `i`: `<prefix><first>_<last>_<i>`, lower case, e.g. `james_smith_1234`. */
export function seededUsername(i: number, prefix = ''): string {
  return `${prefix}${FIRST[i % FIRST.length]}_${LAST[Math.floor(i / FIRST.length) % LAST.length]}_${i}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9_-]/g, '');
}

/** Seeded user number `i`: realistic names (so trigram statistics are realistic), every 20th inactive. */
export function seededRecord(i: number, o: SeedOptions, createdMs: number): NewUserRecord {
  const username = seededUsername(i, o.prefix);
  return {
    id: uuidv7(createdMs),
    username,
    email: `${username}@${DOMAINS[i % DOMAINS.length]}`,
    passwordHash: o.passwordHash,
    role: 'user',
    status: i % 20 === 0 ? 'inactive' : 'active',
    firstName: FIRST[i % FIRST.length]!,
    lastName: LAST[Math.floor(i / FIRST.length) % LAST.length]!,
    phoneNumber: null,
    dateOfBirth: null,
    bio: null,
    preferences: { theme: 'system', notifications: true },
    emailVerified: true,
    createdAt: new Date(createdMs).toISOString(),
  };
}

/**
 * Fills the database with `count` seeded users, created one millisecond apart and ending now (so ordering by creation
 * is realistic).
 */
export async function seedUsers(database: Database, o: SeedOptions): Promise<void> {
  const from = o.from ?? 0;
  const start = Date.now() - o.count - from;
  await bulkLoadUsers(database, {
    count: o.count,
    from,
    record: (i) => seededRecord(i, o, start + i),
    onProgress: o.onProgress,
  });
}
