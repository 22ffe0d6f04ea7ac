import sharp from 'sharp';
import type { CharlsModule } from '@cornerstonejs/codec-charls/decodewasmjs';
import type { OpenJpegModule } from '@cornerstonejs/codec-openjpeg/decodewasmjs';

/**
 * Decoders for compressed frames. Each returns pixel-interleaved samples.
 * `values`: 'stored' = raw stored-bit patterns (the caller masks to Bits Stored and sign-extends per Pixel
 * Representation); 'true' = the decoder already produced the real values (JPEG baseline 8-bit, JPEG 2000 with its own
 * signedness flag).
 * `colour`: 'rgb' when the decoder already converted colour to RGB (JPEG baseline YCbCr, JPEG 2000 RCT/ICT);
 * 'as-stored' when the samples are in the photometric interpretation of the header.
 */
export interface DecodedPixels {
  width: number;
  height: number;
  samples: number;
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
  values: 'stored' | 'true';
  colour: 'rgb' | 'as-stored';
  bitsPerSample: number;
}

export class UnsupportedEncoding extends Error {
  constructor(readonly reason: 'bits' | 'photometric' | 'transfer-syntax') {
    super(reason);
    this.name = 'UnsupportedEncoding';
  }
}

/*
 * The WebAssembly codecs are loaded on first use and cached per thread (module state of this file). That is the only
 * state kept: every decode gets its own decoder instance and frees it, so the functions are safe to call from a
 * worker thread and from several workers at once (each has its own copy of the module).
 */
// Emscripten modules print progress ("[INFO] …") to stdout by default: keep them quiet.
const QUIET = { print: () => undefined, printErr: () => undefined };
let charlsModule: Promise<CharlsModule> | undefined;
let openjpegModule: Promise<OpenJpegModule> | undefined;

function loadCharls(): Promise<CharlsModule> {
  charlsModule ??= import('@cornerstonejs/codec-charls/decodewasmjs').then((m) => m.default({ ...QUIET }));
  charlsModule.catch(() => {
    charlsModule = undefined;
  });
  return charlsModule;
}

function loadOpenjpeg(): Promise<OpenJpegModule> {
  openjpegModule ??= import('@cornerstonejs/codec-openjpeg/decodewasmjs').then((m) => m.default({ ...QUIET }));
  openjpegModule.catch(() => {
    openjpegModule = undefined;
  });
  return openjpegModule;
}

function copyWords(bytes: Uint8Array, signed: boolean): Uint16Array | Int16Array {
  const copy = new Uint8Array(bytes.subarray(0, bytes.length & ~1)); // a copy: new, aligned buffer
  return signed ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
}

/** SOF precision of a JPEG stream (8 or 12 for DCT processes), or null when not found. */
export function jpegPrecision(frame: Uint8Array): number | null {
  let i = 2;
  while (i + 9 < frame.length) {
    if (frame[i] !== 0xff) {
      i += 1;
      continue;
    }
    const marker = frame[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return frame[i + 4]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = (frame[i + 2]! << 8) | frame[i + 3]!;
    i += 2 + length;
  }
  return null;
}

/** JPEG baseline / extended 8-bit (1.2.840.10008.1.2.4.50, .51) through sharp (libjpeg-turbo). */
export async function decodeJpegBaseline(frame: Uint8Array): Promise<DecodedPixels> {
  const precision = jpegPrecision(frame);
  if (precision !== null && precision > 8) throw new UnsupportedEncoding('bits');
  let image = sharp(frame, { failOn: 'error' });
  const meta = await image.metadata();
  // sharp converts to sRGB on output unless told otherwise: keep grey frames grey.
  if (meta.channels === 1) image = image.toColourspace('b-w');
  else if (meta.channels !== 3) image = image.toColourspace('srgb').removeAlpha();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    samples: info.channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    values: 'true',
    colour: 'rgb',
    bitsPerSample: 8,
  };
}

/** JPEG lossless, processes 14 and 14 SV1 (.57, .70), through jpeg-lossless-decoder-js. */
export async function decodeJpegLossless(frame: Uint8Array): Promise<DecodedPixels> {
  const { Decoder } = await import('jpeg-lossless-decoder-js');
  const decoder = new Decoder();
  const copy = new Uint8Array(frame); // a copy with its own ArrayBuffer (Buffer#slice would share the pool)
  const data = decoder.decode(copy.buffer, 0, copy.length);
  return {
    width: decoder.xDim,
    height: decoder.yDim,
    samples: decoder.numComp,
    data,
    values: 'stored',
    colour: 'as-stored',
    bitsPerSample: decoder.precision,
  };
}

/** JPEG-LS lossless and near-lossless (.80, .81), through CharLS (WebAssembly). */
export async function decodeJpegLs(frame: Uint8Array): Promise<DecodedPixels> {
  const charls = await loadCharls();
  const decoder = new charls.JpegLSDecoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const interleave = decoder.getInterleaveMode();
    const raw = decoder.getDecodedBuffer();
    let data: Uint8Array | Uint16Array = info.bitsPerSample > 8 ? (copyWords(raw, false) as Uint16Array) : new Uint8Array(raw);
    if (info.componentCount > 1 && interleave === 0) data = planarToInterleaved(data, info.componentCount);
    return {
      width: info.width,
      height: info.height,
      samples: info.componentCount,
      data,
      values: 'stored',
      colour: 'as-stored',
      bitsPerSample: info.bitsPerSample,
    };
  } finally {
    decoder.delete();
  }
}

/** JPEG 2000 lossless and lossy (.90, .91), through OpenJPEG (WebAssembly). */
export async function decodeJpeg2000(frame: Uint8Array): Promise<DecodedPixels> {
  const openjpeg = await loadOpenjpeg();
  const decoder = new openjpeg.J2KDecoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const raw = decoder.getDecodedBuffer();
    const data = info.bitsPerSample > 8 ? copyWords(raw, info.isSigned) : info.isSigned ? widenSigned8(raw) : new Uint8Array(raw);
    return {
      width: info.width,
      height: info.height,
      samples: info.componentCount,
      data,
      values: 'true',
      colour: 'rgb',
      bitsPerSample: info.bitsPerSample,
    };
  } finally {
    decoder.delete();
  }
}

/** Signed 8-bit samples widened to Int16 (so they keep their sign in the common pipeline). */
function widenSigned8(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) out[i] = (bytes[i]! << 24) >> 24;
  return out;
}

export function planarToInterleaved<T extends Uint8Array | Uint16Array>(data: T, samples: number): T {
  const pixels = Math.floor(data.length / samples);
  const out = new (data.constructor as new (n: number) => T)(pixels * samples);
  for (let s = 0; s < samples; s += 1) {
    const plane = s * pixels;
    for (let i = 0; i < pixels; i += 1) out[i * samples + s] = data[plane + i]!;
  }
  return out;
}
