#!/usr/bin/env node
// Plain JavaScript so that it runs as is; the program is the TypeScript build in dist/.
import {register} from 'node:module';

// React's production build: the development one checks and warns on every render, about twice the
// cost of drawing the TUI (bench/log-scale.ts). Set before React loads, hence the dynamic import.
process.env.NODE_ENV ??= 'production';
// Ink keeps every text it ever measured; these hooks bound those caches (see the file).
register('../dist/ui/ink-cache-hooks.js', import.meta.url);
await import('../dist/cli.js');
