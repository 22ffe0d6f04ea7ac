#!/usr/bin/env node
// Runs Electronegativity once, offline, and writes its SARIF report. Started by electronegativity.mjs in a child
// process (with a time limit), never on its own in CI.
//
// Usage: node build/security/electronegativity-scan.mjs <input dir> <output .sarif> <electron version>
//
// Electronegativity reaches for the network twice: it downloads translations at start (got, 1 s timeout, with
// retries) and the AvailableSecurityFixesGlobalCheck downloads Electron's release list. Neither is needed: the
// English messages ship in the package, and that check is excluded (item 21's `npm audit` and the pinned Electron
// major cover it). So before loading it, `got` is replaced by a stub that answers "not found" at once and the
// socket constructors throw: the scan cannot wait on, or reach, the network.
//
// Its CLI prints nothing about files it failed to parse when writing SARIF, so this driver calls the runner
// directly and prints a JSON summary on stdout: {"errors":[{file,message,tolerable}],"issues":N}.
import Module, { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [input, output, electronVersion] = process.argv.slice(2);
if (!input || !output || !electronVersion) {
  console.error('usage: electronegativity-scan.mjs <input dir> <output .sarif> <electron version>');
  process.exit(2);
}

const load = createRequire(path.join(root, 'package.json'));
const packageDir = path.dirname(load.resolve('@doyensec/electronegativity/package.json'));
const loadFromPackage = createRequire(path.join(packageDir, 'package.json'));

function refuse() {
  throw new Error('network access is disabled during the Electronegativity scan');
}
for (const module of [net, tls]) {
  module.connect = refuse;
  if ('createConnection' in module) module.createConnection = refuse;
}

// Pre-fill the module cache so every `require('got')` inside Electronegativity gets the stub.
const notFound = async () => ({ statusCode: 404, body: '{}', headers: {} });
const gotStub = Object.assign(notFound, { head: notFound, get: notFound, default: notFound });
const gotPath = loadFromPackage.resolve('got');
const stubModule = new Module(gotPath);
stubModule.filename = gotPath;
stubModule.loaded = true;
stubModule.exports = gotStub;
load.cache[gotPath] = stubModule;

// Its translation loader picks the locale from LANG; only the bundled en-US messages are wanted.
process.env.LANG = 'en-US';

const runnerModule = loadFromPackage('./dist/runner.js');
const run = runnerModule.default ?? runnerModule;
const result = await run(
  {
    input: path.resolve(input),
    output: path.resolve(output),
    isSarif: true,
    isRelative: true,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
    isVerbose: false,
  },
  false,
);
// The runner writes the SARIF file asynchronously; the process stays alive until that write is done, so no
// process.exit() here.
process.stdout.write(
  `${JSON.stringify({
    errors: result.errors.map((error) => ({ file: path.relative(path.resolve(input), error.file), message: error.message, tolerable: error.tolerable })),
    issues: result.issues.length,
  })}\n`,
);
