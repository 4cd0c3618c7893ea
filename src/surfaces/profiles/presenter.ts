import type { Static } from '@sinclair/typebox';
import type { User } from '../../core/types.js';
import type { ProfileSchema } from './schemas.js';

/** Maps between the core and the profiles wire format. */

export const profile = (u: User): Static<typeof ProfileSchema> => ({
  id: u.id,
  user_id: u.id,
  username: u.username,
  email: u.email,
  preferences: u.preferences,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});
