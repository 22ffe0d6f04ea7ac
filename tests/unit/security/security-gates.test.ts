import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareAdvisories,
  EXCEPTIONS_PATH,
  readAuditOutput,
  validateExceptions,
  type Advisory,
} from '../../../build/security/audit.mjs';
import { builderProblems, filesFilter, forbiddenSources, markersIn, MUST_EXCLUDE, unreviewedEnv } from '../../../build/security/check-package.mjs';
import {
  ALLOW_LIST_PATH,
  compareFindings,
  findingsFromSarif,
  fingerprint,
  validateAllowList,
  type AllowList,
  type Finding,
} from '../../../build/security/electronegativity.mjs';
import { tempDir } from '../../helpers/temp';

// The security gates' own logic (checklist items 20–22): what counts as a new finding, what ships, what an audit
// outcome means. The gates themselves run as steps of `npm test` (build/run-tests.mjs).
const ROOT = path.resolve(import.meta.dirname, '../../..');
const GATE = path.join(ROOT, 'build', 'security', 'electronegativity.mjs');

function sarifOf(results: Array<{ rule: string; uri: string; line: number; message?: string }>) {
  return {
    runs: [
      {
        results: results.map((result) => ({
          ruleId: result.rule,
          level: 'warning',
          message: { text: result.message ?? `${result.rule} message` },
          locations: [{ physicalLocation: { artifactLocation: { uri: result.uri }, region: { startLine: result.line, startColumn: 1 } } }],
        })),
      },
    ],
  };
}

describe('Electronegativity gate', () => {
  const source = ['// a', 'const win = new BrowserWindow(options());', ''].join('\n');
  const shifted = ['// a', '// b', '// c', '    const win =   new BrowserWindow(options());', ''].join('\n');

  it('identifies a finding by rule, file and line text, so edits elsewhere do not change it', () => {
    const before = findingsFromSarif(sarifOf([{ rule: 'SANDBOX_JS_CHECK', uri: 'electron/main/index.ts', line: 2 }]), () => source);
    const after = findingsFromSarif(sarifOf([{ rule: 'SANDBOX_JS_CHECK', uri: 'electron/main/index.ts', line: 4 }]), () => shifted);
    expect(before[0]?.snippet).toBe('const win = new BrowserWindow(options());');
    expect(after[0]?.fingerprint).toBe(before[0]?.fingerprint);
    expect(fingerprint('SANDBOX_JS_CHECK', 'electron/main/other.ts', before[0]!.snippet)).not.toBe(before[0]?.fingerprint);
    expect(fingerprint('NODE_INTEGRATION_JS_CHECK', 'electron/main/index.ts', before[0]!.snippet)).not.toBe(before[0]?.fingerprint);
    // Whole-app findings have no file: their message tells them apart.
    const global = findingsFromSarif(sarifOf([{ rule: 'CSP_GLOBAL_CHECK', uri: 'file:///', line: 1, message: 'No CSP has been detected' }]), () => null);
    expect(global[0]).toMatchObject({ file: 'N/A', snippet: 'No CSP has been detected' });
  });

  it('fails on new findings, lets reviewed ones pass, counts copies and reports stale entries', () => {
    const [finding] = findingsFromSarif(sarifOf([{ rule: 'SANDBOX_JS_CHECK', uri: 'electron/main/index.ts', line: 2 }]), () => source) as [Finding];
    const entry = { rule: finding.rule, file: finding.file, snippet: finding.snippet, fingerprint: finding.fingerprint, reason: 'x'.repeat(50) };
    const staleEntry = { rule: 'CSP_GLOBAL_CHECK', file: 'N/A', snippet: 'gone', fingerprint: fingerprint('CSP_GLOBAL_CHECK', 'N/A', 'gone'), reason: 'x'.repeat(50) };
    const list: AllowList = { findings: [entry, staleEntry] };
    expect(compareFindings([finding], list)).toMatchObject({ allowed: [finding], fresh: [], stale: [staleEntry] });
    // A second copy of the same line is new unless the entry says count: 2.
    expect(compareFindings([finding, finding], list).fresh).toHaveLength(1);
    expect(compareFindings([finding, finding], { findings: [{ ...entry, count: 2 }] }).fresh).toHaveLength(0);
    expect(compareFindings([finding], { findings: [] }).fresh).toEqual([finding]);
  });

  it('refuses allow-list entries without a written reason or with a wrong fingerprint', () => {
    const snippet = 'const win = new BrowserWindow(options());';
    const good = { rule: 'SANDBOX_JS_CHECK', file: 'electron/main/index.ts', snippet, fingerprint: fingerprint('SANDBOX_JS_CHECK', 'electron/main/index.ts', snippet), reason: 'Options come from windowOptions(), which sets sandbox: true (unit-tested).' };
    expect(validateAllowList({ findings: [good] })).toEqual([]);
    expect(validateAllowList({ findings: [{ ...good, reason: 'TODO: why this is not a problem, to be written later' }] })[0]).toMatch(/reason/);
    expect(validateAllowList({ findings: [{ ...good, reason: 'fine' }] })[0]).toMatch(/reason/);
    expect(validateAllowList({ findings: [{ ...good, fingerprint: '0000000000000000' }] })[0]).toMatch(/fingerprint should be/);
    expect(validateAllowList({ findings: [good, good] })).toEqual([expect.stringMatching(/duplicate/)]);
    expect(validateAllowList({})).toEqual([expect.stringMatching(/findings/)]);
  });

  it('the reviewed allow-list is valid and every entry has its reason', () => {
    const list = JSON.parse(fs.readFileSync(ALLOW_LIST_PATH, 'utf8')) as AllowList;
    expect(validateAllowList(list)).toEqual([]);
    expect(list.findings.length).toBeGreaterThan(0);
  });

  it('end to end, offline: passes a reviewed tree even with its lines moved, fails on a new insecure window or an unparsable file', () => {
    const tree = tempDir('so-eneg-tree-');
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(tree, 'package.json'));
    fs.mkdirSync(path.join(tree, 'electron', 'main'), { recursive: true });
    const index = fs.readFileSync(path.join(ROOT, 'electron', 'main', 'index.ts'), 'utf8');
    fs.writeFileSync(path.join(tree, 'electron', 'main', 'index.ts'), `${'// moved down\n'.repeat(25)}${index}`);
    const run = () => spawnSync(process.execPath, [GATE, '--root', tree], { encoding: 'utf8', timeout: 120_000, env: { ...process.env } });

    const clean = run();
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/0 new/);

    fs.writeFileSync(
      path.join(tree, 'electron', 'main', 'debug-window.ts'),
      "import { BrowserWindow } from 'electron';\nexport const debug = () => new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });\n",
    );
    // A file the scanner cannot parse was not checked: that fails too.
    fs.writeFileSync(path.join(tree, 'electron', 'main', 'static-block.js'), 'export class Registry {\n  static #items = new Map();\n  static {\n    Registry.#items.clear();\n  }\n}\n');
    const dirty = run();
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toMatch(/NEW finding/);
    expect(dirty.stderr).toMatch(/NODE_INTEGRATION_JS_CHECK \(warning\) at electron\/main\/debug-window\.ts:2/);
    expect(dirty.stderr).toMatch(/WEB_SECURITY_JS_CHECK/);
    expect(dirty.stderr).toMatch(/PARSE_ERROR \(error\) at electron\/main\/static-block\.js/);
  }, 240_000);
});

describe('packaged build check', () => {
  it('finds the bridge, its token cookie and test switches in a bundle', () => {
    expect(markersIn('main.cjs', 'const x = 1;')).toEqual([]);
    expect(markersIn('main.cjs', 'fetch("/__bridge/rpc")')).toEqual([expect.stringMatching(/__bridge/)]);
    expect(markersIn('main.cjs', 'document.cookie = "so_bridge=abc"')).toEqual([expect.stringMatching(/token cookie/)]);
    expect(markersIn('core-host.cjs', 'process.env.SECOND_OPINION_TEST_FAST_KDF')).toHaveLength(1);
    expect(unreviewedEnv('core-host.cjs', 'env.SECOND_OPINION_VAULT ?? env.SECOND_OPINION_BACKUP_DIR')).toEqual([]);
    expect(unreviewedEnv('core-host.cjs', 'env.SECOND_OPINION_DEBUG_KEYS')).toEqual([expect.stringMatching(/SECOND_OPINION_DEBUG_KEYS/)]);
    expect(forbiddenSources('main.cjs', ['../../electron/main/index.ts', '../../shared/result.ts'])).toEqual([]);
    expect(forbiddenSources('main.cjs', ['../../electron/bridge/server.ts', '../../tests/helpers/core.ts'])).toHaveLength(2);
  });

  it('evaluates electron-builder "files" in order, like electron-builder', () => {
    const ships = filesFilter(['dist/**/*', '!dist/**/*.map', 'dist/keep.map']);
    expect(ships('dist/a.js')).toBe(true);
    expect(ships('dist/a.js.map')).toBe(false);
    expect(ships('dist/keep.map')).toBe(true);
    expect(ships('src/a.ts')).toBe(false);
    expect(ships('dist/.hidden')).toBe(true); // dot: true, as electron-builder
  });

  it('the real packaging rules ship the bundles and nothing of the bridge, tests or source maps', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'electron-builder.json'), 'utf8')) as { files: string[] };
    const dist = ['dist/electron/main.cjs', 'dist/electron/main.cjs.map', 'dist/electron/preload.cjs', 'dist/electron/core-host.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc.js'];
    expect(builderProblems(config.files, dist)).toEqual([]);
    const ships = filesFilter(config.files);
    for (const probe of MUST_EXCLUDE) expect(ships(probe), probe).toBe(false);
    // Weaker rules are caught.
    const weaker = config.files.filter((pattern) => pattern !== '!dist/**/*.map' && !pattern.includes('bridge'));
    const problems = builderProblems(weaker, [...dist, 'dist/electron/bridge-client.cjs']);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/source map dist\/electron\/main\.cjs\.map/), expect.stringMatching(/ships dist\/electron\/bridge-client\.cjs/)]));
  });
});

describe('Electron version (item 21)', () => {
  it('the installed Electron is the pinned major, the one the build targets', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinned = /^\^(\d+)\.\d+\.\d+$/.exec(pkg.devDependencies.electron ?? '');
    expect(pinned, 'electron is pinned to one major with ^').not.toBeNull();
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version.split('.')[0]).toBe(pinned![1]);
    expect(fs.readFileSync(path.join(ROOT, 'build', 'build-electron.mjs'), 'utf8')).toContain(`Electron ${pinned![1]} embeds`);
  });
});

describe('npm audit gate', () => {
  const report = {
    auditReportVersion: 2,
    vulnerabilities: {
      'left-pad-ish': {
        name: 'left-pad-ish',
        severity: 'high',
        isDirect: false,
        via: [{ source: 1001, name: 'left-pad-ish', dependency: 'left-pad-ish', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'high', range: '<1.2.3' }],
        effects: ['wrapper'],
        range: '<1.2.3',
        nodes: ['node_modules/left-pad-ish'],
        fixAvailable: true,
      },
      wrapper: { name: 'wrapper', severity: 'high', isDirect: true, via: ['left-pad-ish'], effects: [], range: '1.x', nodes: ['node_modules/wrapper'], fixAvailable: true },
      'minor-thing': {
        name: 'minor-thing',
        severity: 'moderate',
        via: [{ source: 1002, name: 'minor-thing', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'moderate', range: '<2' }],
      },
    },
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 2, critical: 0, total: 3 } },
  };

  it('reads the high/critical advisories of a report, once each, under the package they are about', () => {
    const outcome = readAuditOutput(JSON.stringify(report));
    expect(outcome.kind).toBe('report');
    if (outcome.kind !== 'report') return;
    expect(outcome.advisories).toEqual([{ package: 'left-pad-ish', id: 'GHSA-AAAA-BBBB-CCCC', severity: 'high', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', range: '<1.2.3' }]);
    expect(readAuditOutput(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { total: 0 } } }))).toMatchObject({ kind: 'report', advisories: [] });
  });

  it('skips, saying so, when the advisory service cannot be reached; fails on anything else', () => {
    expect(readAuditOutput(JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk', statusCode: 405 }))).toMatchObject({ kind: 'unreachable' });
    expect(readAuditOutput(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.example failed, reason: getaddrinfo ENOTFOUND' } }))).toMatchObject({ kind: 'unreachable' });
    expect(readAuditOutput(JSON.stringify({ error: { code: 'EAI_AGAIN', summary: 'temporary failure' } }))).toMatchObject({ kind: 'unreachable' });
    expect(readAuditOutput(JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' } }))).toMatchObject({ kind: 'error' });
    expect(readAuditOutput('npm ERR! something odd')).toMatchObject({ kind: 'error' });
  });

  it('fails only for advisories without a written exception, and notes stale or expired ones', () => {
    const advisory: Advisory = { package: 'left-pad-ish', id: 'GHSA-AAAA-BBBB-CCCC', severity: 'high', title: 't', url: '', range: '' };
    const exception = { package: 'left-pad-ish', advisory: 'GHSA-aaaa-bbbb-cccc', reason: 'Only reachable through a code path the app never calls (reviewed).' };
    expect(compareAdvisories([advisory], { exceptions: [exception] })).toMatchObject({ excepted: [advisory], fresh: [], stale: [], expired: [] });
    expect(compareAdvisories([advisory], { exceptions: [] }).fresh).toEqual([advisory]);
    expect(compareAdvisories([], { exceptions: [exception] }).stale).toEqual([exception]);
    const expired = { ...exception, expires: '2020-01-01' };
    expect(compareAdvisories([advisory], { exceptions: [expired] }, new Date('2026-01-01'))).toMatchObject({ fresh: [advisory], expired: [expired] });
    expect(validateExceptions({ exceptions: [{ ...exception, reason: 'ok' }] })).toEqual([expect.stringMatching(/reason/)]);
    expect(validateExceptions(JSON.parse(fs.readFileSync(EXCEPTIONS_PATH, 'utf8')))).toEqual([]);
  });
});
