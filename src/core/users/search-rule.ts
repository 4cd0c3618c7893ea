/**
 * The search rule, in one place: a term of three or more characters matches
 * as a case-insensitive substring of username, email, first or last name; a
 * shorter term (it has no trigram) as a prefix of one of them. Storage
 * answers it with indexes; the in-memory totals (user.counts.ts) use
 * `matchesSearch`.
 */
export const isPrefixTerm = (term: string): boolean => [...term].length < 3;

/** The rule on one user's search text: "username\nemail\nfirst\nlast", lower case. */
export function matchesSearch(text: string, term: string): boolean {
  const t = term.toLowerCase();
  return isPrefixTerm(t) ? `\n${text}`.includes(`\n${t}`) : text.includes(t);
}

/** What search runs over. The newline keeps matches inside one field (search terms cannot hold one). */
export function searchText(u: {
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
}): string {
  return [u.username, u.email, u.firstName ?? '', u.lastName ?? ''].join('\n').toLowerCase();
}
