import { parseArgs } from 'node:util';
import { PACKET_FORMATS, PACKET_PROFILES, type PacketFormat, type PacketProfile } from '../../../shared/contract/export';
import { EXIT } from '../exit-codes';
import { UsageError } from '../usage';
import type { Command } from './command';
import { showProgress } from './documents';

export const EXPORT_USAGE =
  'usage: second-opinion export --out PATH [--format folder|zip|iso] [--profile cd|dvd|usb] [--recipient NAME] [--doctor NAME] ' +
  '[--contact TEXT] [--appointment YYYY-MM-DD] [--reason TEXT] [--question TEXT]... [--no-medications] [--no-care-team] ' +
  '[--all | --documents ID,... --studies UID,...] [--json]';

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}. ${EXPORT_USAGE}`);
}

/**
 * `export`: writes a packet for a second-opinion office. Exit 0 only when the packet was written completely and
 * read back correctly; 4 when the selection cannot be sent as it is (images that do not fit the profile, damaged
 * stored files, nothing selected); 2 for usage mistakes.
 */
const exportCommand: Command = {
  name: 'export',
  async run(session, args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          out: { type: 'string' },
          format: { type: 'string' },
          profile: { type: 'string' },
          recipient: { type: 'string' },
          doctor: { type: 'string' },
          contact: { type: 'string' },
          appointment: { type: 'string' },
          reason: { type: 'string' },
          question: { type: 'string', multiple: true },
          'no-medications': { type: 'boolean' },
          'no-care-team': { type: 'boolean' },
          all: { type: 'boolean' },
          documents: { type: 'string' },
          studies: { type: 'string' },
        },
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}. ${EXPORT_USAGE}`);
    }
    const { values } = parsed;
    if (!values.out) throw new UsageError(EXPORT_USAGE);
    const format = oneOf<PacketFormat>(values.format, PACKET_FORMATS, 'format');
    const profile = oneOf<PacketProfile>(values.profile, PACKET_PROFILES, 'profile');
    if (values.all && (values.documents !== undefined || values.studies !== undefined)) {
      throw new UsageError(`--all cannot be combined with --documents or --studies. ${EXPORT_USAGE}`);
    }
    await session.unlock();

    let documentIds = list(values.documents);
    let studyUids = list(values.studies);
    if (values.all) {
      const preview = await session.call('packets.preview', {});
      documentIds = preview.documents.map((document) => document.id);
      studyUids = preview.studies.map((study) => study.uid);
    } else if (documentIds !== undefined || studyUids !== undefined) {
      // Choosing one kind explicitly means exactly that: the other kind is then left out unless given too.
      documentIds ??= [];
      studyUids ??= [];
    }
    const recipient = Object.fromEntries(
      Object.entries({
        organization: values.recipient,
        doctor: values.doctor,
        contact: values.contact,
        appointmentDate: values.appointment,
        reason: values.reason,
      }).filter(([, value]) => value !== undefined),
    );
    const stopProgress = showProgress(session);
    let result;
    try {
      result = await session.call('packets.build', {
        destination: values.out,
        ...(format ? { format } : {}),
        ...(profile ? { profile } : {}),
        recipient,
        ...(documentIds !== undefined ? { documentIds } : {}),
        ...(studyUids !== undefined ? { studyUids } : {}),
        ...(values.question ? { questions: values.question } : {}),
        ...(values['no-medications'] ? { includeMedications: false } : {}),
        ...(values['no-care-team'] ? { includeCareTeam: false } : {}),
      });
    } finally {
      stopProgress();
    }
    const lines = [
      `Wrote the packet to ${result.path} (${result.format}, ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB).`,
      `Documents: ${result.documents} (RECORDS.PDF, ${result.recordsPages} pages; COVER.PDF, ${result.coverPages} pages).`,
      result.studies > 0
        ? `Imaging: ${result.studies} stud${result.studies === 1 ? 'y' : 'ies'}, ${result.instances} DICOM objects, profile ${result.profileName}, File-set ID ${result.filesetId}.`
        : 'Imaging: none.',
      `Check: ${result.check.ok ? `read back ${result.check.files} files (${result.check.bytes} bytes), all as written` : `FAILED: ${result.check.problems.join('; ')}`}.`,
      `Manifest SHA-256: ${result.manifestSha256} (logged in the vault as packet ${result.packetId}).`,
    ];
    session.print(lines.join('\n'), result);
    return result.check.ok ? EXIT.ok : EXIT.failure;
  },
};

/** `packets`: the log of packets written. */
const packetsCommand: Command = {
  name: 'packets',
  async run(session, args) {
    parseArgs({ args, strict: true });
    await session.unlock();
    const { items } = await session.call('packets.list', {});
    const lines = items.map(
      (item) =>
        `${item.id}  ${item.createdAt}  ${item.format}${item.profile ? `/${item.profile}` : ''}  to ${[item.recipient.doctor, item.recipient.organization].filter(Boolean).join(', ') || '(no recipient)'}  ` +
        `${item.documentIds.length} documents, ${item.studyUids.length} studies  ${item.path}  manifest ${item.manifestSha256.slice(0, 16)}…`,
    );
    session.print(lines.length > 0 ? lines.join('\n') : 'No packets written yet.', { items });
    return EXIT.ok;
  },
};

export const exportCommands: Command[] = [exportCommand, packetsCommand];
