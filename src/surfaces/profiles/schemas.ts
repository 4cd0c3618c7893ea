import { Type } from '@sinclair/typebox';
import { CurrentPassword, PreferencesInput, PreferencesSchema, Timestamp } from '../shared/schemas.js';

/** Wire shapes of /api/users/profiles: a profile is its user, with preferences. */

export const ProfileSchema = Type.Object({
  id: Type.String(),
  user_id: Type.String({ description: 'The same as id: a profile is its user' }),
  username: Type.String(),
  email: Type.String(),
  preferences: PreferencesSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const CreateBody = Type.Object(
  { username: Type.String(), email: Type.String(), preferences: Type.Optional(PreferencesInput) },
  { additionalProperties: false, description: 'Creates a user without a password (admins); it cannot log in until one is set.' },
);
export const UpdateBody = Type.Object(
  { email: Type.Optional(Type.String()), preferences: Type.Optional(PreferencesInput), current_password: Type.Optional(CurrentPassword) },
  { additionalProperties: false, description: 'Changes only the given fields (and only the given preference keys).' },
);
export const Params = Type.Object({ user_id: Type.String() });
