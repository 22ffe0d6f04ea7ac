import type Database from 'better-sqlite3-multiple-ciphers';
import type { PacketPreview, PacketRequest } from '../../../shared/contract/export';
import { transferSyntaxName } from '../imaging/dicom/uids';
import { resolvePacket, studyEncodings, studyFits, PROFILE_NAMES } from './selection';
import { listCareTeam, listMedications } from './store';

const SECTOR = 2048;
/** Rough sizes of what the app generates, for the estimate (the real sizes are in the build result). */
const ESTIMATE = { cover: 80_000, recordsOverheadPerPage: 1_500, textFiles: 20_000, fhirPerDocument: 900, fhirPerInstance: 220, dicomdirPerRecord: 260 };

/** What a packet would hold, without writing or decrypting anything. */
export function previewPacket(db: Database.Database, request: PacketRequest): PacketPreview {
  const resolution = resolvePacket(db, request);
  const selectedDocuments = new Set(resolution.documents.map((document) => document.id));
  const selectedStudies = new Set(resolution.studies.map((study) => study.uid));
  const medications = request.includeMedications === false ? 0 : listMedications(db).filter((m) => m.current).length;
  const careTeam = request.includeCareTeam === false ? 0 : listCareTeam(db).length;

  const originalsBytes = resolution.documents.reduce((sum, document) => sum + document.size, 0);
  const recordsPages = resolution.documents.reduce((sum, document) => sum + Math.max(1, document.pageCount), 0);
  const instances = resolution.studies.flatMap((study) => study.series.flatMap((series) => series.instances));
  const dicomBytes = instances.reduce((sum, instance) => sum + instance.size, 0);
  const records = resolution.studies.reduce((sum, study) => sum + 1 + study.series.length, 0) + instances.length + resolution.studies.length;
  const contents: PacketPreview['contents'] = [
    { path: 'COVER.PDF', what: 'Cover letter and summary with a table of contents', files: 1, bytes: ESTIMATE.cover },
  ];
  if (resolution.documents.length > 0) {
    contents.push(
      { path: 'RECORDS.PDF', what: `${resolution.documents.length} records merged in date order (about ${recordsPages} pages)`, files: 1, bytes: originalsBytes + recordsPages * ESTIMATE.recordsOverheadPerPage },
      { path: 'ORIGINAL/', what: 'The original files, unchanged', files: resolution.documents.length, bytes: originalsBytes },
    );
  }
  if (instances.length > 0) {
    contents.push(
      { path: 'DICOMDIR', what: 'DICOM index of the images', files: 1, bytes: 400 + records * ESTIMATE.dicomdirPerRecord },
      { path: 'DICOM/', what: `${resolution.studies.length} imaging stud${resolution.studies.length === 1 ? 'y' : 'ies'}, unchanged`, files: instances.length, bytes: dicomBytes },
    );
  }
  contents.push(
    { path: 'FHIR.JSN', what: 'FHIR R4 bundle', files: 1, bytes: 2_000 + resolution.documents.length * ESTIMATE.fhirPerDocument + instances.length * ESTIMATE.fhirPerInstance },
    { path: 'README.TXT, INDEX.HTM, MANIFEST.JSN, SHA256.TXT', what: 'How the packet is organised; every file with its SHA-256', files: 4, bytes: ESTIMATE.textFiles + (resolution.documents.length + instances.length) * 200 },
  );
  let estimatedBytes = contents.reduce((sum, item) => sum + item.bytes, 0);
  if (resolution.format === 'iso') {
    const files = contents.reduce((sum, item) => sum + item.files, 0);
    estimatedBytes += files * (SECTOR / 2) + 64 * SECTOR;
  }

  const studyNumbers = new Map(resolution.studies.map((study, index) => [study.uid, index + 1]));
  return {
    documents: resolution.all.documents.map((document) => ({
      id: document.id,
      title: document.title,
      type: document.type,
      serviceDate: document.serviceDate,
      facility: document.facility,
      pages: document.pageCount,
      bytes: document.size,
      otherPatient: document.otherPatient,
      selected: selectedDocuments.has(document.id),
      inDefault: document.inDefault,
      why: document.why,
    })),
    studies: resolution.all.studies
      .filter((study) => study.series.length > 0)
      .map((study) => {
        const encodings = studyEncodings(study);
        return {
          uid: study.uid,
          date: study.date,
          description: study.description,
          modalities: [...new Set(study.series.map((series) => series.modality).filter((m): m is string => Boolean(m)))].sort(),
          institution: study.institution,
          series: study.series.length,
          instances: study.series.reduce((sum, series) => sum + series.instances.length, 0),
          bytes: study.series.reduce((sum, series) => sum + series.instances.reduce((n, instance) => n + instance.size, 0), 0),
          encodings: [...encodings].map(([transferSyntax, count]) => ({ transferSyntax, name: transferSyntaxName(transferSyntax), instances: count })),
          otherPatient: study.otherPatient,
          selected: selectedStudies.has(study.uid),
          inDefault: study.inDefault,
          why: studyNumbers.has(study.uid) ? `${study.why} (study ${studyNumbers.get(study.uid)} of the selection)` : study.why,
          fits: studyFits(study),
        };
      }),
    medications,
    careTeam,
    questions: request.questions?.length ?? 0,
    format: resolution.format,
    profile: {
      requested: resolution.requestedProfile,
      chosen: resolution.profile,
      name: resolution.profile && resolution.family && resolution.studies.length > 0 ? PROFILE_NAMES[resolution.profile][resolution.family].name : null,
      fits: resolution.fits,
    },
    contents,
    estimatedBytes,
    recordsPages,
    problems: resolution.problems,
  };
}
