import { Type } from '@sinclair/typebox';
import {
  CurrentPassword,
  PreferencesInput,
  PreferencesSchema,
  RuleString,
  Timestamp,
  UserId,
} from '../shared/schemas.js';

/** Wire shapes of /api/users/profiles: a profile is its user, with preferences. */

export const ProfileSchema = Type.Object(
  {
    id: UserId(),
    user_id: UserId('The same as id: a profile is its user'),
    username: Type.String(),
    email: Type.String(),
    preferences: PreferencesSchema,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Profile' },
);

export const CreateBody = Type.Object(
  { username: RuleString('username'), email: RuleString('email'), preferences: Type.Optional(PreferencesInput) },
  {
    additionalProperties: false,
    title: 'ProfileCreate',
    description: 'Creates a user without a password (admins); it cannot log in until one is set.',
  },
);
export const UpdateBody = Type.Object(
  {
    email: Type.Optional(RuleString('email')),
    preferences: Type.Optional(PreferencesInput),
    current_password: Type.Optional(CurrentPassword),
  },
  {
    additionalProperties: false,
    title: 'ProfileUpdate',
    description: 'Changes only the given fields (and only the given preference keys).',
  },
);
export const Params = Type.Object({ user_id: UserId() });
