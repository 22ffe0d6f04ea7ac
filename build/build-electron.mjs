#!/usr/bin/env node
// Bundles the Electron side into dist/electron/ with esbuild:
//   main.cjs       Electron's main process (package.json "main"), electron external, everything else bundled.
//   preload.cjs    the sandboxed preload: one self-contained CommonJS file that requires nothing but 'electron'.
//   core-host.cjs  the core process started with utilityProcess.fork: our sources bundled, every npm package
//                  left external and loaded from node_modules at run time (native modules such as
//                  better-sqlite3-multiple-ciphers, @node-rs/argon2 and sharp cannot be bundled, and pdf.js /
//                  tesseract.js load their own files from their package folders).
//
// Why CommonJS everywhere: the preload must be CommonJS (sandboxed preloads cannot be ES modules); for main and
// the utility process, CommonJS runs synchronously to the end before Electron's `ready` event, so
// app.enableSandbox() and protocol.registerSchemesAsPrivileged() are guaranteed to run before ready (with an ESM
// main, anything after an await or a dynamic import may run after ready), and `.cjs` works whatever
// package.json "type" says. ESM-only packages are still reachable from the core through dynamic import().
//
// Usage: node build/build-electron.mjs [--watch]
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'electron');
const watch = process.argv.includes('--watch');

// Electron 45 embeds Node 22 and Chromium 140.
const NODE_TARGET = 'node22';
// CommonJS has no import.meta; give bundled code a faithful import.meta.url / dirname / filename.
const importMetaShim = {
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: {
    'import.meta.url': '__importMetaUrl',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: NODE_TARGET,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  tsconfig: path.join(root, 'tsconfig.json'),
};

const targets = [
  {
    name: 'main',
    entryPoints: ['electron/main/index.ts'],
    outfile: path.join(outdir, 'main.cjs'),
    external: ['electron'],
    ...importMetaShim,
  },
  {
    name: 'preload',
    entryPoints: ['electron/preload/index.ts'],
    outfile: path.join(outdir, 'preload.cjs'),
    external: ['electron'],
    // The sandboxed preload gets no Node: no source maps to load, nothing to require but 'electron'.
    sourcemap: false,
  },
  {
    name: 'core',
    entryPoints: ['electron/core/host/utility-entry.ts'],
    outfile: path.join(outdir, 'core-host.cjs'),
    packages: 'external',
    external: ['electron'],
    ...importMetaShim,
  },
];

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Fails the build when a bundle could break the security model. */
function check(name, metafile) {
  const problems = [];
  for (const input of Object.keys(metafile.inputs)) {
    const file = input.split(path.sep).join('/');
    if (/(^|\/)electron\/bridge\//.test(file) || /(^|\/)tests?\//.test(file) || /bridge-server/.test(file)) {
      problems.push(`${name} bundles test-only code: ${file}`);
    }
  }
  const externals = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) externals.add(imported.path);
  }
  if (name === 'preload') {
    for (const request of externals) if (request !== 'electron') problems.push(`preload requires "${request}"; a sandboxed preload may only require "electron"`);
  }
  if (name === 'main') {
    for (const request of externals) {
      if (request !== 'electron' && !NODE_BUILTINS.has(request)) problems.push(`main requires "${request}" at run time; bundle it`);
    }
  }
  if (name === 'core' && externals.has('electron')) problems.push('the core process must not import electron');
  return problems;
}

async function buildAll() {
  fs.mkdirSync(outdir, { recursive: true });
  const problems = [];
  for (const { name, ...options } of targets) {
    const result = await esbuild.build({ ...common, ...options });
    problems.push(...check(name, result.metafile));
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`build-electron: ${problem}`);
    process.exit(1);
  }
  const outputs = targets.map((target) => path.relative(root, target.outfile)).join(', ');
  console.log(`build-electron: wrote ${outputs}`);
}

if (watch) {
  for (const { name, ...options } of targets) {
    const context = await esbuild.context({ ...common, ...options, logLevel: 'info' });
    await context.watch();
    console.log(`build-electron: watching ${name}`);
  }
} else {
  await buildAll();
}
