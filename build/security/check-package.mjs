#!/usr/bin/env node
// Security gate (checklist item 22): the test bridge, its token and test-only switches are not in what ships.
// Runs after `npm run build`. It checks:
//   1. the bundles that ship (dist/electron/main.cjs, preload.cjs, core-host.cjs): none bundles a module from
//      electron/bridge/ or tests/ (read from the build's source maps, which list every bundled module), and none
//      contains the bridge's code markers (its routes, its token cookie, its server) or a test-only switch;
//   2. the renderer build (dist/renderer): no bridge client, no token cookie name (the bridge injects its client
//      only when it serves the page; the built files must not know about it);
//   3. every environment variable name SECOND_OPINION_* in the shipped bundles is on the reviewed list below;
//   4. electron-builder.json `files`, evaluated the way electron-builder does (minimatch, dot: true, in order),
//      ships the bundles and leaves out the bridge, tests, source maps and sources — both for the files that exist
//      in dist/ now and for probe paths (a bridge bundle someone might add later);
//   5. if packaged apps exist in out/ (npm run dist), the same checks inside each app.asar.
// Exit 1 with the list of problems, else 0.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHIPPED_BUNDLES = ['main.cjs', 'preload.cjs', 'core-host.cjs'];

/** Text that only the test bridge (electron/bridge) or test set-ups contain. Any of it in a shipped file fails. */
export const FORBIDDEN_MARKERS = [
  ['__bridge', 'the bridge routes (/__bridge/rpc, /__bridge/events, /__bridge/upload, /__bridge/save-location, /__bridge/client.js)'],
  ['so_bridge', "the bridge's token cookie"],
  ['startBridge', 'the bridge server'],
  ['bridgeClientScript', "the bridge's window.vault client"],
  ['bridge-server', 'the bridge server'],
  ['SECOND_OPINION_TEST_FAST_KDF', 'the test-only cheap key derivation switch'],
  ['testKdfFromEnv', 'the test-only cheap key derivation switch'],
  ['createServer(', 'an HTTP server (the app never listens on a port)'],
  ['127.0.0.1', 'a loopback address (the bridge listens there; the app never does)'],
];

/**
 * Environment variables the shipped code may read, each reviewed. Anything else named SECOND_OPINION_* in a
 * shipped bundle fails the check, so a test switch cannot slip in unnoticed.
 */
export const REVIEWED_ENV = {
  SECOND_OPINION_VAULT: 'where the vault folder is (same variable as the CLI); documented in the README',
  SECOND_OPINION_BACKUP_DIR: 'default folder for backups (a user choice, like the one in the UI)',
  SECOND_OPINION_EXPORT_DIR: 'default folder for packets (a user choice, like the one in the UI)',
  SECOND_OPINION_SQLITE_BINDING:
    'dev-only path of the Electron build of the database module; main deletes it from the core process environment when app.isPackaged',
};

/** Paths electron-builder must never pack, whatever else `files` says. */
export const MUST_EXCLUDE = [
  'electron/bridge/server.ts',
  'electron/bridge/client-script.ts',
  'dist/electron/bridge.cjs',
  'dist/electron/bridge-server.cjs',
  'dist/bridge/client.js',
  'dist/renderer/__bridge/client.js',
  'tests/browser/fixtures.ts',
  'test/setup.js',
  'dist/electron/main.cjs.map',
  'dist/electron/core-host.cjs.map',
  'electron/main/index.ts',
  'electron/core/core.ts',
];
/** Paths it must pack for the app to work. */
export const MUST_INCLUDE = ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/core-host.cjs', 'dist/renderer/index.html'];

/**
 * The markers checked in the renderer build: the bridge's own names only. Its third-party code may well contain
 * an HTTP server's or a loopback address's text without listening anywhere (the page has no Node).
 */
const RENDERER_MARKERS = FORBIDDEN_MARKERS.filter(([marker]) => ['__bridge', 'so_bridge', 'bridgeClientScript', 'SECOND_OPINION_TEST_FAST_KDF'].includes(marker));

/** Problems in one shipped text file (a bundle or a renderer asset). */
export function markersIn(name, text, markers = FORBIDDEN_MARKERS) {
  const problems = [];
  for (const [marker, what] of markers) {
    if (text.includes(marker)) problems.push(`${name} contains "${marker}" (${what})`);
  }
  return problems;
}

/** SECOND_OPINION_* names in a shipped bundle that are not on the reviewed list. */
export function unreviewedEnv(name, text) {
  const names = new Set(text.match(/SECOND_OPINION_[A-Z0-9_]+/g) ?? []);
  return [...names].filter((found) => !Object.hasOwn(REVIEWED_ENV, found)).map((found) => `${name} reads the unreviewed environment variable ${found}`);
}

/** Modules from the bridge or tests among a source map's sources. */
export function forbiddenSources(name, sources) {
  return sources
    .map((source) => source.replace(/\\/g, '/'))
    .filter((source) => /(^|\/)electron\/bridge\//.test(source) || /(^|\/)tests?\//.test(source.replace(/^(\.\.\/)+/, '')) || /bridge-server/.test(source))
    .map((source) => `${name} bundles test-only module ${source}`);
}

function loadMinimatch() {
  // The same minimatch electron-builder uses, resolved from its own package.
  const fromBuilder = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('app-builder-lib/package.json'));
  return fromBuilder('minimatch');
}

/**
 * A `files` filter that decides like electron-builder (app-builder-lib/out/util/filter.js): patterns in order,
 * a matching positive pattern includes, a matching later negated pattern excludes again; minimatch with dot: true.
 */
export function filesFilter(patterns, minimatch = loadMinimatch()) {
  const { Minimatch } = minimatch;
  const compiled = patterns.map((pattern) => new Minimatch(pattern, { dot: true }));
  return (relative) => {
    let match = false;
    for (const pattern of compiled) {
      if (match !== pattern.negate) continue;
      match = pattern.match(relative);
    }
    return match;
  };
}

/** Problems with electron-builder's `files` patterns, given the files that exist in dist/ now. */
export function builderProblems(patterns, distFiles, minimatch) {
  const ships = filesFilter(patterns, minimatch);
  const problems = [];
  for (const probe of MUST_EXCLUDE) if (ships(probe)) problems.push(`electron-builder.json "files" would ship ${probe}`);
  for (const needed of MUST_INCLUDE) if (!ships(needed)) problems.push(`electron-builder.json "files" would not ship ${needed}`);
  for (const file of distFiles) {
    if (!ships(file)) continue;
    if (/bridge/i.test(path.posix.basename(file))) problems.push(`electron-builder.json "files" ships ${file}`);
    if (file.endsWith('.map')) problems.push(`electron-builder.json "files" ships the source map ${file}`);
  }
  return problems;
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Checks the bundles and renderer found through `read(relativePath)` (a folder on disk or an asar). */
function checkAppFiles(label, files, read) {
  const problems = [];
  const notes = [];
  for (const bundle of SHIPPED_BUNDLES) {
    const rel = `dist/electron/${bundle}`;
    if (!files.includes(rel)) {
      problems.push(`${label}: ${rel} is missing`);
      continue;
    }
    const text = read(rel);
    problems.push(...markersIn(`${label}: ${rel}`, text), ...unreviewedEnv(`${label}: ${rel}`, text));
    const envNames = [...new Set(text.match(/SECOND_OPINION_[A-Z0-9_]+/g) ?? [])].sort();
    notes.push(`${rel} reads ${envNames.length > 0 ? envNames.join(', ') : 'no SECOND_OPINION_* variable'}`);
    const map = `${rel}.map`;
    if (files.includes(map)) {
      const sources = JSON.parse(read(map)).sources ?? [];
      problems.push(...forbiddenSources(`${label}: ${rel}`, sources));
      notes.push(`${rel}: ${sources.length} bundled modules, none from electron/bridge or tests`);
    } else {
      notes.push(`${rel}: no source map, so its bundled modules were not listed (markers only)`);
    }
  }
  const rendererFiles = files.filter((file) => file.startsWith('dist/renderer/'));
  if (rendererFiles.length === 0) problems.push(`${label}: dist/renderer is missing`);
  for (const file of rendererFiles) {
    if (/bridge/i.test(path.posix.basename(file))) problems.push(`${label}: ${file} looks like bridge code`);
    if (!/\.(html|m?js|css|json|svg|webmanifest)$/.test(file)) continue;
    const text = read(file);
    problems.push(...markersIn(`${label}: ${file}`, text, RENDERER_MARKERS));
  }
  return { problems, notes };
}

function packagedAsars() {
  const out = path.join(ROOT, 'out');
  return listFiles(out).filter((file) => file.endsWith('/app.asar') || file === 'app.asar').map((file) => path.join(out, file));
}

function main() {
  const problems = [];
  const distDir = path.join(ROOT, 'dist');
  const distFiles = listFiles(distDir).map((file) => `dist/${file}`);
  if (!distFiles.some((file) => file.startsWith('dist/electron/'))) {
    console.error('check-package: FAILED: dist/electron is missing; run `npm run build` first.');
    process.exit(1);
  }

  const built = checkAppFiles('build output', distFiles, (rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8'));
  problems.push(...built.problems);

  const builder = JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'electron-builder.json'), 'utf8'));
  problems.push(...builderProblems(builder.files ?? [], distFiles, loadMinimatch()));

  const asars = packagedAsars();
  if (asars.length > 0) {
    const asar = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('app-builder-lib/package.json'))('@electron/asar');
    for (const archive of asars) {
      const label = path.relative(ROOT, archive);
      const files = asar.listPackage(archive, { isPack: false }).map((file) => file.replace(/\\/g, '/').replace(/^\//, ''));
      for (const file of files) {
        if (/(^|\/)(tests?|electron\/bridge)\//.test(file) && !file.startsWith('node_modules/')) problems.push(`${label} contains ${file}`);
        if (/^dist\/.*\.map$/.test(file)) problems.push(`${label} contains the source map ${file}`);
      }
      const packed = checkAppFiles(label, files, (rel) => asar.extractFile(archive, rel).toString('utf8'));
      problems.push(...packed.problems);
    }
  }

  console.log(`check-package: ${SHIPPED_BUNDLES.map((bundle) => `dist/electron/${bundle}`).join(', ')} and dist/renderer (${distFiles.filter((f) => f.startsWith('dist/renderer/')).length} files) checked`);
  for (const note of built.notes) console.log(`check-package: ${note}`);
  console.log(`check-package: electron-builder.json "files" ships ${distFiles.filter(filesFilter(builder.files ?? [])).length} of ${distFiles.length} files in dist/ (no source maps, nothing named *bridge*)`);
  console.log(
    asars.length > 0
      ? `check-package: checked inside ${asars.map((file) => path.relative(ROOT, file)).join(', ')}`
      : 'check-package: note: no packaged app in out/ (npm run dist needs internet); checked the build output and the packaging rules instead',
  );
  if (problems.length > 0) {
    console.error('\ncheck-package: FAILED: test-only code could reach the packaged app:');
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  console.log('check-package: ok: no bridge, no bridge token, no test-only switch in what ships');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
