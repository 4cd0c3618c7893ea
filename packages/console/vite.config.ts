import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Served by Usher at /console (src/http/console.routes.ts), from dist/.
export default defineConfig({
  base: '/console/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
