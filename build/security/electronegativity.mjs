#!/usr/bin/env node
// Security gate (checklist item 20): Electronegativity over the app's sources, its SARIF compared with a reviewed
// allow-list. Electronegativity itself always exits 0; this script exits 1 when it reports anything that is not
// on the allow-list, when it could not parse one of our files (an unparsed file is an unscanned file: reported as
// a PARSE_ERROR finding, which can be reviewed like any other), or when the allow-list itself is malformed (an
// entry without a written reason). Allow-list entries that no longer match
// anything are reported as stale (remove them), without failing.
//
// What is scanned: the sources that end up in the app — package.json, electron/main, electron/preload, electron/core,
// shared and the renderer (index.html and src). Not the built bundles: in dist/electron every Electron call becomes
// `new import_electron.BrowserWindow(…)`, which its checks do not recognise (a scan of the bundles finds nothing at
// all), and it cannot parse the renderer's bundles (class static blocks, private names). Not the CLI or the test
// bridge, which never ship. The scan runs offline in a child process with a time limit (electronegativity-scan.mjs).
//
// A finding is identified by rule + file + the text of the flagged line (whitespace collapsed) — not the line
// number, so edits elsewhere in the file do not invalidate the review; for findings about the whole app (file
// "N/A") the message text stands in for the line. See docs/security.md for the review rule.
//
// Usage: node build/security/electronegativity.mjs [--sarif existing.sarif] [--root DIR] [--print-entries]
//   --sarif          check an existing report instead of scanning (its paths relative to the repository root)
//   --root           scan another tree laid out like this repository (the gate's own tests use this)
//   --print-entries  print allow-list entries (reason still to be written) for every new finding
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ALLOW_LIST_PATH = path.join(ROOT, 'build', 'security', 'electronegativity-allow.json');
const SCANNER = path.join(ROOT, 'build', 'security', 'electronegativity-scan.mjs');
const REPORT_PATH = path.join(ROOT, 'test-results', 'security', 'electronegativity.sarif');
/** What is scanned, relative to the repository root (see the header). */
export const SCANNED = ['package.json', 'electron/main', 'electron/preload', 'electron/core', 'shared', 'renderer/index.html', 'renderer/src'];
const SCAN_TIME_LIMIT_MS = 5 * 60_000;
/** A reason must say something: at least this many characters. */
const MIN_REASON_LENGTH = 40;

/** Whitespace-collapsed text, so re-indenting a line does not change its identity. */
export function normalizeSnippet(text) {
  return String(text ?? '').replace(/\s+/g, ' ').trim();
}

/** The stable identity of a finding: rule + file + flagged line text (never the line number). */
export function fingerprint(rule, file, snippet) {
  return createHash('sha256').update(`${rule}\n${file}\n${normalizeSnippet(snippet)}`).digest('hex').slice(0, 16);
}

/**
 * Findings from a SARIF report, each with the text of its flagged line read from the scanned tree (`readSource`
 * gets a path relative to that tree and returns the file's text, or null).
 */
export function findingsFromSarif(sarif, readSource) {
  const findings = [];
  for (const run of sarif?.runs ?? []) {
    for (const result of run.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? 'file:///';
      const file = uri === 'file:///' || uri === 'N/A' ? 'N/A' : uri.split(path.sep).join('/');
      const line = location?.region?.startLine ?? 1;
      const column = location?.region?.startColumn ?? 1;
      const message = result.message?.text ?? '';
      let snippet = message;
      if (file !== 'N/A') {
        const text = readSource(file);
        snippet = text === null ? '' : (text.split('\n')[line - 1] ?? '');
      }
      snippet = normalizeSnippet(snippet);
      findings.push({ rule: result.ruleId, level: result.level, file, line, column, message, snippet, fingerprint: fingerprint(result.ruleId, file, snippet) });
    }
  }
  return findings;
}

/** Problems with the allow-list itself (each entry needs rule, file, snippet, a matching fingerprint and a reason). */
export function validateAllowList(allowList) {
  const problems = [];
  const entries = allowList?.findings;
  if (!Array.isArray(entries)) return ['the allow-list has no "findings" array'];
  const seen = new Set();
  entries.forEach((entry, index) => {
    const name = `entry ${index + 1} (${entry?.rule ?? 'no rule'} in ${entry?.file ?? 'no file'})`;
    // An empty snippet is what a finding gets when its line cannot be read: such an entry would cover any of those.
    if (typeof entry?.rule !== 'string' || typeof entry.file !== 'string' || typeof entry.snippet !== 'string' || entry.snippet.trim() === '') {
      problems.push(`${name}: needs "rule", "file" and "snippet" strings (snippet not empty)`);
      return;
    }
    const expected = fingerprint(entry.rule, entry.file, entry.snippet);
    if (entry.fingerprint !== expected) problems.push(`${name}: fingerprint should be ${expected} for this rule, file and snippet`);
    if (seen.has(expected)) problems.push(`${name}: duplicate entry`);
    seen.add(expected);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH || /^todo\b/i.test(entry.reason.trim())) {
      problems.push(`${name}: needs a written "reason" (why this is not a problem, or what guards it instead)`);
    }
    if (entry.count !== undefined && (!Number.isInteger(entry.count) || entry.count < 1)) problems.push(`${name}: "count" must be a positive integer`);
  });
  return problems;
}

/**
 * Splits findings into allowed and new. An entry covers `count` (default 1) findings with its fingerprint, so a
 * second copy of an allowed line is still reported. Entries that matched nothing are stale.
 */
export function compareFindings(findings, allowList) {
  const budget = new Map();
  const entries = new Map();
  for (const entry of allowList?.findings ?? []) {
    budget.set(entry.fingerprint, (budget.get(entry.fingerprint) ?? 0) + (entry.count ?? 1));
    entries.set(entry.fingerprint, entry);
  }
  const allowed = [];
  const fresh = [];
  const used = new Set();
  for (const finding of findings) {
    const left = budget.get(finding.fingerprint) ?? 0;
    if (left > 0) {
      budget.set(finding.fingerprint, left - 1);
      used.add(finding.fingerprint);
      allowed.push(finding);
    } else {
      fresh.push(finding);
    }
  }
  const stale = [...entries.values()].filter((entry) => !used.has(entry.fingerprint));
  return { allowed, fresh, stale };
}

/** Copies what is scanned into a fresh folder, keeping repository-relative paths. */
function stageSources(sourceRoot) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'so-electronegativity-'));
  for (const item of SCANNED) {
    const from = path.join(sourceRoot, item);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(stage, item), {
      recursive: true,
      filter: (source) => !/(^|[\\/])(node_modules|tests?|__tests__)([\\/]|$)/.test(path.relative(sourceRoot, source)) && !/\.test\.[cm]?[jt]sx?$/.test(source),
    });
  }
  return stage;
}

function electronVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    return String(pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '') || '45.0.0';
  }
}

/**
 * The scanner's last stdout line, {"errors":[…],"issues":N}. Anything else throws: without it the files it could
 * not parse would go unreported, and an unparsed file is an unscanned one.
 */
export function readScanSummary(stdout) {
  const line = String(stdout ?? '').trim().split('\n').filter(Boolean).pop();
  let summary;
  try {
    summary = JSON.parse(line ?? '');
  } catch {
    throw new Error(`the Electronegativity scan printed no summary: ${String(line ?? '(nothing)').slice(0, 300)}`);
  }
  if (!Array.isArray(summary?.errors) || !Number.isInteger(summary.issues)) throw new Error(`the Electronegativity scan summary is not {errors, issues}: ${line.slice(0, 300)}`);
  return summary;
}

/** Runs the offline scan; returns { findings, errors } or throws with a readable message. */
function scan(sourceRoot, reportPath) {
  const stage = stageSources(sourceRoot);
  try {
    fs.mkdirSync(path.dirname(reportPath), { recursive: true });
    fs.rmSync(reportPath, { force: true });
    const child = spawnSync(process.execPath, [SCANNER, stage, reportPath, electronVersion()], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: SCAN_TIME_LIMIT_MS,
      env: { ...process.env, LANG: 'en-US' },
    });
    if (child.error || child.status !== 0) {
      const why = child.error?.code === 'ETIMEDOUT' ? `did not finish within ${SCAN_TIME_LIMIT_MS / 1000} s` : `exited with ${child.status ?? child.signal}`;
      throw new Error(`the Electronegativity scan ${why}\n${child.stderr ?? ''}`);
    }
    const summary = readScanSummary(child.stdout);
    const sarif = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
    const reported = (sarif?.runs ?? []).reduce((total, run) => total + (run.results?.length ?? 0), 0);
    if (reported !== summary.issues) throw new Error(`the SARIF report lists ${reported} finding(s) but the scan found ${summary.issues}`);
    const read = (file) => {
      try {
        return fs.readFileSync(path.join(stage, file), 'utf8');
      } catch {
        return null;
      }
    };
    return { findings: findingsFromSarif(sarif, read), errors: summary.errors };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** A file the scanner could not parse, as a finding (so it fails the gate unless reviewed). */
export function parseErrorFinding(error) {
  const file = String(error.file).split(path.sep).join('/');
  const snippet = normalizeSnippet(error.message);
  return {
    rule: 'PARSE_ERROR',
    level: 'error',
    file,
    line: 1,
    column: 1,
    message: `Electronegativity could not parse this file, so it was not checked: ${error.message}`,
    snippet,
    fingerprint: fingerprint('PARSE_ERROR', file, snippet),
  };
}

function describe(finding) {
  const where = finding.file === 'N/A' ? 'whole app' : `${finding.file}:${finding.line}:${finding.column}`;
  return `${finding.rule} (${finding.level}) at ${where}\n      ${finding.message}\n      line: ${finding.file === 'N/A' ? '-' : finding.snippet}\n      fingerprint: ${finding.fingerprint}`;
}

function main() {
  const args = process.argv.slice(2);
  const sarifIndex = args.indexOf('--sarif');
  const printEntries = args.includes('--print-entries');
  const rootIndex = args.indexOf('--root');
  const sourceRoot = rootIndex >= 0 ? path.resolve(args[rootIndex + 1] ?? '.') : ROOT;

  const allowList = JSON.parse(fs.readFileSync(ALLOW_LIST_PATH, 'utf8'));
  const listProblems = validateAllowList(allowList);

  let findings;
  let errors = [];
  try {
    if (sarifIndex >= 0) {
      const sarif = JSON.parse(fs.readFileSync(path.resolve(args[sarifIndex + 1] ?? ''), 'utf8'));
      findings = findingsFromSarif(sarif, (file) => {
        try {
          return fs.readFileSync(path.join(sourceRoot, file), 'utf8');
        } catch {
          return null;
        }
      });
    } else {
      // A scan of another tree (the gate's tests) keeps its report next to that tree, not in test-results.
      const reportPath = sourceRoot === ROOT ? REPORT_PATH : path.join(sourceRoot, 'electronegativity.sarif');
      ({ findings, errors } = scan(sourceRoot, reportPath));
    }
  } catch (error) {
    console.error(`electronegativity gate: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  // A file Electronegativity could not parse was not checked: that is a finding of its own (rule PARSE_ERROR), new
  // unless reviewed like any other.
  for (const error of errors.filter((item) => !item.tolerable)) findings.push(parseErrorFinding(error));
  const { allowed, fresh, stale } = compareFindings(findings, allowList);
  console.log(`electronegativity gate: scanned ${SCANNED.join(', ')}`);
  console.log(`electronegativity gate: ${findings.length} finding(s): ${allowed.length} on the reviewed allow-list, ${fresh.length} new`);
  if (sarifIndex < 0 && sourceRoot === ROOT) console.log(`electronegativity gate: SARIF report kept at ${path.relative(ROOT, REPORT_PATH)}`);
  for (const entry of stale) {
    console.log(`electronegativity gate: note: stale allow-list entry (matches nothing now; remove it): ${entry.rule} in ${entry.file}: ${entry.snippet || '-'}`);
  }
  for (const error of errors.filter((item) => item.tolerable)) console.log(`electronegativity gate: note: parser warning in ${error.file}: ${error.message}`);

  let failed = false;
  if (listProblems.length > 0) {
    failed = true;
    console.error(`\nelectronegativity gate: the allow-list (${path.relative(ROOT, ALLOW_LIST_PATH)}) is not valid:`);
    for (const problem of listProblems) console.error(`  - ${problem}`);
  }
  if (fresh.length > 0) {
    failed = true;
    console.error(`\nelectronegativity gate: ${fresh.length} NEW finding(s) not on the reviewed allow-list:`);
    for (const finding of fresh) console.error(`  - ${describe(finding)}`);
    console.error(
      '\nFix the code, or — only if it is not a problem — add an entry with a written reason to the allow-list ' +
        '(run with --print-entries for the entries). See docs/security.md.',
    );
    if (printEntries) {
      const entries = fresh.map((finding) => ({ rule: finding.rule, file: finding.file, snippet: finding.snippet, fingerprint: finding.fingerprint, reason: 'TODO: why this is not a problem' }));
      console.log(JSON.stringify(entries, null, 2));
    }
  }
  if (failed) process.exit(1);
  console.log('electronegativity gate: ok');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
