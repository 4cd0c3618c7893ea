import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by Usher at /console (src/http/console.routes.ts), from dist/.
// The SDK is this checkout's own build (packages/client/dist), never whichever one node_modules links to: a git
// worktree sharing another checkout's node_modules would otherwise build against that checkout's SDK.
export default defineConfig({
  base: '/console/',
  plugins: [preact()],
  resolve: {
    alias: { 'user-management-api-client': fileURLToPath(new URL('../client/dist/index.js', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
