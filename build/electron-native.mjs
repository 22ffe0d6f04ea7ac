// Helpers shared by `npm start` (build/start-electron.mjs) and the Electron end-to-end tests:
//  - find the Electron binary WITHOUT require('electron') (that would try to download it);
//  - build better-sqlite3-multiple-ciphers for Electron's ABI in .cache/electron-native/, leaving the copy in
//    node_modules built for Node (the unit tests and the CLI need that one).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The environment variable that hands the Electron-ABI .node file to the core (better-sqlite3 `nativeBinding`). */
export const SQLITE_BINDING_ENV = 'SECOND_OPINION_SQLITE_BINDING';
export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** Installed Electron version (from node_modules/electron/package.json), or null. */
export function electronVersion(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** NODE_MODULE_VERSION of the installed Electron (node_modules/electron/abi_version), or null. */
export function electronAbi(root) {
  try {
    return fs.readFileSync(path.join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The Electron executable the electron package would run, or null if it is not there. Mirrors
 * node_modules/electron/index.js (path.txt, ELECTRON_OVERRIDE_DIST_PATH) but never downloads anything.
 */
export function electronBinaryPath(root) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = null;
  }
  let candidate = null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    candidate = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  } else if (relative) {
    candidate = path.join(packageDir, 'dist', relative);
  }
  return candidate && fs.existsSync(candidate) ? candidate : null;
}

function findNodeGyp(root) {
  const candidates = [
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate && fs.existsSync(candidate)) ?? null;
}

/** npm exports its config (nodedir, target, runtime, disturl…) as npm_config_* variables; node-gyp would obey them. */
function cleanBuildEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|target_arch|runtime|disturl|dist_url|devdir|build_from_source)$/i.test(key)) delete env[key];
  }
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** True when the addon was compiled for this NODE_MODULE_VERSION (checklist item 19). */
export function addonMatchesAbi(file, abi) {
  const bytes = fs.readFileSync(file);
  return bytes.includes(Buffer.from(`node_register_module_v${abi}`));
}

/**
 * Returns the path of better_sqlite3.node built for the given runtime, building it on first use:
 * copies the package (without its Node build) to .cache/electron-native/<key>/ and runs
 * `node-gyp rebuild --target=<version> --dist-url=<headers>` there. The first build downloads Electron's
 * headers (internet needed once) and needs a C++ toolchain. Builds in a temporary folder and renames it, so an
 * interrupted build never leaves a half-built cache behind.
 *
 * Options: root (repo), target (runtime version, default: installed Electron), distUrl (default Electron's
 * headers; null means Node's own headers), abi (expected NODE_MODULE_VERSION, default Electron's), arch,
 * log (a function for progress lines), nodedir (only for building against local Node headers).
 */
export function ensureSqliteBinding(options) {
  const root = options.root;
  const target = options.target ?? electronVersion(root);
  if (!target) throw new Error('the electron package is not installed');
  const distUrl = options.distUrl === undefined ? ELECTRON_HEADERS_URL : options.distUrl;
  const abi = options.abi ?? electronAbi(root);
  const arch = options.arch ?? process.arch;
  const log = options.log ?? (() => {});
  const runtime = distUrl === ELECTRON_HEADERS_URL ? 'electron' : 'node';

  const packageDir = path.join(root, 'node_modules', SQLITE_PACKAGE);
  const packageVersion = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const cacheRoot = options.cacheDir ?? path.join(root, '.cache', 'electron-native');
  const key = `${SQLITE_PACKAGE}-${packageVersion}-${runtime}-${target}-${process.platform}-${arch}`;
  const finalDir = path.join(cacheRoot, key);
  const relativeBinding = path.join('build', 'Release', 'better_sqlite3.node');
  const binding = path.join(finalDir, relativeBinding);
  if (fs.existsSync(binding) && fs.existsSync(path.join(finalDir, '.complete'))) return binding;

  const nodeGyp = findNodeGyp(root);
  if (!nodeGyp) throw new Error('node-gyp was not found (it ships with npm)');

  fs.mkdirSync(cacheRoot, { recursive: true });
  const workDir = path.join(cacheRoot, `${key}.building-${process.pid}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  const skip = new Set([path.join(packageDir, 'build'), path.join(packageDir, 'node_modules')]);
  fs.cpSync(packageDir, workDir, { recursive: true, filter: (source) => !skip.has(source) });

  log(`Building ${SQLITE_PACKAGE} ${packageVersion} for ${runtime} ${target} (${arch}); this happens once and takes a few minutes…`);
  const args = [nodeGyp, 'rebuild', '--release', `--target=${target}`, `--arch=${arch}`];
  if (distUrl) args.push(`--dist-url=${distUrl}`, `--devdir=${path.join(root, '.cache', 'electron-gyp')}`);
  if (options.nodedir) args.push(`--nodedir=${options.nodedir}`);
  const result = spawnSync(process.execPath, args, { cwd: workDir, stdio: 'inherit', env: cleanBuildEnv() });
  if (result.status !== 0) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw new Error(`node-gyp failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  }
  const built = path.join(workDir, relativeBinding);
  if (!fs.existsSync(built)) throw new Error(`node-gyp did not produce ${relativeBinding}`);
  if (abi && !addonMatchesAbi(built, abi)) {
    throw new Error(`the built addon is not for NODE_MODULE_VERSION ${abi}`);
  }
  // Keep only what loading needs: the .node file (the sqlite sources are ~100 MB of build products).
  fs.rmSync(path.join(workDir, 'build', 'Release', 'obj'), { recursive: true, force: true });
  fs.rmSync(path.join(workDir, 'build', 'Release', 'obj.target'), { recursive: true, force: true });
  fs.rmSync(path.join(workDir, 'deps'), { recursive: true, force: true });
  fs.rmSync(path.join(workDir, 'src'), { recursive: true, force: true });
  fs.writeFileSync(path.join(workDir, '.complete'), JSON.stringify({ runtime, target, abi, arch, builtAt: new Date().toISOString() }));
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(workDir, finalDir);
  return binding;
}
