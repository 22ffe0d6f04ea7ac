import type { DocumentDetail, InputOf } from '../../../../shared/contract';
import { call } from '../../api/client';
import { storeLibraryAnswer } from '../useLibraryQuery';

/** Saves a change to one document, keeps the viewer's copy current and refreshes every library view. */
export async function updateDocument(input: InputOf<'documents.update'>): Promise<DocumentDetail> {
  const detail = await call('documents.update', input);
  storeLibraryAnswer('documents.get', { id: input.id }, detail);
  return detail;
}
