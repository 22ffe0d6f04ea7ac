#!/usr/bin/env node
// Entry of the `second-opinion` command. The CLI is TypeScript run through tsx (a dependency), so
// `npx second-opinion …` works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2));
