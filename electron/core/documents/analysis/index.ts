/**
 * Document analysis: what a file is, its text (PDF text layer or OCR), a thumbnail, and guesses about it.
 * Plain Node, no database, no electron; pages are processed one at a time. The import pipeline calls
 * `extractDocumentText` once per file (with one shared `OcrService`), then the pure functions of `classify`
 * on the joined page texts.
 */
export {
  checkPatient,
  classifyDocument,
  DOCUMENT_TYPES,
  guessClinician,
  guessFacility,
  guessServiceDate,
  guessTitle,
  sameName,
  type Classification,
  type DocumentType,
  type NameGuess,
  type PatientMismatch,
  type PatientProfile,
  type ServiceDateGuess,
} from './classify';
export { findDates, type FoundDate } from './dates';
export { DOCUMENT_MESSAGES, DocumentError, isDocumentError, type DocumentProblem } from './errors';
export {
  extractDocumentText,
  type ExtractedDocument,
  type ExtractedPage,
  type ExtractOptions,
  type ExtractProgress,
  type PageSource,
} from './extract-text';
export {
  imagePageToPng,
  imageThumbnail,
  inspectImage,
  pdfThumbnail,
  readImagePages,
  THUMBNAIL_WIDTH,
  type ImageInfo,
  type ImagePage,
  type ImageSource,
} from './images';
export { MAX_IMAGE_PIXELS } from './limits';
export {
  createOcrService,
  OcrService,
  prepareForOcr,
  type OcrPageProgress,
  type OcrResult,
  type OcrServiceOptions,
  type RecognizeOptions,
  type Rotation,
} from './ocr';
export {
  isUsableText,
  meaningfulCharCount,
  MIN_USABLE_CHARS,
  openPdf,
  type OpenPdfOptions,
  type PdfPageText,
  type PdfReader,
  type RenderedPage,
  type RenderOptions,
} from './pdf';
export { kindFromName, MIME_TYPES, requireSupportedFile, sniffBytes, sniffFile, type DocumentKind, type SniffResult } from './sniff';
