import type { Principal } from '../types.js';

/** Authenticates an `X-API-Key` value; implemented by the API key service. */
export interface ApiKeyAuth {
  authenticate(key: string): Promise<Principal>;
}
