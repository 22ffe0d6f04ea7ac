import { createRequire } from 'node:module';
import fs from 'node:fs';
import sharp from 'sharp';
import {
  degrees,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  rgb,
  type PDFFont,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import { checkedSharp, finish, readImagePages } from '../documents/analysis/images';
import { loadFontkit, PdfLayout } from '../pdf/layout';

/**
 * RECORDS.PDF: the selected documents merged in date order. PDF pages are copied as they are (text stays
 * selectable and searchable), pictures become one page each, text reports are typeset. Every page gets a header
 * (patient name and birth date) and a footer ("page X of Y"), and the file gets one bookmark per document.
 */

const require = createRequire(import.meta.url);
const FONT_FILE = `${require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, '')}ttf/DejaVuSans.ttf`;

export const LETTER = { width: 612, height: 792 } as const;
/** Room kept free at the top and bottom of pages we lay out ourselves, for the header and footer. */
const MARGIN = 54;
const HEADER_SIZE = 7.5;

export interface RecordsDocument {
  /** Bookmark and table-of-contents label: type, date, facility. */
  label: string;
  kind: 'pdf' | 'jpeg' | 'png' | 'tiff' | 'text' | 'html' | 'dicom-sr';
  bytes: Buffer;
  /** The app's stored text of each page (used for text reports, and when a PDF cannot be merged). */
  pageTexts: string[];
  /** Where the original is in the packet, for the note on pages we could not copy. */
  originalPath: string;
}

export interface RecordsEntry {
  label: string;
  firstPage: number;
  pages: number;
  /** How the pages were made: copied from the PDF, pictures placed on pages, or typeset from text. */
  how: 'copied' | 'pictures' | 'typeset' | 'text-fallback';
}

export class RecordsPdf {
  readonly doc: PDFDocument;
  readonly #font: PDFFont;
  readonly #entries: (RecordsEntry & { ref: PDFRef })[] = [];

  private constructor(doc: PDFDocument, font: PDFFont) {
    this.doc = doc;
    this.#font = font;
  }

  static async create(title: string): Promise<RecordsPdf> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(await loadFontkit());
    doc.setTitle(title);
    doc.setProducer('Second Opinion');
    doc.setCreator('Second Opinion');
    const font = await doc.embedFont(fs.readFileSync(FONT_FILE), { subset: true });
    return new RecordsPdf(doc, font);
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  get entries(): RecordsEntry[] {
    return this.#entries.map(({ ref: _ref, ...entry }) => entry);
  }

  /** Appends one document's pages. */
  async add(document: RecordsDocument): Promise<RecordsEntry> {
    const firstPage = this.doc.getPageCount() + 1;
    let how: RecordsEntry['how'];
    if (document.kind === 'pdf') {
      how = (await this.#copyPdf(document.bytes)) ? 'copied' : 'text-fallback';
      if (how === 'text-fallback') {
        await this.#typeset(
          document.label,
          document.pageTexts,
          `This document could not be merged here (it is protected or damaged). The original file is ${document.originalPath} in this packet. Below is the text the app read from it.`,
        );
      }
    } else if (document.kind === 'jpeg' || document.kind === 'png' || document.kind === 'tiff') {
      await this.#pictures(document.bytes, document.kind);
      how = 'pictures';
    } else {
      await this.#typeset(document.label, document.pageTexts, `Text report; the original file is ${document.originalPath} in this packet.`);
      how = 'typeset';
    }
    if (this.doc.getPageCount() < firstPage) {
      // Never let a document vanish from the merged file: an empty one still gets a page saying so.
      await this.#typeset(document.label, [], `This document has no pages to show. The original file is ${document.originalPath} in this packet.`);
    }
    const pages = this.doc.getPageCount() - firstPage + 1;
    const entry = { label: document.label, firstPage, pages, how, ref: this.doc.getPage(firstPage - 1).ref };
    this.#entries.push(entry);
    const { ref: _ref, ...out } = entry;
    return out;
  }

  /** Header and footer on every page, the bookmarks, and the bytes. */
  async finish(header: string): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => this.#stamp(page, header, `page ${index + 1} of ${pages.length}`));
    this.#writeOutline();
    return this.doc.save();
  }

  async #copyPdf(bytes: Buffer): Promise<boolean> {
    let source: PDFDocument;
    try {
      source = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
    } catch {
      return false; // encrypted (pdf-lib cannot decrypt) or unreadable: the caller typesets the stored text instead
    }
    try {
      const copied = await this.doc.copyPages(source, source.getPageIndices());
      if (copied.length === 0) return false;
      for (const page of copied) this.doc.addPage(page);
      return true;
    } catch {
      return false;
    }
  }

  async #pictures(bytes: Buffer, kind: 'jpeg' | 'png' | 'tiff'): Promise<void> {
    for await (const picture of readImagePages(bytes)) {
      const meta = await sharp(bytes, { page: picture.image.page ?? 0 }).metadata();
      let image;
      if (kind === 'jpeg' && (meta.orientation ?? 1) === 1 && meta.space !== 'cmyk') {
        image = await this.doc.embedJpg(bytes); // as stored: no re-encoding
      } else if (kind === 'jpeg') {
        image = await this.doc.embedJpg(await finish((await checkedSharp(picture.image)).jpeg({ quality: 92 })));
      } else {
        image = await this.doc.embedPng(await finish((await checkedSharp(picture.image)).png({ compressionLevel: 6 })));
      }
      const landscape = image.width > image.height;
      const size: [number, number] = landscape ? [LETTER.height, LETTER.width] : [LETTER.width, LETTER.height];
      const page = this.doc.addPage(size);
      const maxWidth = size[0] - 2 * MARGIN;
      const maxHeight = size[1] - 2 * MARGIN;
      const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
      const width = image.width * scale;
      const height = image.height * scale;
      page.drawImage(image, { x: (size[0] - width) / 2, y: (size[1] - height) / 2, width, height });
    }
  }

  /** Typesets text pages with the app's layout helper, then copies them in. */
  async #typeset(title: string, pageTexts: string[], note: string): Promise<void> {
    const layout = await PdfLayout.create(title);
    layout.heading(title, 13);
    layout.paragraph(note, { size: 9, color: [0.35, 0.35, 0.38] });
    layout.space(6);
    pageTexts.forEach((text, index) => {
      if (index > 0) layout.space(10);
      if (pageTexts.length > 1) layout.paragraph(`Page ${index + 1}`, { size: 8.5, bold: true, color: [0.35, 0.35, 0.38] });
      layout.paragraph(text.trim() === '' ? '(no text on this page)' : text, { size: 9.5 });
    });
    const source = await PDFDocument.load(await layout.save());
    const copied = await this.doc.copyPages(source, source.getPageIndices());
    for (const page of copied) this.doc.addPage(page);
  }

  /**
   * Draws the header (top left) and the page number (bottom right) as a reader sees the page: pages with a
   * /Rotate are stamped in the rotated direction, inside the crop box.
   */
  #stamp(page: PDFPage, header: string, footer: string): void {
    const box = page.getCropBox();
    const rotation = ((page.getRotation().angle % 360) + 360) % 360;
    const sideways = rotation === 90 || rotation === 270;
    const viewWidth = sideways ? box.height : box.width;
    const viewHeight = sideways ? box.width : box.height;
    // (u, v): position as seen, from the bottom-left corner of the page as displayed.
    const place = (u: number, v: number): { x: number; y: number } => {
      switch (rotation) {
        case 90:
          return { x: box.x + (box.width - v), y: box.y + u };
        case 180:
          return { x: box.x + box.width - u, y: box.y + box.height - v };
        case 270:
          return { x: box.x + v, y: box.y + box.height - u };
        default:
          return { x: box.x + u, y: box.y + v };
      }
    };
    const edge = Math.min(22, viewHeight * 0.03 + 8);
    const color = rgb(0.3, 0.3, 0.33);
    const headerText = this.#fit(header, viewWidth * 0.7);
    page.drawText(headerText, { ...place(Math.min(36, viewWidth * 0.06), viewHeight - edge), size: HEADER_SIZE, font: this.#font, color, rotate: degrees(rotation) });
    const footerWidth = this.#font.widthOfTextAtSize(footer, HEADER_SIZE);
    page.drawText(footer, { ...place(viewWidth - Math.min(36, viewWidth * 0.06) - footerWidth, edge - HEADER_SIZE), size: HEADER_SIZE, font: this.#font, color, rotate: degrees(rotation) });
  }

  #fit(text: string, width: number): string {
    const supported = new Set(this.#font.getCharacterSet());
    let out = [...text].map((char) => (supported.has(char.codePointAt(0) ?? 0) ? char : '?')).join('');
    while (out.length > 1 && this.#font.widthOfTextAtSize(out, HEADER_SIZE) > width) out = `${out.slice(0, -2)}…`;
    return out;
  }

  /**
   * One bookmark per document. pdf-lib has no outline API, so the /Outlines dictionary (PDF 32000-1 §12.3.3) is
   * written with its low-level objects: an outline root with /First, /Last and /Count, and one item per document
   * with /Title, /Parent, /Prev, /Next and /Dest [page /Fit]. /PageMode /UseOutlines opens the bookmarks panel.
   */
  #writeOutline(): void {
    if (this.#entries.length === 0) return;
    const context = this.doc.context;
    const rootRef = context.nextRef();
    const refs = this.#entries.map(() => context.nextRef());
    this.#entries.forEach((entry, index) => {
      const item = context.obj({});
      item.set(PDFName.of('Title'), PDFHexString.fromText(entry.label));
      item.set(PDFName.of('Parent'), rootRef);
      if (index > 0) item.set(PDFName.of('Prev'), refs[index - 1]!);
      if (index < refs.length - 1) item.set(PDFName.of('Next'), refs[index + 1]!);
      item.set(PDFName.of('Dest'), context.obj([entry.ref, PDFName.of('Fit')]));
      context.assign(refs[index]!, item);
    });
    const root = context.obj({});
    root.set(PDFName.of('Type'), PDFName.of('Outlines'));
    root.set(PDFName.of('First'), refs[0]!);
    root.set(PDFName.of('Last'), refs.at(-1)!);
    root.set(PDFName.of('Count'), PDFNumber.of(refs.length));
    context.assign(rootRef, root);
    this.doc.catalog.set(PDFName.of('Outlines'), rootRef);
    this.doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
}
