import { Type } from '@sinclair/typebox';
import { NAME_MAX } from '../../core/passkeys/passkey.rules.js';
import { Nullable, StringEnum, Timestamp, UserId } from '../shared/schemas.js';
import { Envelope } from './schemas.js';

/** Passkeys on /api/v1: a passkey, the ceremonies' options and the browser's answers, and the paths naming one. */

export const PasskeyV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    created_at: Timestamp,
    last_used_at: Nullable(Timestamp),
    device_type: StringEnum(['singleDevice', 'multiDevice'] as const, {
      description: 'multiDevice: a synced passkey (a password manager, a platform keychain)',
    }),
    backed_up: Type.Boolean(),
  },
  { title: 'ApiV1Passkey' },
);

export const PasskeyEnvelope = Envelope(PasskeyV1);
export const PasskeyList = Envelope(Type.Array(PasskeyV1));

// The browser library's values are base64url; a real credential's parts are a few hundred bytes to a few kilobytes.
const b64 = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$', ...(description && { description }) });
// What browsers add (extension results, new fields) passes, bounded.
const Open = { additionalProperties: true, maxProperties: 24 } as const;

/** The options, as `startRegistration`/`startAuthentication` of @simplewebauthn/browser take them (`optionsJSON`). */
const Options = (title: string) => Type.Object({ challenge: Type.String() }, { additionalProperties: true, title });

export const RegisterOptionsResponse = Type.Object(
  {
    challenge_id: Type.String({ description: 'Send back with the answer to /auth/passkeys/register/verify' }),
    options: Options('PublicKeyCredentialCreationOptionsJSON'),
  },
  { title: 'ApiV1PasskeyRegisterOptions' },
);

export const LoginOptionsResponse = Type.Object(
  {
    challenge_id: Type.String({ description: 'Send back with the answer to /auth/passkeys/login/verify' }),
    options: Options('PublicKeyCredentialRequestOptionsJSON'),
  },
  { title: 'ApiV1PasskeyLoginOptions' },
);

const Common = {
  id: b64(1366, 'The credential id'),
  rawId: b64(1366),
  type: Type.Literal('public-key'),
  authenticatorAttachment: Type.Optional(StringEnum(['platform', 'cross-platform'] as const)),
  clientExtensionResults: Type.Object({}, Open),
};

/** What `startRegistration` answers (RegistrationResponseJSON). */
export const RegistrationCredential = Type.Object(
  {
    ...Common,
    response: Type.Object(
      {
        clientDataJSON: b64(8192),
        attestationObject: b64(65536),
        authenticatorData: Type.Optional(b64(65536)),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(b64(8192)),
      },
      Open,
    ),
  },
  { ...Open, title: 'RegistrationResponseJSON' },
);

/** What `startAuthentication` answers (AuthenticationResponseJSON). */
export const AuthenticationCredential = Type.Object(
  {
    ...Common,
    response: Type.Object(
      {
        clientDataJSON: b64(8192),
        authenticatorData: b64(65536),
        signature: b64(8192),
        userHandle: Type.Optional(Type.String({ maxLength: 1024, pattern: '^[A-Za-z0-9_-]*={0,2}$' })),
      },
      Open,
    ),
  },
  { ...Open, title: 'AuthenticationResponseJSON' },
);

const ChallengeId = Type.String({ maxLength: 64, description: 'The challenge_id the options came with' });
const Name = Type.String({ maxLength: NAME_MAX * 4, description: `1-${NAME_MAX} characters` });

export const RegisterVerifyBody = Type.Object(
  { challenge_id: ChallengeId, credential: RegistrationCredential, name: Type.Optional(Name) },
  { additionalProperties: false },
);

export const LoginOptionsBody = Type.Object(
  {
    username: Type.Optional(
      Type.String({ maxLength: 320, description: 'Only this user (username or email) may sign in with the answer' }),
    ),
  },
  { additionalProperties: false },
);

export const LoginVerifyBody = Type.Object(
  { challenge_id: ChallengeId, credential: AuthenticationCredential },
  { additionalProperties: false },
);

export const RenameBody = Type.Object({ name: Name }, { additionalProperties: false });

export const PasskeyParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const UserPasskeyParams = Type.Object({ id: UserId(), passkey_id: Type.String({ maxLength: 64 }) });
