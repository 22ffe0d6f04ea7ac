#!/usr/bin/env node
// `npm test`: everything CI runs, in order, stopping at the first failing step.
// Static checks first (cheap), then unit/integration tests under Node, then the real UI in Chromium,
// then the Electron end-to-end tests (which skip with a clear message where no Electron binary exists).
// The security gates (docs/security.md) run among them: Electronegativity against its reviewed allow-list after
// lint, npm audit of the production dependencies (skips, saying so, when the registry's advisory service cannot
// be reached), and the check that nothing of the test bridge is in what ships right after the build.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', ['npx', 'eslint', '.']],
  ['security gate: Electronegativity vs. reviewed allow-list', ['node', 'build/security/electronegativity.mjs']],
  ['security gate: npm audit of production dependencies', ['node', 'build/security/audit.mjs']],
  ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['build', ['npm', 'run', 'build']],
  ['security gate: no test bridge in the packaged build', ['node', 'build/security/check-package.mjs']],
  ['unit and integration tests (Node)', ['npx', 'vitest', 'run', 'tests/unit']],
  // The long evidence runs get the machine to themselves: run beside the CLI tests (which start processes with a
  // time limit) they would only make both slower.
  ['crash safety: SIGKILL loop (Node)', ['npx', 'vitest', 'run', 'tests/faults']],
  ['seeded fuzzing (Node)', ['npx', 'vitest', 'run', 'tests/fuzz']],
  ['browser tests (Chromium)', ['npx', 'playwright', 'test', '-c', 'tests/playwright.config.ts']],
  ['Electron end-to-end tests', ['npx', 'playwright', 'test', '-c', 'tests/electron/playwright.config.ts']],
];

for (const [name, [command, ...args]] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n=== FAILED: ${name} (${seconds}s, exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`=== ok: ${name} (${seconds}s)`);
}
console.log('\n=== all test steps passed');
