import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the renderer once before the browser tests (skip with SKIP_RENDERER_BUILD=1 when already built). */
export default function globalSetup(): void {
  if (process.env.SKIP_RENDERER_BUILD === '1') return;
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}
