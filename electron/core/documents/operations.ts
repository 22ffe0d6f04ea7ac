import path from 'node:path';
import type { DocumentType } from '../../../shared/contract/documents';
import { requireVault } from '../context';
import type { Handlers } from '../dispatch';
import { writeNewFile } from '../platform/files';
import { runTask } from '../tasks/task';
import { reanalyzeDocument } from './analyze';
import { importDocuments } from './import-files';
import { searchDocuments } from './search';
import { getDocument, listDocuments, setTrashed, updateDocument } from './store';

type DocumentHandlers = Pick<
  Handlers,
  | 'documents.import'
  | 'documents.list'
  | 'documents.facets'
  | 'documents.get'
  | 'documents.update'
  | 'documents.reanalyze'
  | 'documents.trash'
  | 'documents.restore'
  | 'documents.search'
  | 'documents.extract'
>;

export const documentHandlers: DocumentHandlers = {
  'documents.import': async (ctx, input) => {
    const vault = requireVault(ctx);
    return runTask(ctx, 'documents.import', input.taskId, (task) => importDocuments(ctx, vault, input.paths, task));
  },

  'documents.list': async (ctx, input) => listDocuments(requireVault(ctx).db, input),

  'documents.facets': async (ctx) => {
    const db = requireVault(ctx).db;
    const live = 'WHERE trashed_at IS NULL';
    return {
      types: db.prepare(`SELECT doc_type AS type, count(*) AS count FROM documents ${live} GROUP BY doc_type ORDER BY count DESC`).all() as { type: DocumentType; count: number }[],
      facilities: (db.prepare(`SELECT DISTINCT facility FROM documents ${live} AND facility IS NOT NULL ORDER BY facility`).all() as { facility: string }[]).map((row) => row.facility),
      tags: (db.prepare('SELECT DISTINCT tag FROM document_tags ORDER BY tag').all() as { tag: string }[]).map((row) => row.tag),
    };
  },

  'documents.get': async (ctx, input) => getDocument(requireVault(ctx).db, input.id),

  'documents.update': async (ctx, input) => {
    const db = requireVault(ctx).db;
    updateDocument(db, input.id, {
      ...(input.corrections ? { corrections: input.corrections } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.patientConfirmed !== undefined ? { patientConfirmed: input.patientConfirmed } : {}),
    });
    return getDocument(db, input.id);
  },

  'documents.reanalyze': async (ctx, input) => {
    const vault = requireVault(ctx);
    reanalyzeDocument(vault, input.id);
    return getDocument(vault.db, input.id);
  },

  'documents.trash': async (ctx, input) => ({ count: setTrashed(requireVault(ctx).db, input.ids, ctx.now()) }),

  'documents.restore': async (ctx, input) => ({ count: setTrashed(requireVault(ctx).db, input.ids, null) }),

  'documents.search': async (ctx, input) => ({ results: searchDocuments(requireVault(ctx).db, input.query, input.limit) }),

  'documents.extract': async (ctx, input) => {
    const vault = requireVault(ctx);
    const detail = getDocument(vault.db, input.id);
    const destination = await writeNewFile(path.resolve(input.destination), vault.blobs.openRange(detail.fileId), {
      vaultDir: ctx.vaultDir,
      what: 'A copy of the original',
    });
    return { path: destination, bytes: detail.size };
  },
};
