/** The provider's request context store (oidc-provider keeps the Koa context of the request it serves there). */
declare module 'oidc-provider/lib/helpers/als.js' {
  import type { AsyncLocalStorage } from 'node:async_hooks';
  const als: AsyncLocalStorage<unknown>;
  export default als;
}
