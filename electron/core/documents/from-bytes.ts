import { pdfThumbnail } from './analysis/images';
import { openPdf } from './analysis/pdf';
import type { PageText } from './store';

/**
 * Text of documents that arrive as bytes rather than files: PDFs inside a disc image or a DICOM file, and the
 * HTML/TXT/RTF reports found on imaging discs. Nothing is written to disk in plaintext to read them.
 */

export async function pdfBytesToDocument(bytes: Uint8Array, signal?: AbortSignal): Promise<{ pages: PageText[]; thumbnail: Buffer | null }> {
  const reader = await openPdf(new Uint8Array(bytes), signal ? { signal } : {});
  try {
    const pages: PageText[] = [];
    for await (const page of reader.pages(signal)) {
      // Reports on discs are produced by software and carry a text layer; a rare scanned one is kept with
      // source 'none' (findable by its title and notes, and viewable) rather than OCR'd here.
      pages.push({ page: page.page, text: page.needsOcr && page.meaningfulChars === 0 ? '' : page.text, source: page.meaningfulChars > 0 ? 'text-layer' : 'none', confidence: null });
    }
    const thumbnail = reader.pageCount > 0 ? await pdfThumbnail(reader, signal ? { signal } : {}).catch(() => null) : null;
    return { pages, thumbnail };
  } finally {
    await reader.close();
  }
}

export type TextFormat = 'txt' | 'html' | 'rtf';

export const TEXT_MIME: Record<TextFormat, string> = {
  txt: 'text/plain',
  html: 'text/html',
  rtf: 'application/rtf',
};

/** Readable text from a small text report. Decodes UTF-8, falling back to Latin-1 for older Windows files. */
export function textReportToPages(bytes: Uint8Array, format: TextFormat): PageText[] {
  const raw = decode(bytes);
  const text = format === 'html' ? htmlToText(raw) : format === 'rtf' ? rtfToText(raw) : raw;
  return [{ page: 1, text: text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), source: 'text-layer', confidence: null }];
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text of an HTML report. Deliberately simple (no DOM needed for text): scripts and styles are dropped,
 * block elements become line breaks, entities are decoded. The HTML itself is never rendered by the app.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
      if (entity[0] === '#') {
        const code = entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[entity.toLowerCase()] ?? match;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n');
}

/** Plain text of an RTF report: control words and groups like font tables are removed, \par becomes a line break. */
export function rtfToText(rtf: string): string {
  return rtf
    .replace(/\{\\\*[^{}]*\}/g, '')
    .replace(/\{\\(fonttbl|colortbl|stylesheet|info)[\s\S]*?\}\s*\}/g, '')
    .replace(/\\par[d]?\b ?/g, '\n')
    .replace(/\\'([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/[{}]/g, '')
    .replace(/[ \t]+/g, ' ');
}
