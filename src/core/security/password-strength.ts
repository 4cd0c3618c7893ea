import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type FieldErrors, unavailable } from '../errors.js';

/**
 * How guessable a new password is, by zxcvbn-ts with its common and English
 * dictionaries (common passwords, words, names, keyboard patterns, l33t
 * speak). Scores run 0 (guessed at once) to 4; below `minScore` the password
 * is refused with zxcvbn's own explanation.
 *
 * The estimator runs in a worker thread, started at the first check and
 * stopped after `idleMs` without one: with its dictionaries it takes about 30 MB,
 * which a server that is not signing people up should not hold, and a check
 * (about 30 ms for a long, hostile password) never holds the event loop.
 * The worker's heap is capped; it is bounded further by judging only the
 * first 64 characters (a longer password is strong anyway; all of it is
 * hashed) and by capping l33t substitutions at 4.
 */
export interface PasswordStrength {
  /**
   * Adds an error on `field` when `password` is too easy to guess; `related` are the user's own details (a password
   * made of them is weak).
   */
  check(
    errors: FieldErrors,
    field: string,
    password: string,
    related: ReadonlyArray<string | null | undefined>,
  ): Promise<void>;
}

interface Verdict {
  score: number;
  why: string;
}

const require = createRequire(import.meta.url);

// The worker's whole program (CommonJS, so it runs the same from src/ and from the bundle).
//
// zxcvbn keeps each word list as an object from word to rank: most of the
// worker's heap (27 MB, and 64 MB of RSS while building it) for the 230,000
// words here. A long list is kept instead as one string of its words in
// sorted order, with their offsets and ranks in typed arrays, looked up by
// halving: a 6 MB heap. zxcvbn-ts 4.2.0 (pinned) reads a list only as
// `list[word]` (its rank, or undefined), which a Proxy answers; only its
// Levenshtein matcher, which is off here, would enumerate a list. A word that
// appears twice keeps its last rank, as zxcvbn's object does. The verdicts are
// zxcvbn's own (password-strength.test.ts compares them). The lookup is built
// apart from the list so that no closure keeps the list alive.
const program = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);

function pack(list) {
  const order = Array.from(list.keys()).sort((a, b) => (list[a] < list[b] ? -1 : list[a] > list[b] ? 1 : b - a));
  const words = [];
  const starts = [];
  const ranks = [];
  let at = 0;
  let maxLength = 0;
  for (const i of order) {
    const word = list[i];
    if (words.length > 0 && words[words.length - 1] === word) continue;
    words.push(word);
    starts.push(at);
    ranks.push(i + 1);
    at += word.length;
    maxLength = Math.max(maxLength, word.length);
  }
  starts.push(at);
  return { text: words.join(''), start: Int32Array.from(starts), rank: Int32Array.from(ranks), maxLength };
}

function lookup({ text, start, rank }) {
  // Negative when word sorts before entry m, as the < the list was sorted with (UTF-16 code units).
  const compare = (word, m) => {
    const from = start[m];
    const length = start[m + 1] - from;
    for (let k = 0; k < Math.min(word.length, length); k++) {
      const d = word.charCodeAt(k) - text.charCodeAt(from + k);
      if (d !== 0) return d;
    }
    return word.length - length;
  };
  const find = (word) => {
    let low = 0;
    let high = rank.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const c = compare(word, middle);
      if (c === 0) return rank[middle];
      if (c > 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  };
  return new Proxy(Object.create(null), { get: (_, key) => (typeof key === 'string' ? find(key) : undefined) });
}

function build() {
  const common = require(workerData.common);
  const en = require(workerData.en);
  const lists = { ...common.dictionary, ...en.dictionary };
  const long = Object.keys(lists).filter((name) => lists[name].length > 1000);
  const estimator = new ZxcvbnFactory({
    dictionary: Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, long.includes(name) ? [] : list])),
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: 4,
    maxLength: 64,
  });
  for (const name of long) {
    const packed = pack(lists[name]);
    estimator.options.rankedDictionaries[name] = lookup(packed);
    estimator.options.rankedDictionariesMaxWordSize[name] = packed.maxLength;
  }
  // The language packages' lists are not needed again: let them go.
  for (const file of Object.keys(require.cache)) if (file.includes('@zxcvbn-ts/language-') || file.includes('@zxcvbn-ts/dictionary-compression')) delete require.cache[file];
  module.children.length = 0;
  return estimator;
}

const estimator = build();
parentPort.on('message', ({ id, password, related }) => {
  const { score, feedback } = estimator.check(password, related);
  parentPort.postMessage({ id, score, why: [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ') });
});
`;

interface Estimator {
  worker: Worker;
  estimate(password: string, related: string[]): Promise<Verdict>;
}

/** One worker and the checks it holds; when it dies, they fail (the next check starts a new one). */
function startEstimator(onIdle: () => void, maxPending: number): Estimator {
  const worker = new Worker(program, {
    eval: true,
    workerData: {
      core: require.resolve('@zxcvbn-ts/core'),
      common: require.resolve('@zxcvbn-ts/language-common'),
      en: require.resolve('@zxcvbn-ts/language-en'),
    },
    // Its live set is about 6 MB (building the lists takes more); the cap keeps V8 from growing the heap far past it.
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 2 },
  });
  const pending = new Map<number, { resolve(v: Verdict): void; reject(e: unknown): void }>();
  let nextId = 0;
  worker.on('message', (m: Verdict & { id: number }) => {
    pending.get(m.id)?.resolve({ score: m.score, why: m.why });
    pending.delete(m.id);
    if (pending.size > 0) return;
    // Idle: the worker no longer keeps the process alive.
    worker.unref();
    onIdle();
  });
  const fail = (error: unknown) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('error', () => fail(unavailable('The password strength check failed; try again', 1)));
  worker.on('exit', () => fail(unavailable('The password strength check stopped; try again', 1)));
  return {
    worker,
    estimate: (password, related) =>
      new Promise<Verdict>((resolve, reject) => {
        // A flood of sign-ups must not queue without end behind one thread: beyond the bound, 503 at once.
        if (pending.size >= maxPending)
          return reject(unavailable('Too many password checks in progress; try again shortly', 1));
        worker.ref();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, password, related });
      }),
  };
}

/**
 * The estimator's worker: started at the first check, stopped after `idleMs` without one; at most `maxPending` checks
 * wait for it.
 */
export interface StrengthEstimator {
  estimate(password: string, related: string[]): Promise<Verdict>;
  /** Whether the worker is running. */
  readonly running: boolean;
  close(): Promise<void>;
}

export function estimatorWorker(idleMs = 60_000, maxPending = 256): StrengthEstimator {
  let current: Estimator | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const stop = async () => {
    const stopping = current;
    current = undefined;
    clearTimeout(idleTimer);
    await stopping?.worker.terminate();
  };
  const estimator = (): Estimator => {
    clearTimeout(idleTimer);
    if (current) return current;
    const e = startEstimator(() => (idleTimer = setTimeout(stop, idleMs).unref()), maxPending);
    e.worker.once('exit', () => current === e && (current = undefined));
    return (current = e);
  };
  return {
    estimate: (password, related) => estimator().estimate(password, related),
    get running() {
      return current !== undefined;
    },
    close: stop,
  };
}

// One worker per process, whatever the number of cores built in it (the tests build many).
let shared: StrengthEstimator | undefined;

export function createPasswordStrength(minScore: number, estimator?: StrengthEstimator): PasswordStrength {
  return {
    async check(errors, field, password, related) {
      if (minScore <= 0 || errors[field]) return;
      const { score, why } = await (estimator ??= shared ??= estimatorWorker()).estimate(
        password,
        related.filter((r): r is string => typeof r === 'string' && r !== ''),
      );
      if (score >= minScore) return;
      errors[field] = `Password is too easy to guess${why ? `: ${why}` : ''}`;
    },
  };
}
