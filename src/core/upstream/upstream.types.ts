/** What the upstream flow's parts share. */

/** Who the provider says signed in. */
export interface Profile {
  subject: string;
  email: string | null;
  /** Only when the provider vouches for the address (`email_verified: true`; GitHub: the primary verified email). */
  emailVerified: boolean;
  /** A username to start from (preferred_username, GitHub's login). */
  username: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** What the flow keeps between the redirect and the callback. */
export interface Checks {
  state: string;
  nonce: string;
  verifier: string;
}
