import { Type } from '@sinclair/typebox';
import type { SigningKeyInfo } from '../../core/auth/signing-keys.service.js';
import { Nullable, Timestamp } from '../shared/schemas.js';

/** Token-signing keys on /api/v1: public facts only (never a key's private half). */
export const SigningKeyV1 = Type.Object(
  {
    kid: Type.String({ description: 'The key id tokens carry in their header' }),
    alg: Type.String({ description: 'ES256, EdDSA, RS256 (or HS256 for a verification-only key of earlier versions)' }),
    state: Type.Union([Type.Literal('next'), Type.Literal('current'), Type.Literal('retired')], {
      description: 'next: published, signs after the next rotation; current: signs; retired: verifies until retires_at',
    }),
    created_at: Timestamp,
    retires_at: Nullable(Timestamp),
  },
  { title: 'ApiV1SigningKey' },
);

export const signingKeyV1 = (k: SigningKeyInfo) => ({
  kid: k.kid,
  alg: k.alg,
  state: k.state,
  created_at: k.createdAt,
  retires_at: k.retiresAt,
});
