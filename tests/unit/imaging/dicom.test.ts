import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import {
  dicomInstanceHeaderSchema,
  extractEncapsulatedPdf,
  isDicom,
  matchDicomdirHint,
  openSource,
  parseDicomHeader,
  parseDicomHeaderBytes,
  readDicomdirHint,
  readDicomdirHintBytes,
  sniffDicom,
  sopKind,
  structuredReportToText,
  type DicomInstanceHeader,
  type SourceEntry,
} from '../../../electron/core/imaging';
import {
  baseElements,
  encodeElements,
  imageElements,
  makeInstance,
  SOP_CLASS,
  stripPart10,
  TSX,
  uid,
  wrapPart10,
} from '../../fixtures/imaging/dicom';
import { buildDisc, findAll, srContent } from '../../fixtures/imaging/discs';
import { missingTools, run } from '../../fixtures/imaging/tools';
import { tempDir } from '../../helpers/temp';

/** An in-memory entry that counts how many bytes were asked for. */
function memoryEntry(bytes: Buffer): Pick<SourceEntry, 'size' | 'readHead'> & { reads: number[] } {
  const reads: number[] = [];
  return {
    size: bytes.length,
    reads,
    async readHead(n: number) {
      reads.push(n);
      return bytes.subarray(0, Math.min(n, bytes.length));
    },
  };
}

function header(bytes: Buffer): DicomInstanceHeader {
  const result = parseDicomHeaderBytes(bytes);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.kind}`);
  return result.header;
}

describe('isDicom', () => {
  const part10 = makeInstance();
  const implicit = makeInstance({ transferSyntax: TSX.implicit });
  it('recognises Part 10 files and files without a preamble', () => {
    expect(sniffDicom(part10)).toBe('part10');
    expect(sniffDicom(stripPart10(part10))).toBe('raw-explicit');
    expect(sniffDicom(stripPart10(implicit))).toBe('raw-implicit');
    expect(sniffDicom(part10.subarray(132))).toBe('raw-meta');
    expect(isDicom(part10.subarray(0, 132))).toBe(true);
  });
  it('rejects everything else', () => {
    expect(isDicom(Buffer.alloc(0))).toBe(false);
    expect(isDicom(Buffer.from('hello world, this is text'))).toBe(false);
    expect(isDicom(Buffer.from('%PDF-1.4\n'))).toBe(false);
    expect(isDicom(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(false);
    expect(isDicom(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]))).toBe(false);
    // Group 0008 with a wild implicit length, or a next tag going backwards: not DICOM.
    expect(isDicom(Buffer.from([8, 0, 5, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]))).toBe(false);
    expect(isDicom(Buffer.from([8, 0, 0x20, 0, 2, 0, 0, 0, 0x41, 0x41, 8, 0, 0x10, 0, 0, 0]))).toBe(false);
  });
});

describe('parseDicomHeader', () => {
  it('extracts every catalogue field and validates it', async () => {
    const study = uid();
    const series = uid();
    const sop = uid();
    const bytes = makeInstance({
      patient: { name: 'DOE^JANE^MARIE', id: 'PID-7', birthDate: '19700115', sex: 'F' },
      study: { uid: study, date: '20240301', time: '101530.123', description: 'CT CHEST', accession: 'A123', id: 'S1', referring: 'SMITH^ANNA', institution: 'General Hospital' },
      series: { uid: series, number: 4, description: 'AXIAL 1mm', modality: 'CT', bodyPart: 'CHEST' },
      sopInstanceUid: sop,
      instanceNumber: 12,
      image: { rows: 20, columns: 30, bitsAllocated: 16, bitsStored: 12, signed: false, windowCenter: 40, windowWidth: 400, slope: 1, intercept: -1024, frames: 2 },
      extra: { WindowCenter: '40\\300', WindowWidth: '400\\1500' },
    });
    const entry = memoryEntry(bytes);
    const result = await parseDicomHeader(entry);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const h = result.header;
    expect(entry.reads).toEqual([bytes.length]); // one read: the file is smaller than 64 KiB
    expect(dicomInstanceHeaderSchema.parse(h)).toEqual(h);
    expect(h).toMatchObject({
      flavour: 'part10',
      transferSyntaxUid: TSX.explicit,
      sopClassUid: SOP_CLASS.ct,
      sopInstanceUid: sop,
      kind: 'image',
      patient: { name: 'DOE^JANE^MARIE', id: 'PID-7', birthDate: '1970-01-15', sex: 'F', nameBytes: null },
      study: { uid: study, date: '2024-03-01', time: '10:15:30', description: 'CT CHEST', accessionNumber: 'A123', referringPhysician: 'SMITH^ANNA', institution: 'General Hospital', studyId: 'S1' },
      series: { uid: series, number: 4, description: 'AXIAL 1mm', modality: 'CT', bodyPart: 'CHEST' },
      image: {
        instanceNumber: 12,
        frames: 2,
        rows: 20,
        columns: 30,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored: 12,
        pixelRepresentation: 0,
        photometricInterpretation: 'MONOCHROME2',
        windowCenter: 40,
        windowWidth: 400,
        rescaleSlope: 1,
        rescaleIntercept: -1024,
      },
      hasPixelData: true,
      warnings: [],
    });
  });

  it('reads files without preamble or meta header (explicit, implicit, meta-only)', () => {
    const sop = uid();
    const explicit = makeInstance({ sopInstanceUid: sop });
    const implicit = makeInstance({ sopInstanceUid: sop, transferSyntax: TSX.implicit });
    const rawExplicit = header(stripPart10(explicit));
    const rawImplicit = header(stripPart10(implicit));
    const rawMeta = header(implicit.subarray(132));
    for (const h of [rawExplicit, rawImplicit, rawMeta]) {
      expect(h.sopInstanceUid).toBe(sop);
      expect(h.patient.name).toBe('DOE^JANE');
      expect(h.image.rows).toBe(32);
    }
    expect(rawExplicit).toMatchObject({ flavour: 'raw-explicit', transferSyntaxUid: TSX.explicit, warnings: ['no-meta-header'] });
    expect(rawImplicit).toMatchObject({ flavour: 'raw-implicit', transferSyntaxUid: TSX.implicit, warnings: ['no-meta-header'] });
    expect(rawMeta).toMatchObject({ flavour: 'raw-meta', transferSyntaxUid: TSX.implicit, warnings: [] });
  });

  it('reads more when the header is longer than 64 KiB, and never reads pixel data', async () => {
    const icc = new Uint8Array(300_000).fill(7);
    const bytes = makeInstance({
      image: { rows: 512, columns: 512, bitsAllocated: 16 },
      extra: { ICCProfile: icc.buffer, _vrMap: { ICCProfile: 'OB' } },
    });
    const entry = memoryEntry(bytes);
    const result = await parseDicomHeader(entry);
    expect(result.ok).toBe(true);
    expect(entry.reads).toHaveLength(2);
    expect(entry.reads[0]).toBe(65536);
    // The second read goes just past the long element: the pixel data (512 KiB) is not read.
    expect(entry.reads[1]).toBeGreaterThan(300_000);
    expect(entry.reads[1]).toBeLessThan(300_000 + 70_000);
  });

  it('gives a clear per-file error for damaged, truncated, non-DICOM and incomplete files', async () => {
    const good = makeInstance({ image: { rows: 64, columns: 64, bitsAllocated: 16 } });
    const kind = async (bytes: Buffer): Promise<string> => {
      const r = await parseDicomHeader(memoryEntry(bytes));
      return r.ok ? `ok:${r.header.warnings.join(',')}` : r.error.kind;
    };
    expect(await kind(Buffer.from('just some text that is not DICOM at all'))).toBe('not-dicom');
    expect(await kind(Buffer.alloc(0))).toBe('not-dicom');
    // End the file inside the SOP Instance UID element (0008,0018): a fixed byte offset would move with the
    // random-length UIDs and sometimes fall on an element boundary.
    const sopInstanceTag = good.indexOf(Buffer.from([0x08, 0x00, 0x18, 0x00]), 132);
    expect(sopInstanceTag).toBeGreaterThan(132);
    expect(await kind(good.subarray(0, sopInstanceTag + 6))).toBe('truncated');
    expect(await kind(good.subarray(0, good.length - 1000))).toBe('ok:pixel-data-truncated');
    const garbage = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([2, 0, 0x10, 0, 0x55, 0x49, 0xff, 0xff]), Buffer.alloc(40, 0xab)]);
    expect(['corrupt', 'truncated']).toContain(await kind(garbage));
    const noIds = wrapPart10(encodeElements([{ tag: [0x0010, 0x0010], vr: 'PN', value: 'X^Y' }]), {
      sopClassUid: SOP_CLASS.ct,
      sopInstanceUid: uid(),
      transferSyntaxUid: TSX.explicit,
    });
    expect(await kind(noIds)).toBe('missing-identifiers');
    const failing = { size: 100, readHead: async () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) };
    const r = await parseDicomHeader(failing);
    expect(r).toEqual({ ok: false, error: { code: 'IO_ERROR', kind: 'unreadable', message: expect.stringMatching(/could not be read/) } });
    const message = (await parseDicomHeader(memoryEntry(good.subarray(0, 400)))) as { error: { message: string } };
    expect(message.error.message).not.toMatch(/DOE|JANE/);
  });

  it('decodes text with the declared character set and keeps raw bytes when unsure', () => {
    const mk = (charset: string | undefined, name: Buffer): DicomInstanceHeader => {
      const sop = uid();
      const ds = encodeElements([
        ...baseElements({ sopInstanceUid: sop, charset, patientName: name }),
        { tag: [0x0008, 0x1030], vr: 'LO', value: name },
      ]);
      return header(wrapPart10(ds, { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid: TSX.explicit }));
    };
    expect(mk('ISO_IR 100', Buffer.from('M\u00fcller^Hans', 'latin1')).patient.name).toBe('Müller^Hans');
    const utf8 = mk('ISO_IR 192', Buffer.from('Łukasz^Żółć', 'utf8'));
    expect(utf8.patient.name).toBe('Łukasz^Żółć');
    expect(utf8.study.description).toBe('Łukasz^Żółć');
    const jp = mk(
      '\\ISO 2022 IR 87',
      Buffer.from([...Buffer.from('Yamada^Tarou='), 0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e, 0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42]),
    );
    expect(jp.patient.name).toBe('Yamada^Tarou=山田^太郎');
    expect(jp.specificCharacterSet).toBe('\\ISO 2022 IR 87');
    const unknown = mk('ISO_IR 999', Buffer.from('M\u00fcller', 'latin1'));
    expect(unknown.warnings).toContain('text-not-exact');
    expect(Buffer.from(unknown.patient.nameBytes!, 'base64')).toEqual(Buffer.from('M\u00fcller', 'latin1'));
  });

  it('reads real files of the disc, including the dcmtk-made PDF and a DICOMDIR', async () => {
    if (missingTools.length > 0) return;
    const disc = await buildDisc(path.join(tempDir(), 'disc'), { dicomdir: true });
    const pdf = header(fs.readFileSync(path.join(disc.root, 'DICOM/P1/S1/SE4/PDF1')));
    expect(pdf.kind).toBe('encapsulated-pdf');
    expect(pdf.hasPixelData).toBe(false);
    const sr = header(fs.readFileSync(path.join(disc.root, 'DICOM/P1/S1/SE3/SR1')));
    expect(sr.kind).toBe('structured-report');
    const dir = parseDicomHeaderBytes(fs.readFileSync(path.join(disc.root, 'DICOMDIR')));
    expect(dir).toMatchObject({ ok: false, error: { kind: 'directory' } });
  });
});

describe.skipIf(missingTools.length > 0)('DICOMDIR hints', () => {
  let disc: Awaited<ReturnType<typeof buildDisc>>;
  let shared: string;
  beforeAll(async () => {
    shared = fs.mkdtempSync(path.join(os.tmpdir(), 'so-imaging-dicomdir-'));
    disc = await buildDisc(path.join(shared, 'CD1'), { dicomdir: true });
    return () => fs.rmSync(shared, { recursive: true, force: true });
  });

  async function hintFor(root: string, rel = 'DICOMDIR') {
    const source = await openSource(root);
    let entryPaths: string[] = [];
    let hint;
    for await (const entry of source.entries()) {
      entryPaths.push(entry.path);
      if (entry.path === rel) hint = await readDicomdirHint(entry);
    }
    await source.close();
    entryPaths = entryPaths.sort();
    return { hint: hint!, entryPaths };
  }

  it('lists the referenced files of a dcmtk DICOMDIR', async () => {
    const { hint, entryPaths } = await hintFor(disc.root);
    expect(hint.damaged).toBe(false);
    expect([...hint.fileIds].sort()).toEqual(disc.dicomFiles);
    const types = new Set(hint.records.map((r) => r.type));
    expect(types).toEqual(new Set(['PATIENT', 'STUDY', 'SERIES', 'IMAGE', 'SR DOCUMENT', 'ENCAP DOC']));
    const match = matchDicomdirHint(hint, 'DICOMDIR', entryPaths);
    expect(match.missing).toEqual([]);
    expect(match.present.size).toBe(disc.dicomFiles.length);
  });

  it('works when the DICOMDIR sits in a subfolder', async () => {
    const { hint, entryPaths } = await hintFor(shared, 'CD1/DICOMDIR');
    const match = matchDicomdirHint(hint, 'CD1/DICOMDIR', entryPaths);
    expect(match.missing).toEqual([]);
    expect(match.present.get('DICOM/P1/S1/SE1/IM1')).toBe('CD1/DICOM/P1/S1/SE1/IM1');
  });

  it('survives wrong offsets, lowercase names and missing files', async () => {
    const root = path.join(tempDir(), 'broken');
    fs.cpSync(disc.root, root, { recursive: true });
    const dicomdir = fs.readFileSync(path.join(root, 'DICOMDIR'));
    // Every offset element (0004,1200), (0004,1202), (0004,1400), (0004,1420) → nonsense.
    let patched = 0;
    for (const element of [0x1200, 0x1202, 0x1400, 0x1420]) {
      const tag = Buffer.from([0x04, 0x00, element & 0xff, element >> 8, 0x55, 0x4c, 0x04, 0x00]);
      for (const at of findAll(dicomdir, tag)) {
        dicomdir.writeUInt32LE(0x7fff0000 + patched, at + 8);
        patched += 1;
      }
    }
    expect(patched).toBeGreaterThan(20);
    fs.writeFileSync(path.join(root, 'DICOMDIR'), dicomdir);
    // Lowercase names for one patient (as some systems mount discs), and a file that is gone.
    fs.renameSync(path.join(root, 'DICOM/P2'), path.join(root, 'DICOM/p2'));
    fs.renameSync(path.join(root, 'DICOM/p2/S1'), path.join(root, 'DICOM/p2/s1'));
    fs.renameSync(path.join(root, 'DICOM/p2/s1/SE1'), path.join(root, 'DICOM/p2/s1/se1'));
    fs.renameSync(path.join(root, 'DICOM/p2/s1/se1/IM1'), path.join(root, 'DICOM/p2/s1/se1/im1'));
    fs.rmSync(path.join(root, 'DICOM/P3/S1/SE1/IM1'));
    const dump = await run('dcmdump', ['-q', path.join(root, 'DICOMDIR')]);
    expect(dump).toContain('2147418112'); // 0x7fff0000: dcmtk sees the wrong offsets too

    const { hint, entryPaths } = await hintFor(root);
    expect(hint.fileIds.length).toBe(disc.dicomFiles.length);
    const match = matchDicomdirHint(hint, 'DICOMDIR', entryPaths);
    expect(match.missing).toEqual(['DICOM/P3/S1/SE1/IM1']);
    expect(match.present.get('DICOM/P2/S1/SE1/IM1')).toBe('DICOM/p2/s1/se1/im1');
  });

  it('returns an empty, damaged hint for garbage instead of failing', async () => {
    expect(readDicomdirHintBytes(Buffer.from('not a dicomdir'))).toEqual({ fileIds: [], records: [], damaged: true });
    const dicomdir = fs.readFileSync(path.join(disc.root, 'DICOMDIR'));
    const cut = readDicomdirHintBytes(dicomdir.subarray(0, Math.floor(dicomdir.length / 2)));
    expect(cut.damaged).toBe(true);
    expect(cut.fileIds.length).toBeLessThan(disc.dicomFiles.length);
  });
});

describe('documents inside DICOM', () => {
  it('takes the exact PDF out of a dcmtk pdf2dcm instance', async () => {
    if (missingTools.length > 0) return;
    const dir = tempDir();
    const { makePdf } = await import('../../fixtures/imaging/discs');
    for (const text of ['odd', 'even!']) {
      // Two lengths: pdf2dcm pads odd-length PDFs with one byte, which must not come back.
      let pdf = await makePdf(text);
      if (pdf.length % 2 === (text === 'odd' ? 0 : 1)) pdf = Buffer.concat([pdf, Buffer.from('\n')]);
      fs.writeFileSync(path.join(dir, 'in.pdf'), pdf);
      await run('pdf2dcm', ['-q', '+t', 'Report title', '+pn', 'DOE^JANE', '+pi', 'PID-1', path.join(dir, 'in.pdf'), path.join(dir, 'out.dcm')]);
      const extracted = extractEncapsulatedPdf(fs.readFileSync(path.join(dir, 'out.dcm')));
      expect(extracted.pdf.equals(pdf)).toBe(true);
      expect(extracted.title).toBe('Report title');
    }
  });

  it('refuses files without a PDF with a readable error', () => {
    let error: unknown;
    try {
      extractEncapsulatedPdf(makeInstance());
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no readable PDF/);
  });

  it('renders a structured report as indented text', () => {
    const sr = makeInstance({ sopClassUid: SOP_CLASS.comprehensiveSr, image: null, series: { modality: 'SR' }, extra: srContent() });
    const text = structuredReportToText(sr);
    expect(text).toBe(
      [
        'Diagnostic Imaging Report',
        'Date: 2024-03-02 · Completion: complete · Verification: unverified',
        '',
        'Findings',
        '  Finding: Nodule in the right upper lobe.',
        '  Diameter: 12 mm',
        '  Laterality: Right',
        'Impressions',
        '  Impression:',
        '    Follow-up CT in 3 months.',
        '    No other findings.',
        '',
      ].join('\n'),
    );
    expect(() => structuredReportToText(Buffer.from('nope'))).toThrow(/written report/);
  });
});

describe('sopKind', () => {
  it.each([
    ['1.2.840.10008.5.1.4.1.1.2', 'image'],
    ['1.2.840.10008.5.1.4.1.1.4.1', 'image'],
    ['1.2.840.10008.5.1.4.1.1.1.2', 'image'],
    ['1.2.840.10008.5.1.4.1.1.7', 'image'],
    ['1.2.840.10008.5.1.4.1.1.77.1.4', 'image'],
    ['1.2.840.10008.5.1.4.1.1.128', 'image'],
    ['1.2.840.10008.5.1.4.1.1.104.1', 'encapsulated-pdf'],
    ['1.2.840.10008.5.1.4.1.1.88.11', 'structured-report'],
    ['1.2.840.10008.5.1.4.1.1.88.67', 'structured-report'],
    ['1.2.840.10008.5.1.4.1.1.88.59', 'other'],
    ['1.2.840.10008.5.1.4.1.1.11.1', 'presentation'],
    ['1.2.840.10008.5.1.4.1.1.104.2', 'other'],
    ['1.2.840.10008.5.1.4.1.1.9.1.1', 'other'],
    ['1.2.840.10008.5.1.4.1.1.4.2', 'other'],
    ['1.2.3.4', 'other'],
    [null, 'other'],
  ])('%s → %s', (uidValue, kind) => {
    expect(sopKind(uidValue)).toBe(kind);
  });
});

// Keep the unused import list honest for the image helper (used by thumbnail tests as well).
void imageElements;
