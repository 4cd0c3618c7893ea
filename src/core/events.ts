/**
 * Changes that cached authentication state must hear about at once: a session
 * ended, a user changed (role, status, deletion, password), an API key revoked.
 * In one process the bus is a function call; with Redis it also crosses instances.
 * `signing_keys` (id: the new current kid): the keys rotated; every instance reloads its key ring.
 */
export type AuthEvent = { kind: 'session' | 'user' | 'api_key' | 'signing_keys'; id: string };

export interface EventBus {
  publish(event: AuthEvent): void;
  subscribe(listener: (event: AuthEvent) => void): void;
  close(): Promise<void>;
}

export function createLocalBus(): EventBus {
  const listeners: Array<(event: AuthEvent) => void> = [];
  return {
    publish: (event) => {
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.push(listener);
    },
    close: async () => {},
  };
}
