#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx latent-lab` works straight after `npm install`. Everything is
// resolved from this file's package (tsx, the sources, the tsconfig), never from the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.node.json', import.meta.url)) });
await import('../src/cli/index.ts');
