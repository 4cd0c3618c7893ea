import type { FieldErrors } from '../errors.js';

/**
 * How guessable a new password is, by zxcvbn-ts with its common and English
 * dictionaries (common passwords, words, names, keyboard patterns, l33t
 * speak). Scores run 0 (guessed at once) to 4; below `minScore` the password
 * is refused with zxcvbn's own explanation.
 *
 * The estimator is loaded at the first check (its dictionaries hold tens of
 * megabytes), and bounded so a hostile password cannot hold the event loop:
 * the first 64 characters are judged (a longer password is strong anyway;
 * all of it is hashed) and l33t substitutions are capped at 4 (worst case
 * about 15 ms instead of 450).
 */
export interface PasswordStrength {
  /** Adds an error on `field` when `password` is too easy to guess; `related` are the user's own details (a password made of them is weak). */
  check(errors: FieldErrors, field: string, password: string, related: ReadonlyArray<string | null | undefined>): Promise<void>;
}

type Estimator = { check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null; suggestions: string[] } } };

export function createPasswordStrength(minScore: number): PasswordStrength {
  let estimator: Promise<Estimator> | undefined;
  const load = async (): Promise<Estimator> => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      l33tMaxSubstitutions: 4,
      maxLength: 64,
    });
  };
  return {
    async check(errors, field, password, related) {
      if (minScore <= 0 || errors[field]) return;
      estimator ??= load();
      const result = (await estimator).check(password, related.filter((r): r is string => typeof r === 'string' && r !== ''));
      if (result.score >= minScore) return;
      const why = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
      errors[field] = `Password is too easy to guess${why ? `: ${why}` : ''}`;
    },
  };
}
