#!/usr/bin/env node
// Security gate (checklist item 21): `npm audit --omit=dev --json`, its high and critical advisories for the
// production dependencies compared with build/security/audit-exceptions.json, where every accepted advisory has a
// written reason. Exit 1 for an advisory that is neither fixed nor excepted, or for a malformed exceptions file.
//
// npm audit needs the registry's advisory service. When that cannot be reached — no network, a registry or
// mirror that does not offer the audit endpoint (it answers 404/405), a time-out — this says so plainly and
// exits 0 (SKIPPED): an outage must not fail the tests, and it must not look like a clean result either.
// `npm run audit -- --require-registry` turns that skip into a failure (for a release check).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXCEPTIONS_PATH = path.join(ROOT, 'build', 'security', 'audit-exceptions.json');
export const GATED_SEVERITIES = ['high', 'critical'];
const AUDIT_TIME_LIMIT_MS = 120_000;
const MIN_REASON_LENGTH = 40;
/** npm error codes and HTTP statuses that mean "the advisory service could not be asked", not "the audit failed". */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOAUDIT', 'EAUDITNOPJSON', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED']);

/** The advisory's stable id: the GHSA id from its URL when there is one, else npm's numeric source id. */
export function advisoryId(via) {
  const ghsa = /GHSA-[\w-]+/i.exec(String(via?.url ?? ''));
  if (ghsa) return ghsa[0].toUpperCase();
  return via?.source !== undefined ? `npm-${via.source}` : String(via?.title ?? 'unknown');
}

/**
 * Reads `npm audit --json` output. Returns
 *   { kind: 'report', advisories: [{ package, id, severity, title, url, range }], counts }  — the audit ran;
 *   { kind: 'unreachable', why }  — the advisory service could not be asked;
 *   { kind: 'error', why }        — npm failed for another reason.
 * Only advisories of GATED_SEVERITIES are returned; an advisory reached through several packages is listed once,
 * under the package it is about.
 */
export function readAuditOutput(stdout) {
  let data;
  try {
    data = JSON.parse(stdout);
  } catch {
    return { kind: 'error', why: `npm audit did not print JSON: ${String(stdout).trim().slice(0, 300) || '(nothing)'}` };
  }
  if (data && typeof data.vulnerabilities === 'object' && data.vulnerabilities !== null) {
    const advisories = new Map();
    for (const [name, vulnerability] of Object.entries(data.vulnerabilities)) {
      for (const via of vulnerability.via ?? []) {
        if (typeof via !== 'object' || via === null) continue; // reached through another vulnerable package
        if (!GATED_SEVERITIES.includes(via.severity)) continue;
        const advisory = { package: via.name ?? name, id: advisoryId(via), severity: via.severity, title: via.title ?? '', url: via.url ?? '', range: via.range ?? '' };
        advisories.set(`${advisory.package}\n${advisory.id}`, advisory);
      }
    }
    return { kind: 'report', advisories: [...advisories.values()], counts: data.metadata?.vulnerabilities ?? {} };
  }
  const error = data?.error ?? data ?? {};
  const code = String(error.code ?? '');
  const status = Number(data?.statusCode ?? error.statusCode ?? NaN);
  const message = String(error.summary || error.message || data?.message || '').trim();
  if (UNREACHABLE_CODES.has(code) || /^E(4\d\d|5\d\d)$/.test(code) || (Number.isFinite(status) && status >= 400) || /audit endpoint|network|getaddrinfo|socket hang up|timed? ?out/i.test(message)) {
    return { kind: 'unreachable', why: message || code || `HTTP ${status}` };
  }
  return { kind: 'error', why: message || code || JSON.stringify(data).slice(0, 300) };
}

/** Problems with the exceptions file itself. */
export function validateExceptions(file) {
  const list = file?.exceptions;
  if (!Array.isArray(list)) return ['the exceptions file has no "exceptions" array'];
  const problems = [];
  list.forEach((entry, index) => {
    const name = `exception ${index + 1} (${entry?.package ?? 'no package'} ${entry?.advisory ?? 'no advisory'})`;
    if (typeof entry?.package !== 'string' || typeof entry.advisory !== 'string') problems.push(`${name}: needs "package" and "advisory" (GHSA id) strings`);
    if (typeof entry?.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH) problems.push(`${name}: needs a written "reason"`);
    if (entry?.expires !== undefined && Number.isNaN(Date.parse(entry.expires))) problems.push(`${name}: "expires" is not a date`);
  });
  return problems;
}

/** Splits advisories into excepted and new; exceptions matching nothing (or past their expiry) are reported too. */
export function compareAdvisories(advisories, file, today = new Date()) {
  const exceptions = file?.exceptions ?? [];
  const key = (pkg, id) => `${pkg}\n${String(id).toUpperCase()}`;
  const active = new Map();
  const expired = [];
  for (const entry of exceptions) {
    if (entry.expires !== undefined && Date.parse(entry.expires) < today.getTime()) expired.push(entry);
    else active.set(key(entry.package, entry.advisory), entry);
  }
  const excepted = [];
  const fresh = [];
  const used = new Set();
  for (const advisory of advisories) {
    const k = key(advisory.package, advisory.id);
    if (active.has(k)) {
      excepted.push(advisory);
      used.add(k);
    } else {
      fresh.push(advisory);
    }
  }
  const stale = [...active.entries()].filter(([k]) => !used.has(k)).map(([, entry]) => entry);
  return { excepted, fresh, stale, expired };
}

function main() {
  const requireRegistry = process.argv.includes('--require-registry');
  const exceptionsFile = JSON.parse(fs.readFileSync(EXCEPTIONS_PATH, 'utf8'));
  const listProblems = validateExceptions(exceptionsFile);
  if (listProblems.length > 0) {
    console.error(`npm audit gate: FAILED: ${path.relative(ROOT, EXCEPTIONS_PATH)} is not valid:`);
    for (const problem of listProblems) console.error(`  - ${problem}`);
    process.exit(1);
  }

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawnSync(npm, ['audit', '--omit=dev', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: AUDIT_TIME_LIMIT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_audit: 'true', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  const outcome =
    child.error?.code === 'ETIMEDOUT'
      ? { kind: 'unreachable', why: `npm audit did not answer within ${AUDIT_TIME_LIMIT_MS / 1000} s` }
      : child.error
        ? { kind: 'error', why: child.error.message }
        : readAuditOutput(child.stdout);

  if (outcome.kind === 'unreachable') {
    const line = `npm audit gate: SKIPPED: the registry's advisory service could not be reached (${outcome.why}). Production dependencies were NOT audited; run \`npm run audit\` where the registry is reachable.`;
    if (requireRegistry) {
      console.error(line.replace('SKIPPED', 'FAILED (--require-registry)'));
      process.exit(1);
    }
    console.log(line);
    return;
  }
  if (outcome.kind === 'error') {
    console.error(`npm audit gate: FAILED: ${outcome.why}\n${child.stderr ?? ''}`);
    process.exit(1);
  }

  const { excepted, fresh, stale, expired } = compareAdvisories(outcome.advisories, exceptionsFile);
  const counts = outcome.counts;
  console.log(
    `npm audit gate: production dependencies: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low; ` +
      `${outcome.advisories.length} high/critical advisories, ${excepted.length} excepted with a written reason`,
  );
  for (const advisory of excepted) console.log(`npm audit gate: excepted: ${advisory.package} ${advisory.id} (${advisory.severity}) ${advisory.title}`);
  for (const entry of stale) console.log(`npm audit gate: note: exception no longer needed (remove it): ${entry.package} ${entry.advisory}`);
  for (const entry of expired) console.log(`npm audit gate: note: exception expired on ${entry.expires}, review it again: ${entry.package} ${entry.advisory}`);
  if (fresh.length > 0) {
    console.error(`\nnpm audit gate: FAILED: ${fresh.length} high/critical advisor${fresh.length === 1 ? 'y' : 'ies'} in production dependencies:`);
    for (const advisory of fresh) console.error(`  - ${advisory.package} ${advisory.range}: ${advisory.severity}: ${advisory.title} (${advisory.id}) ${advisory.url}`);
    console.error(
      '\nUpdate the dependency (npm audit fix --omit=dev, or a newer version), or — only if it cannot affect this app — add an ' +
        `exception with its reason to ${path.relative(ROOT, EXCEPTIONS_PATH)}. See docs/security.md.`,
    );
    process.exit(1);
  }
  console.log('npm audit gate: ok');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
