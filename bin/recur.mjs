#!/usr/bin/env node
// The `recur` command: loads the TypeScript sources through tsx and runs src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
