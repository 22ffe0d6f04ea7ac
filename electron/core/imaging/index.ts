/**
 * Reading imaging discs: sources (folder, .iso, .zip), file classification, DICOM headers, DICOMDIR hints, documents
 * inside DICOM (PDF, structured reports), series thumbnails and the patient → study → series catalog.
 * Pure Node; never imports electron; never executes anything from a disc. See ../../../../shared/dicom-media.md.
 */
export type { DiscSource, SourceEntry, SourceKind, SourceProblem } from './sources/types';
export { openSource, detectSourceKind, type OpenSourceOptions } from './sources/open';
export { openFolderSource } from './sources/folder';
export { openIsoSource } from './sources/iso9660';
export { openZipSource, normaliseArchivePath } from './sources/zip';
export { classifyDiscFile, type DiscFileClass, type ReportFormat, type SoftwareReason } from './sources/classify';
export { isDicom, sniffDicom, type DicomFlavour } from './dicom/sniff';
export { decodeDicomText, type DecodedText } from './dicom/charset';
export {
  parseDicomHeader,
  parseDicomHeaderBytes,
  dicomInstanceHeaderSchema,
  dicomFileError,
  DICOM_HEADER_WARNINGS,
  type DicomInstanceHeader,
  type DicomHeaderResult,
  type DicomFileError,
  type DicomFileErrorKind,
} from './dicom/header';
export { readDicomdirHint, readDicomdirHintBytes, matchDicomdirHint, type DicomdirHint, type DicomdirRecord, type DicomdirMatch } from './dicom/dicomdir';
export { sopKind, transferSyntaxName, TS, SOP, SOP_KINDS, type SopKind } from './dicom/uids';
export { extractEncapsulatedPdf, structuredReportToText, type EncapsulatedPdf } from './dicom/documents';
export { formatPersonName, namesMatch } from './dicom/person-name';
export { renderThumbnail, THUMBNAIL_TRANSFER_SYNTAXES, type ThumbnailResult, type ThumbnailOptions } from './thumbnail';
export {
  CatalogBuilder,
  buildCatalog,
  compareToProfile,
  patientKey,
  type Catalog,
  type CatalogInput,
  type CatalogPatient,
  type CatalogStudy,
  type CatalogSeries,
  type CatalogInstance,
  type CatalogConflict,
  type ProfileMismatch,
} from './catalog';
export * from './limits';
