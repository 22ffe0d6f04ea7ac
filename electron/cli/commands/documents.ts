import { parseArgs } from 'node:util';
import { DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, type DocumentType } from '../../../shared/contract/documents';
import { singleArgument } from '../args';
import { EXIT } from '../exit-codes';
import type { CliSession } from '../session';
import { UsageError } from '../usage';
import type { Command } from './command';

const importCommand: Command = {
  name: 'import',
  async run(session, args) {
    const { values, positionals } = parseArgs({
      args,
      options: { 'accept-other-patient': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError('usage: second-opinion import PATH... [--accept-other-patient]');
    await session.unlock();
    const documents: string[] = [];
    const discs: string[] = [];
    for (const target of positionals) {
      const { kind } = await session.call('imaging.detect', { path: target });
      (kind === 'disc' ? discs : documents).push(target);
    }
    let exit: number = EXIT.ok;
    const stopProgress = showProgress(session);
    try {
      for (const disc of discs) {
        const code = await importDiscCommand(session, disc, values['accept-other-patient'] ?? false);
        exit = Math.max(exit, code);
      }
      if (documents.length > 0) exit = Math.max(exit, await importDocumentsCommand(session, documents));
    } finally {
      stopProgress();
    }
    return exit;
  },
};

async function importDocumentsCommand(session: CliSession, paths: string[]): Promise<number> {
  const outcome = await session.call('documents.import', { paths });
  const lines = [
    `Imported ${outcome.imported.length}, duplicates ${outcome.duplicates.length}, skipped ${outcome.skipped.length}, failed ${outcome.failed.length}.`,
    ...outcome.imported.map((item) => `  + ${item.path} → ${DOCUMENT_TYPE_LABELS[item.type]}: ${item.title} [${item.documentId}]`),
    ...outcome.duplicates.map((item) => `  = ${item.path} is already in the vault [${item.documentId}]`),
    ...outcome.skipped.map((item) => `  - ${item.path}: ${item.reason}`),
    ...outcome.failed.map((item) => `  ! ${item.path}: ${item.reason}`),
  ];
  session.print(lines.join('\n'), outcome);
  return outcome.failed.length > 0 ? EXIT.invalidInput : EXIT.ok;
}

async function importDiscCommand(session: CliSession, target: string, acceptOtherPatient: boolean): Promise<number> {
  const outcome = await session.call('imaging.import', { path: target, acceptOtherPatient });
  if (outcome.heldBack) {
    const who = outcome.heldBack.mismatches
      .map((m) => (m.field === 'name' ? `name “${m.patientOnDisc ?? 'not given'}”` : `birth date ${m.birthDateOnDisc ?? 'not given'}`))
      .join(', ');
    process.stderr.write(
      `second-opinion: ${target} holds records of someone else (${who}). Nothing was imported. ` +
        'If they belong in this vault, run again with --accept-other-patient.\n',
    );
    if (session.json) session.print('', outcome);
    return EXIT.invalidInput;
  }
  const lines = [
    `Disc ${target} (${outcome.sourceKind}): ${outcome.patients} patient(s), ${outcome.studies} stud${outcome.studies === 1 ? 'y' : 'ies'}, ${outcome.series} series.`,
    `Images: ${outcome.instances.added} added, ${outcome.instances.alreadyInVault} already in the vault${outcome.instances.conflicts ? `, ${outcome.instances.conflicts} with a conflicting copy (both kept)` : ''}.`,
    `Reports: ${outcome.documents.added} added, ${outcome.documents.alreadyInVault} already in the vault. Viewer software skipped (never run): ${outcome.softwareSkipped}.`,
    ...outcome.unsupportedThumbnails.map((item) => `  (no picture for a series stored as ${item.encoding}; the images are kept unchanged)`),
    ...outcome.skipped.map((item) => `  - ${item.path}: ${item.reason}`),
    ...outcome.failed.map((item) => `  ! ${item.path}: ${item.reason}`),
  ];
  session.print(lines.join('\n'), outcome);
  return outcome.failed.length > 0 ? EXIT.invalidInput : EXIT.ok;
}

const studies: Command = {
  name: 'studies',
  async run(session, args) {
    parseArgs({ args, strict: true });
    await session.unlock();
    const { patients } = await session.call('imaging.studies', {});
    const lines = patients.flatMap((patient) => [
      `${patient.name ?? '(no name)'}  born ${patient.birthDate ?? '?'}  ID ${patient.patientId ?? '?'}${patient.otherPatient ? '  (someone else — confirmed at import)' : ''}`,
      ...patient.studies.flatMap((study) => [
        `  ${study.date ?? '(no date)'}  ${study.description ?? '(no description)'}  [${study.modalities.join(', ')}]  ${study.institution ?? ''}`.trimEnd(),
        ...study.series.map(
          (series) => `    series ${series.number ?? '?'}: ${series.description ?? ''} ${series.modality ?? ''} — ${series.instanceCount} images, ${series.frameCount} frames`,
        ),
      ]),
    ]);
    session.print(lines.length > 0 ? lines.join('\n') : 'No imaging yet.', { patients });
    return EXIT.ok;
  },
};

const list: Command = {
  name: 'list',
  async run(session, args) {
    const { values } = parseArgs({ args, options: { type: { type: 'string' } }, strict: true });
    const type = values.type ? documentTypeArg(values.type) : undefined;
    await session.unlock();
    const result = await session.call('documents.list', type ? { type } : {});
    const lines = result.items.map(
      (item) => `${item.id}  ${item.serviceDate ?? '(no date)'}  ${DOCUMENT_TYPE_LABELS[item.type].padEnd(28)}  ${item.title}`,
    );
    session.print(lines.length > 0 ? lines.join('\n') : 'No documents yet.', result);
    return EXIT.ok;
  },
};

const search: Command = {
  name: 'search',
  async run(session, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('usage: second-opinion search QUERY');
    await session.unlock();
    const { results } = await session.call('documents.search', { query });
    const lines = results.map((hit) => {
      const snippet = hit.snippet.map((segment) => (segment.hit ? `[${segment.text}]` : segment.text)).join('').replace(/\s+/g, ' ');
      return `${hit.id}  ${hit.serviceDate ?? '(no date)'}  ${hit.title}\n    ${snippet}`;
    });
    session.print(lines.length > 0 ? lines.join('\n') : 'Nothing found.', { results });
    return EXIT.ok;
  },
};

const show: Command = {
  name: 'show',
  async run(session, args) {
    const id = singleArgument(args, 'show ID');
    await session.unlock();
    const detail = await session.call('documents.get', { id });
    const lines = [
      `${detail.title}`,
      `Type: ${DOCUMENT_TYPE_LABELS[detail.type]}${detail.guesses.type.source === 'guess' && detail.guesses.type.reason ? ` (why: ${detail.guesses.type.reason})` : ''}`,
      `Date: ${detail.serviceDate ?? 'not found'}   Facility: ${detail.facility ?? 'not found'}   Clinician: ${detail.clinician ?? 'not found'}`,
      `File: ${detail.originalName} (${detail.pageCount} page${detail.pageCount === 1 ? '' : 's'}, ${detail.size} bytes)`,
      ...(detail.needsPatientCheck ? ['Check: this document may belong to someone else.'] : []),
      ...(detail.tags.length > 0 ? [`Tags: ${detail.tags.join(', ')}`] : []),
      ...(detail.notes ? [`Notes: ${detail.notes}`] : []),
      '',
      ...detail.pages.map((page) => `--- page ${page.page} (${page.source}${page.confidence !== null ? `, confidence ${Math.round(page.confidence)}` : ''})\n${page.text}`),
    ];
    session.print(lines.join('\n'), detail);
    return EXIT.ok;
  },
};

const extract: Command = {
  name: 'extract',
  async run(session, args) {
    const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1 || !values.out) throw new UsageError('usage: second-opinion extract ID --out FILE');
    await session.unlock();
    const result = await session.call('documents.extract', { id: positionals[0]!, destination: values.out });
    session.print(`Wrote the original file to ${result.path} (${result.bytes} bytes).`, result);
    return EXIT.ok;
  },
};

function documentTypeArg(value: string): DocumentType {
  if ((DOCUMENT_TYPES as readonly string[]).includes(value)) return value as DocumentType;
  throw new UsageError(`Unknown type “${value}”. Use one of: ${DOCUMENT_TYPES.join(', ')}.`);
}


/** Progress on stderr for people at a terminal; scripts (--json, no TTY) get clean output. */
export function showProgress(session: CliSession): () => void {
  if (session.json || !process.stderr.isTTY) return () => undefined;
  const unsubscribe = session.core.onEvent((event) => {
    if (event.type !== 'progress') return;
    const of = event.total !== null ? ` of ${event.total}` : '';
    process.stderr.write(`\r\x1b[K${event.phase} (${event.done}${of} ${event.unit})`.slice(0, process.stderr.columns ?? 100));
  });
  return () => {
    unsubscribe();
    process.stderr.write('\r\x1b[K');
  };
}

export const documentCommands: Command[] = [importCommand, studies, list, search, show, extract];
