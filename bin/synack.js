#!/usr/bin/env node
// Plain JavaScript so that it runs as is; the program is the TypeScript build in dist/.
import '../dist/cli.js';
