/**
 * Test data for the export packet: a vault with text PDFs of each record type, a picture, an imaging disc for the
 * vault's owner (explicit VR little endian CT and MR, a structured report, an encapsulated PDF), plus helpers
 * to make JPEG and implicit VR discs with dcmtk.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { baseElements, encapsulatedPixelData, encodeElements, imageElements, makeInstance, SOP_CLASS, uid, wrapPart10, type RawElement } from '../../fixtures/imaging/dicom';
import { srContent } from '../../fixtures/imaging/discs';
import { textPdf } from '../../helpers/pdf';

export const OWNER = { fullName: 'Zyxwvut Testpatient', birthDate: '1971-04-09' } as const;
export const DICOM_PATIENT = { name: 'TESTPATIENT^ZYXWVUT', id: 'MRN-7731', birthDate: '19710409', sex: 'F' };

export const REPORTS = {
  pathology: [
    'SURGICAL PATHOLOGY REPORT',
    'Riverside Cancer Center, Department of Pathology',
    'Patient: Testpatient, Zyxwvut    DOB: 04/09/1971',
    'Date of procedure: 03/14/2025',
    'Diagnosis: Invasive ductal carcinoma, Nottingham grade 2. Marker PATHMARKERQX.',
  ].join('\n'),
  radiology: [
    'DIAGNOSTIC MAMMOGRAM REPORT',
    'Lakeside Imaging Associates',
    'Patient: Zyxwvut Testpatient   Date of birth: 1971-04-09',
    'Exam date: February 20, 2025',
    'Findings: irregular mass, 2.1 cm. BI-RADS 5. Marker RADMARKERQX.',
  ].join('\n'),
  lab: ['LABORATORY RESULTS', 'Riverside Cancer Center Laboratory', 'Patient: Zyxwvut Testpatient  DOB: 04/09/1971', 'Collection date: 03/01/2025', 'Hemoglobin 13.1 g/dL. Marker LABMARKERQX.'].join('\n'),
  consultation: [
    'MEDICAL ONCOLOGY CONSULTATION NOTE',
    'Riverside Cancer Center',
    'Patient: Zyxwvut Testpatient  DOB: 04/09/1971',
    'Date of visit: 03/20/2025',
    'Assessment and plan: discussed neoadjuvant chemotherapy. Marker CONSMARKERQX.',
  ].join('\n'),
  insurance: ['EXPLANATION OF BENEFITS', 'Acme Health Insurance', 'Member: Zyxwvut Testpatient', 'Claim date: 03/02/2025', 'This is not a bill. Amount billed $120.00'].join('\n'),
};

export interface Sources {
  dir: string;
  pdfs: Record<keyof typeof REPORTS, string>;
  picture: string;
  disc: string;
  discFiles: string[];
}

function write(file: string, data: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

/** A two-page pathology PDF (second page continues), and single-page others. */
export async function writeSources(dir: string): Promise<Sources> {
  const pdfs = {} as Record<keyof typeof REPORTS, string>;
  for (const [name, text] of Object.entries(REPORTS) as [keyof typeof REPORTS, string][]) {
    const file = path.join(dir, 'docs', `${name}.pdf`);
    const pages = name === 'pathology' ? [text, 'SURGICAL PATHOLOGY REPORT (continued)\nMargins negative. Page two marker PATHPAGETWOQX.'] : [text];
    write(file, await textPdf(pages));
    pdfs[name] = file;
  }
  const picture = path.join(dir, 'docs', 'scan.png');
  write(
    picture,
    await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 250, g: 250, b: 250 } } })
      .composite([{ input: Buffer.from('<svg width="300" height="200"><text x="10" y="100" font-size="24">Medication list</text></svg>'), top: 0, left: 0 }])
      .png()
      .toBuffer(),
  );
  const disc = path.join(dir, 'disc');
  const discFiles = writeOwnerDisc(disc);
  return { dir, pdfs, picture, disc, discFiles };
}

/** Explicit VR LE CT (3 images) + SR + encapsulated PDF in one study, MR (2 images) in another. */
export function writeOwnerDisc(root: string): string[] {
  const files: string[] = [];
  const add = (rel: string, data: Buffer) => {
    write(path.join(root, rel), data);
    files.push(rel);
  };
  const ct = { uid: uid(), date: '20250220', time: '093000', description: 'CT CHEST', accession: 'A100', id: '5501', institution: 'Lakeside Imaging' };
  const mr = { uid: uid(), date: '20250301', time: '140000', description: 'MR BREAST', accession: 'A200', id: '5502', institution: 'Lakeside Imaging' };
  const image = { rows: 16, columns: 16, bitsAllocated: 16 as const, signed: true };
  const ctSeries = uid();
  for (let i = 1; i <= 3; i += 1) {
    add(`DICOM/CT/IM${i}`, makeInstance({ patient: DICOM_PATIENT, study: ct, series: { uid: ctSeries, number: 1, modality: 'CT', description: 'AXIAL' }, instanceNumber: i, image }));
  }
  add(
    'DICOM/CT/SR1',
    makeInstance({
      patient: DICOM_PATIENT,
      study: ct,
      series: { uid: uid(), number: 2, modality: 'SR', description: 'REPORT' },
      sopClassUid: SOP_CLASS.comprehensiveSr,
      image: null,
      extra: srContent(),
    }),
  );
  const mrSeries = uid();
  for (let i = 1; i <= 2; i += 1) {
    add(`DICOM/MR/IM${i}`, makeInstance({ patient: DICOM_PATIENT, study: mr, series: { uid: mrSeries, number: 1, modality: 'MR', description: 'T1' }, sopClassUid: SOP_CLASS.mr, instanceNumber: i, image }));
  }
  return files;
}

/** A disc whose images are JPEG baseline (dcmcjpeg), for DVD/USB packets. */
export function writeJpegDisc(root: string, patient = DICOM_PATIENT): string[] {
  const study = { uid: uid(), date: '20250105', time: '080000', description: 'US BREAST', accession: 'J1', id: '77', institution: 'Lakeside Imaging' };
  const series = uid();
  const files: string[] = [];
  for (let i = 1; i <= 2; i += 1) {
    const raw = path.join(root, `RAW${i}`);
    write(raw, makeInstance({ patient, study, series: { uid: series, number: 1, modality: 'US', description: 'B MODE' }, sopClassUid: SOP_CLASS.sc, instanceNumber: i, image: { rows: 32, columns: 32, bitsAllocated: 8 } }));
    const rel = `DICOM/US/IM${i}`;
    fs.mkdirSync(path.join(root, 'DICOM/US'), { recursive: true });
    execFileSync('dcmcjpeg', ['+eb', raw, path.join(root, rel)]);
    fs.rmSync(raw);
    files.push(rel);
  }
  return files;
}

/** A disc of implicit VR little endian images (not allowed on any profile as they are). */
export function writeImplicitDisc(root: string, patient = DICOM_PATIENT): string[] {
  const study = { uid: uid(), date: '20241201', time: '080000', description: 'CT HEAD', accession: 'I1', id: '78', institution: 'Old Hospital' };
  const series = uid();
  const rel = 'DICOM/IMPL/IM1';
  write(path.join(root, rel), makeInstance({ patient, study, series: { uid: series, number: 1, modality: 'CT' }, instanceNumber: 1, transferSyntax: '1.2.840.10008.1.2', image: { rows: 16, columns: 16, bitsAllocated: 16 } }));
  return [rel];
}

/** A JPEG 2000 (.90) instance written by the raw writer; its codestream is only a stub (the app never decodes it here). */
export function writeJpeg2000Disc(root: string, patient = DICOM_PATIENT): string[] {
  const sop = uid();
  const elements: RawElement[] = [
    ...baseElements({ sopInstanceUid: sop, patientName: patient.name, modality: 'MG' }).filter((element) => !(element.tag[0] === 0x0010 && element.tag[1] !== 0x0010)),
    { tag: [0x0010, 0x0020], vr: 'LO', value: patient.id },
    { tag: [0x0010, 0x0030], vr: 'DA', value: patient.birthDate },
    { tag: [0x0010, 0x0040], vr: 'CS', value: patient.sex },
    { tag: [0x0008, 0x0020], vr: 'DA', value: '20250110' },
    { tag: [0x0008, 0x0030], vr: 'TM', value: '090000' },
    { tag: [0x0020, 0x0010], vr: 'SH', value: '79' },
    { tag: [0x0020, 0x0011], vr: 'IS', value: '1' },
    { tag: [0x0020, 0x0013], vr: 'IS', value: '1' },
    ...imageElements({ rows: 8, columns: 8, bitsAllocated: 8 }),
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: encapsulatedPixelData([Buffer.from([0xff, 0x4f, 0xff, 0x51, 0, 0, 0, 0, 0xff, 0xd9])]) },
  ];
  const rel = 'DICOM/J2K/IM1';
  write(path.join(root, rel), wrapPart10(encodeElements(elements), { sopClassUid: SOP_CLASS.ct, sopInstanceUid: sop, transferSyntaxUid: '1.2.840.10008.1.2.4.90' }));
  return [rel];
}

/** A larger explicit VR study: `count` CT images of 512 × 512 × 16 bits (~512 KiB each). */
export function writeLargeDisc(root: string, count: number, patient = DICOM_PATIENT): string[] {
  const study = { uid: uid(), date: '20250115', time: '100000', description: 'CT ABDOMEN', accession: 'L1', id: '80', institution: 'Lakeside Imaging' };
  const series = uid();
  const pixels = Buffer.alloc(512 * 512 * 2);
  for (let i = 0; i < pixels.length; i += 2) pixels.writeInt16LE(((i * 7919) % 4000) - 1000, i);
  const files: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const rel = `DICOM/BIG/IM${i}`;
    write(path.join(root, rel), makeInstance({ patient, study, series: { uid: series, number: 1, modality: 'CT' }, instanceNumber: i, image: { rows: 512, columns: 512, bitsAllocated: 16, signed: true, pixels } }));
    files.push(rel);
  }
  return files;
}
