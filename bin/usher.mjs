#!/usr/bin/env node
// The `usher` command (npx usher --help). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/usher.ts');
