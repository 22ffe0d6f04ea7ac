import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  RECORD_SOURCES,
  type ChecklistItem,
  type RecordKind,
  type VaultMatch,
} from '../../../shared/contract/appointments';
import { DOCUMENT_TYPE_LABELS, type DocumentType } from '../../../shared/contract/documents';

/** How many matches of one kind a checklist item lists; the rest are counted in `more`. */
const SHOWN = 12;

interface DocumentRow {
  id: string;
  title: string;
  doc_type: DocumentType;
  service_date: string | null;
  imported_at: string;
}

interface StudyRow {
  uid: string;
  date: string | null;
  description: string | null;
  modalities: string | null;
}

/**
 * What the vault holds, read once per request and remembered for its length: documents by type, imaging
 * studies, the medication list kept by the packets feature, and what the appointment's packet contained. The
 * checklist's "missing" flags are computed from this, never stored, so they follow the vault as it changes.
 */
export class VaultContents {
  readonly #db: Database.Database;
  readonly #byTypes = new Map<string, { items: VaultMatch[]; total: number }>();
  #studies: { items: VaultMatch[]; total: number } | null = null;
  #medications: number | null = null;
  readonly #tables = new Map<string, boolean>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  hasTable(name: string): boolean {
    let known = this.#tables.get(name);
    if (known === undefined) {
      known = Boolean(this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
      this.#tables.set(name, known);
    }
    return known;
  }

  documentsOfTypes(types: readonly DocumentType[]): { items: VaultMatch[]; total: number } {
    if (types.length === 0) return { items: [], total: 0 };
    const key = [...types].sort().join(',');
    let found = this.#byTypes.get(key);
    if (!found) {
      const marks = types.map(() => '?').join(', ');
      const where = `trashed_at IS NULL AND doc_type IN (${marks})`;
      const total = (this.#db.prepare(`SELECT count(*) AS n FROM documents WHERE ${where}`).get(...types) as { n: number }).n;
      const rows = this.#db
        .prepare(
          `SELECT id, title, doc_type, service_date, imported_at FROM documents WHERE ${where}
           ORDER BY coalesce(service_date, substr(imported_at, 1, 10)) DESC, rowid DESC LIMIT ${SHOWN}`,
        )
        .all(...types) as DocumentRow[];
      found = { items: rows.map((row) => documentMatch(row, false)), total };
      this.#byTypes.set(key, found);
    }
    return found;
  }

  studies(): { items: VaultMatch[]; total: number } {
    if (!this.#studies) {
      if (!this.hasTable('studies')) return { items: [], total: 0 };
      const total = (this.#db.prepare('SELECT count(*) AS n FROM studies').get() as { n: number }).n;
      const rows = this.#db.prepare(`${STUDY_SQL} ORDER BY s.date IS NULL, s.date DESC LIMIT ${SHOWN}`).all() as StudyRow[];
      this.#studies = { items: rows.map((row) => studyMatch(row, false)), total };
    }
    return this.#studies;
  }

  /** Medicines in the app's own medication list (kept for export packets), when that feature is present. */
  medications(): number {
    if (this.#medications === null) {
      this.#medications = this.hasTable('medications')
        ? (this.#db.prepare('SELECT count(*) AS n FROM medications').get() as { n: number }).n
        : 0;
    }
    return this.#medications;
  }

  linkedDocuments(ids: readonly string[]): VaultMatch[] {
    if (ids.length === 0) return [];
    const get = this.#db.prepare('SELECT id, title, doc_type, service_date, imported_at FROM documents WHERE id = ? AND trashed_at IS NULL');
    return ids.map((id) => get.get(id) as DocumentRow | undefined).filter((row): row is DocumentRow => Boolean(row)).map((row) => documentMatch(row, true));
  }

  linkedStudies(uids: readonly string[]): VaultMatch[] {
    if (uids.length === 0 || !this.hasTable('studies')) return [];
    const get = this.#db.prepare(`${STUDY_SQL} WHERE s.uid = ?`);
    return uids.map((uid) => get.get(uid) as StudyRow | undefined).filter((row): row is StudyRow => Boolean(row?.uid)).map((row) => studyMatch(row, true));
  }

  documentExists(id: string): boolean {
    return Boolean(this.#db.prepare('SELECT 1 FROM documents WHERE id = ? AND trashed_at IS NULL').get(id));
  }

  studyExists(uid: string): boolean {
    return this.hasTable('studies') && Boolean(this.#db.prepare('SELECT 1 FROM studies WHERE uid = ?').get(uid));
  }

  /** What a packet built by the packets feature contained, read defensively from its log. */
  packet(packetId: string | undefined): { documentIds: Set<string>; studyUids: Set<string> } | null {
    if (!packetId || !this.hasTable('packets')) return null;
    try {
      const row = this.#db.prepare('SELECT document_ids, study_uids FROM packets WHERE id = ?').get(packetId) as
        | { document_ids: string; study_uids: string }
        | undefined;
      if (!row) return null;
      const list = z.array(z.string()).catch([]);
      return { documentIds: new Set(list.parse(JSON.parse(row.document_ids))), studyUids: new Set(list.parse(JSON.parse(row.study_uids))) };
    } catch {
      return null;
    }
  }

  /** The vault side of a record item: what satisfies it (linked first, then found by type) and whether it is missing. */
  recordStatus(
    item: { recordKind: RecordKind | null; status: ChecklistItem['status']; documentIds: string[]; studyUids: string[] },
    packet: { documentIds: Set<string>; studyUids: Set<string> } | null,
  ): NonNullable<ChecklistItem['vault']> {
    const source = RECORD_SOURCES[item.recordKind ?? 'other'];
    const linked = [...this.linkedDocuments(item.documentIds), ...this.linkedStudies(item.studyUids)];
    const linkedIds = new Set(linked.map((match) => match.id));
    const matches = [...linked];
    let more = 0;
    const byType = this.documentsOfTypes(source.documentTypes);
    const extraDocuments = byType.items.filter((match) => !linkedIds.has(match.id));
    matches.push(...extraDocuments);
    more += Math.max(0, byType.total - byType.items.length);
    if (source.studies) {
      const studies = this.studies();
      matches.push(...studies.items.filter((match) => !linkedIds.has(match.id)));
      more += Math.max(0, studies.total - studies.items.length);
    }
    if (item.recordKind === 'medication-list' && this.medications() > 0) {
      const count = this.medications();
      matches.push({
        kind: 'list',
        id: 'medications',
        title: `The medication list kept in this app (${count} ${count === 1 ? 'medicine' : 'medicines'})`,
        date: null,
        linked: false,
      });
    }
    const inPacket = Boolean(
      packet &&
        matches.some((match) => (match.kind === 'document' && packet.documentIds.has(match.id)) || (match.kind === 'study' && packet.studyUids.has(match.id))),
    );
    return {
      physical: source.physical,
      missing: !source.physical && item.status !== 'not-needed' && matches.length === 0,
      matches,
      more,
      inPacket,
    };
  }
}

const STUDY_SQL = `
  SELECT s.uid, s.date, s.description,
    (SELECT group_concat(DISTINCT r.modality) FROM series r WHERE r.study_uid = s.uid) AS modalities
  FROM studies s`;

function documentMatch(row: DocumentRow, linked: boolean): VaultMatch {
  return {
    kind: 'document',
    id: row.id,
    title: row.title || DOCUMENT_TYPE_LABELS[row.doc_type] || 'Document',
    date: row.service_date,
    linked,
  };
}

function studyMatch(row: StudyRow, linked: boolean): VaultMatch {
  const modalities = row.modalities ? row.modalities.split(',').filter(Boolean).join(', ') : '';
  const title = [modalities, row.description].filter(Boolean).join(' · ') || 'Imaging study';
  return { kind: 'study', id: row.uid, title, date: row.date, linked };
}
