/**
 * Small, synthetic inputs for the crash loop: text PDFs, and imaging discs (folder, ISO or zip) of one patient with
 * two image series, a structured report and a PDF report. Every call makes new content (fresh UIDs and texts), so
 * each import in the loop really stores something.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeIso, makePdf, srContent } from '../fixtures/imaging/discs';
import { makeInstance, SOP_CLASS, uid } from '../fixtures/imaging/dicom';
import { hasTool } from '../fixtures/imaging/tools';
import { writeZip } from '../fixtures/imaging/zip-writer';
import { textPdf } from '../helpers/pdf';

/** The vault's owner; the discs name the same person, so nothing is held back. */
export const PROFILE = { fullName: 'Jane Doe', birthDate: '1970-01-15' } as const;
const PATIENT = { name: 'DOE^JANE', id: 'PID-1', birthDate: '19700115', sex: 'F' };

export interface SourceDocument {
  path: string;
  bytes: Buffer;
  sha256: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `count` new text PDFs in `dir` (one or two pages, a few KB each). */
export async function makeDocuments(dir: string, tag: string, count: number): Promise<SourceDocument[]> {
  fs.mkdirSync(dir, { recursive: true });
  const made: SourceDocument[] = [];
  for (let index = 1; index <= count; index += 1) {
    const pages = [
      `Pathology report ${tag}-${index}\nPatient: Jane Doe, born 1970-01-15\nSpecimen: core biopsy, left breast.\nDiagnosis: invasive ductal carcinoma, grade ${(index % 3) + 1}.`,
    ];
    if (index % 2 === 0) pages.push(`Addendum ${tag}-${index}\nHER2 immunohistochemistry: score ${index % 4}+.`);
    const bytes = await textPdf(pages, { title: `Report ${tag}-${index}` });
    const file = path.join(dir, `report-${tag}-${index}.pdf`);
    fs.writeFileSync(file, bytes);
    made.push({ path: file, bytes, sha256: sha256(bytes) });
  }
  return made;
}

export type DiscKind = 'folder' | 'iso' | 'zip';

export interface SourceDisc {
  /** What to import: the folder, the .iso or the .zip. */
  path: string;
  kind: DiscKind;
  studyUid: string;
  /** Series UID → number of instances in it. */
  series: Map<string, number>;
  instances: number;
  /** Documents the import makes: the PDF report beside the DICOM tree and the structured report's text. */
  documents: number;
}

export const ISO_AVAILABLE = hasTool('xorriso');

/** A new disc: 2 CT series (3 + 2 images), a structured report (its own series) and REPORTS/REPORT.PDF. */
export async function makeDisc(dir: string, tag: string, kind: DiscKind): Promise<SourceDisc> {
  const root = path.join(dir, `disc-${tag}`);
  const files = new Map<string, Buffer>();
  const study = { uid: uid(), description: `CT CHEST ${tag}`, date: '20240301' };
  const series = new Map<string, number>();
  const image = { rows: 32, columns: 32, bitsAllocated: 16 as const, signed: true };
  for (const [number, count] of [[1, 3], [2, 2]] as const) {
    const seriesUid = uid();
    series.set(seriesUid, count);
    for (let index = 1; index <= count; index += 1) {
      files.set(
        `DICOM/S${number}/IM${index}`,
        makeInstance({ patient: PATIENT, study, series: { uid: seriesUid, number, modality: 'CT', description: 'AXIAL' }, instanceNumber: index, image }),
      );
    }
  }
  // A structured report whose text is unique to this disc, so the document made from it is new too.
  const srUid = uid();
  series.set(srUid, 1);
  const sr = JSON.parse(JSON.stringify(srContent()).replace('Nodule in the right upper lobe.', `Nodule ${tag} in the right upper lobe.`)) as Record<string, unknown>;
  files.set(
    'DICOM/S3/SR1',
    makeInstance({ patient: PATIENT, study, series: { uid: srUid, number: 3, modality: 'SR', description: 'REPORT' }, sopClassUid: SOP_CLASS.comprehensiveSr, image: null, extra: sr }),
  );
  files.set('REPORTS/REPORT.PDF', await makePdf(`Final report ${tag}: nodule 12 mm, right upper lobe.`));

  const folder = kind === 'folder' ? root : `${root}-tree`;
  for (const [rel, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    fs.writeFileSync(path.join(folder, rel), bytes);
  }
  let location = folder;
  if (kind === 'iso') {
    location = `${root}.iso`;
    await makeIso(folder, location, 'FAULTS');
  } else if (kind === 'zip') {
    location = `${root}.zip`;
    fs.writeFileSync(location, writeZip([...files].map(([name, data]) => ({ name, data }))));
  }
  return { path: location, kind, studyUid: study.uid, series, instances: 6, documents: 2 };
}
