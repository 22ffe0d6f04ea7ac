/** Transfer syntaxes (PS3.6 Table A-1) and SOP classes the imaging reader cares about. */
export const TS = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  rleLossless: '1.2.840.10008.1.2.5',
} as const;

const TS_NAMES: Record<string, string> = {
  [TS.implicitLittle]: 'Uncompressed (implicit VR little endian)',
  [TS.explicitLittle]: 'Uncompressed (explicit VR little endian)',
  [TS.deflatedExplicitLittle]: 'Deflated (explicit VR little endian)',
  [TS.explicitBig]: 'Uncompressed (explicit VR big endian)',
  [TS.jpegBaseline]: 'JPEG baseline',
  [TS.jpegExtended]: 'JPEG extended (12-bit)',
  '1.2.840.10008.1.2.4.55': 'JPEG progressive',
  [TS.jpegLossless]: 'JPEG lossless',
  [TS.jpegLosslessSv1]: 'JPEG lossless (SV1)',
  [TS.jpegLsLossless]: 'JPEG-LS lossless',
  [TS.jpegLsNearLossless]: 'JPEG-LS near-lossless',
  [TS.jpeg2000Lossless]: 'JPEG 2000 lossless',
  [TS.jpeg2000]: 'JPEG 2000',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 multi-component lossless',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP referenced (deflate)',
  '1.2.840.10008.1.2.4.100': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.101': 'MPEG-2 video (high level)',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 video (BD)',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 video (2D)',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 video (3D)',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 video (stereo)',
  '1.2.840.10008.1.2.4.107': 'HEVC video',
  '1.2.840.10008.1.2.4.108': 'HEVC video (10-bit)',
  '1.2.840.10008.1.2.4.110': 'JPEG XL lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL (JPEG recompression)',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.4.201': 'High-Throughput JPEG 2000 lossless',
  '1.2.840.10008.1.2.4.202': 'High-Throughput JPEG 2000 (RPCL) lossless',
  '1.2.840.10008.1.2.4.203': 'High-Throughput JPEG 2000',
  [TS.rleLossless]: 'RLE lossless',
};

/** A short human name for a transfer syntax (for the import summary), or the UID itself. */
export function transferSyntaxName(uid: string): string {
  return TS_NAMES[uid] ?? uid;
}

export const SOP = {
  encapsulatedPdf: '1.2.840.10008.5.1.4.1.1.104.1',
  mediaStorageDirectory: '1.2.840.10008.1.3.10',
  keyObjectSelection: '1.2.840.10008.5.1.4.1.1.88.59',
} as const;

export const SOP_KINDS = ['image', 'encapsulated-pdf', 'structured-report', 'presentation', 'other'] as const;
export type SopKind = (typeof SOP_KINDS)[number];

const STORAGE = '1.2.840.10008.5.1.4.1.1.';

/** Image storage SOP classes (PS3.4 Annex B), as suffixes of 1.2.840.10008.5.1.4.1.1. */
const IMAGE_SUFFIXES = new Set([
  '1', '1.1', '1.1.1', '1.2', '1.2.1', '1.3', '1.3.1', // CR, DX, mammography, intra-oral
  '2', '2.1', '2.2', // CT, enhanced CT, legacy converted CT
  '3.1', '6.1', '6.2', '6.3', // ultrasound (multi-frame, single, volume), photoacoustic
  '4', '4.1', '4.3', '4.4', // MR (4.2 is spectroscopy: no image)
  '7', '7.1', '7.2', '7.3', '7.4', // secondary capture
  '12.1', '12.1.1', '12.2', '12.2.1', '13.1.1', '13.1.2', '13.1.3', '13.1.4', '13.1.5', // XA, XRF, 3D, tomosynthesis
  '14.1', '14.2', '20', '30', '128', '128.1', '130', '481.1', // IVOCT, NM, parametric map, PET, RT image
]);

/**
 * What kind of object a SOP class is: images (including multi-frame and legacy converted), Encapsulated PDF (often the
 * radiology report), Structured Reports (text), presentation states, or anything else (Key Object Selection,
 * waveforms, RT, segmentations, encapsulated CDA/STL, raw data…).
 */
export function sopKind(sopClassUid: string | null | undefined): SopKind {
  const uid = (sopClassUid ?? '').trim();
  if (uid === SOP.encapsulatedPdf) return 'encapsulated-pdf';
  if (!uid.startsWith(STORAGE)) return 'other';
  const suffix = uid.slice(STORAGE.length);
  if (suffix.startsWith('88.')) return uid === SOP.keyObjectSelection ? 'other' : 'structured-report';
  if (suffix.startsWith('11.')) return 'presentation';
  if (IMAGE_SUFFIXES.has(suffix)) return 'image';
  if (suffix.startsWith('77.1.')) return 'image'; // visible light: endoscopy, microscopy, photography, ophthalmology
  if (suffix.startsWith('3.') || suffix.startsWith('5.') || suffix.startsWith('6.')) return 'image'; // retired US/NM
  return 'other';
}
