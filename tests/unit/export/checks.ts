/**
 * Independent checks of a written packet: reference tools (dcmtk, dicom3tools, qpdf, poppler, coreutils, libarchive,
 * cdrtools' isoinfo) and a small zod schema of the FHIR we emit whose references must resolve.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const VALIDATE_PDI = path.resolve('../shared/tools/validate-pdi.sh');

export function sh(cmd: string, args: string[], options: { cwd?: string } = {}): { code: number; out: string } {
  const result = spawnSync(cmd, args, { cwd: options.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

export function validatePdi(root: string, profile: string): { code: number; out: string } {
  return sh('bash', [VALIDATE_PDI, root, profile]);
}

/** Every file below a folder, '/'-separated and relative, sorted. */
export function treeOf(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function pdfPages(file: string): number {
  const { out } = sh('pdfinfo', [file]);
  return Number(/Pages:\s+(\d+)/.exec(out)?.[1] ?? NaN);
}

/** The outline (bookmarks) as pdf.js reads it: titles and 1-based page numbers. */
export async function pdfOutline(file: string): Promise<{ title: string; page: number }[]> {
  const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const outline = (await doc.getOutline()) ?? [];
    const out: { title: string; page: number }[] = [];
    for (const item of outline) {
      const dest = Array.isArray(item.dest) ? item.dest : await doc.getDestination(String(item.dest));
      const page = dest ? (await doc.getPageIndex(dest[0] as never)) + 1 : -1;
      out.push({ title: item.title, page });
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

const reference = z.object({ reference: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/) });
const coding = z.object({ system: z.string().url().or(z.string().startsWith('urn:')), code: z.string().min(1), display: z.string().optional() });
const codeable = z.object({ coding: z.array(coding).optional(), text: z.string().optional() });

const patient = z.object({
  resourceType: z.literal('Patient'),
  name: z.array(z.object({ text: z.string(), family: z.string() })).min(1),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
const documentReference = z.object({
  resourceType: z.literal('DocumentReference'),
  status: z.literal('current'),
  type: codeable,
  subject: reference,
  date: z.string().datetime(),
  content: z
    .array(
      z.object({
        attachment: z.object({ contentType: z.string(), url: z.string().regex(/^ORIGINAL\/[A-Z0-9_]{1,8}\.[A-Z0-9]{1,3}$/), size: z.number().int(), hash: z.string().base64() }),
      }),
    )
    .length(1),
  identifier: z.array(z.object({ system: z.string(), value: z.string().startsWith('ni:///sha-256;') })),
});
const imagingStudy = z.object({
  resourceType: z.literal('ImagingStudy'),
  status: z.literal('available'),
  subject: reference,
  identifier: z.array(z.object({ system: z.literal('urn:dicom:uid'), value: z.string().regex(/^urn:oid:[0-9.]+$/) })),
  numberOfSeries: z.number().int().positive(),
  numberOfInstances: z.number().int().positive(),
  series: z.array(
    z.object({
      uid: z.string().regex(/^[0-9.]+$/),
      modality: coding,
      numberOfInstances: z.number().int(),
      instance: z.array(z.object({ uid: z.string().regex(/^[0-9.]+$/), sopClass: coding })),
    }),
  ),
});
const medicationStatement = z.object({
  resourceType: z.literal('MedicationStatement'),
  status: z.enum(['active', 'completed']),
  medicationCodeableConcept: codeable,
  subject: reference,
});
const practitioner = z.object({ resourceType: z.literal('Practitioner'), name: z.array(z.object({ text: z.string() })) });
const careTeam = z.object({
  resourceType: z.literal('CareTeam'),
  subject: reference,
  participant: z.array(z.object({ member: reference, role: z.array(codeable) })),
});
const resource = z.discriminatedUnion('resourceType', [patient, documentReference, imagingStudy, medicationStatement, practitioner, careTeam]);
export const fhirBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('collection'),
  timestamp: z.string().datetime(),
  entry: z.array(z.object({ fullUrl: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/), resource })),
});
export type FhirBundle = z.infer<typeof fhirBundleSchema>;

/** Every `reference` value anywhere in the bundle. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference' && typeof inner === 'string') out.push(inner);
      else referencesIn(inner, out);
    }
  }
  return out;
}
