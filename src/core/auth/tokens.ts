/** What a login answers, whichever surface shapes it: a session's tokens, or a challenge for the second factor. */

/** The tokens of a session, as every surface's login and refresh answer them (each in its own shape). */
export interface Tokens {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token lives. */
  expiresIn: number;
  refreshToken: string;
}

/** What a login with a second factor answers instead of tokens. */
export interface MfaChallenge {
  mfaToken: string;
  /** Seconds the challenge lives. */
  expiresIn: number;
}
