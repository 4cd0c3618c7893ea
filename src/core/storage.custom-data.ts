/** The user schema as stored (settings `user_schema`, with its version beside it in `user_schema_version`). */
export interface StoredUserSchema {
  version: string;
  /** The schema's JSON text. */
  schema: string;
  updatedAt: string;
}

export interface UserSchemaStore {
  /** The current version only: a small read, made before every custom_data write. */
  version(): Promise<string | undefined>;
  read(): Promise<StoredUserSchema | undefined>;
  /** Stores a new schema, or with null removes it. */
  write(value: StoredUserSchema | null): Promise<void>;
}
