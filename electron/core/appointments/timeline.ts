import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  APPOINTMENT_STATUS_LABELS,
  REQUEST_STATUS_LABELS,
  TIMELINE_KINDS,
  type TimelineItem,
  type TimelineKind,
} from '../../../shared/contract/appointments';
import { DOCUMENT_TYPE_LABELS, type DocumentType } from '../../../shared/contract/documents';
import { opinionLabel } from '../../../shared/opinions';
import { listOpinions } from '../opinions/store';
import { listAppointments, readAllRequests } from './store';
import { VaultContents } from './vault-contents';

/**
 * One timeline of everything in the vault: documents (by their service date, else the day they were added),
 * imaging studies, opinions, appointments, records requests and packets — newest first.
 */
export function timeline(db: Database.Database, kinds: readonly TimelineKind[] = TIMELINE_KINDS, limit = 2000): { total: number; items: TimelineItem[] } {
  const wanted = new Set(kinds);
  const contents = new VaultContents(db);
  const items: TimelineItem[] = [];

  if (wanted.has('document')) {
    const rows = db
      .prepare('SELECT id, title, doc_type, service_date, imported_at, facility FROM documents WHERE trashed_at IS NULL')
      .all() as { id: string; title: string; doc_type: DocumentType; service_date: string | null; imported_at: string; facility: string | null }[];
    for (const row of rows) {
      items.push({
        kind: 'document',
        id: row.id,
        date: row.service_date ?? row.imported_at.slice(0, 10),
        dateKind: row.service_date ? 'event' : 'added',
        title: row.title,
        detail: [DOCUMENT_TYPE_LABELS[row.doc_type] ?? null, row.facility].filter(Boolean).join(' · ') || null,
        appointmentId: null,
      });
    }
  }

  if (wanted.has('study') && contents.hasTable('studies')) {
    const rows = db
      .prepare(
        `SELECT s.uid, s.date, s.description, s.institution,
           (SELECT group_concat(DISTINCT r.modality) FROM series r WHERE r.study_uid = s.uid) AS modalities
         FROM studies s`,
      )
      .all() as { uid: string; date: string | null; description: string | null; institution: string | null; modalities: string | null }[];
    for (const row of rows) {
      const modalities = row.modalities ? row.modalities.split(',').join(', ') : '';
      items.push({
        kind: 'study',
        id: row.uid,
        date: row.date,
        dateKind: 'event',
        title: [modalities, row.description].filter(Boolean).join(' · ') || 'Imaging study',
        detail: row.institution,
        appointmentId: null,
      });
    }
  }

  if (wanted.has('opinion')) {
    for (const opinion of listOpinions(db, 'exclude')) {
      items.push({
        kind: 'opinion',
        id: opinion.id,
        date: opinion.date ?? opinion.createdAt.slice(0, 10),
        dateKind: opinion.date ? 'event' : 'added',
        title: opinionLabel(opinion),
        detail: null,
        appointmentId: null,
      });
    }
  }

  const appointments = listAppointments(db, 'exclude');
  const labels = new Map(appointments.map((appointment) => [appointment.id, appointment.label]));
  if (wanted.has('appointment')) {
    for (const appointment of appointments) {
      items.push({
        kind: 'appointment',
        id: appointment.id,
        date: appointment.date ?? appointment.createdAt.slice(0, 10),
        dateKind: appointment.date ? 'event' : 'added',
        title: appointment.label,
        detail: [APPOINTMENT_STATUS_LABELS[appointment.status], appointment.time].filter(Boolean).join(' · '),
        appointmentId: appointment.id,
      });
    }
  }

  if (wanted.has('request')) {
    for (const request of readAllRequests(db)) {
      items.push({
        kind: 'request',
        id: request.id,
        date: request.sentOn ?? request.createdAt.slice(0, 10),
        dateKind: request.sentOn ? 'event' : 'added',
        title: `Records request to ${request.fields.office}`,
        detail: [REQUEST_STATUS_LABELS[request.status], labels.get(request.appointmentId)].filter(Boolean).join(' · '),
        appointmentId: request.appointmentId,
      });
    }
  }

  if (wanted.has('packet') && contents.hasTable('packets')) {
    const packetFor = new Map(appointments.filter((a) => a.packetId).map((a) => [a.packetId!, a.id]));
    const rows = db.prepare('SELECT * FROM packets').all() as Record<string, unknown>[];
    for (const row of rows) {
      const id = typeof row.id === 'string' ? row.id : null;
      const at = typeof row.created_at === 'string' ? row.created_at : null;
      if (!id || !at) continue;
      items.push({
        kind: 'packet',
        id,
        date: at.slice(0, 10),
        dateKind: 'event',
        title: `Packet of records${packetRecipient(row.request) ? ` for ${packetRecipient(row.request)}` : ''}`,
        detail: typeof row.files === 'number' ? `${row.files} ${row.files === 1 ? 'file' : 'files'}` : null,
        appointmentId: packetFor.get(id) ?? null,
      });
    }
  }

  const order = new Map(TIMELINE_KINDS.map((kind, index) => [kind, index]));
  items.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0) || a.title.localeCompare(b.title));
  return { total: items.length, items: items.slice(0, limit) };
}

const packetRequest = z
  .object({ recipient: z.object({ organization: z.string().optional(), doctor: z.string().optional() }).optional() })
  .catch({});

function packetRecipient(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    const recipient = packetRequest.parse(JSON.parse(raw)).recipient;
    return recipient?.organization || recipient?.doctor || null;
  } catch {
    return null;
  }
}
