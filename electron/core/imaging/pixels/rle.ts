/**
 * DICOM RLE Lossless decoder (PS3.5 Annex G). Written here rather than pulled from npm: the format is a 64-byte header
 * of segment offsets plus PackBits runs (about 40 lines), while the available packages either bundle a whole viewer
 * stack or are unmaintained. Pure function over bytes; bounded by the expected output size.
 *
 * Segments hold one byte plane each: for every sample, the most significant byte first (so a 16-bit grey frame has
 * 2 segments: high bytes, low bytes; an 8-bit RGB frame has 3: R, G, B).
 * Returns samples pixel-interleaved, in a container of `bitsAllocated` (8 → Uint8Array, 16 → Uint16Array,
 * 32 → Uint32Array), as stored bit patterns (masking/sign extension is the caller's job).
 */
export function decodeRle(
  frame: Uint8Array,
  layout: { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number },
): Uint8Array | Uint16Array | Uint32Array {
  const { rows, columns, samplesPerPixel, bitsAllocated } = layout;
  const bytesPerSample = bitsAllocated / 8;
  if (![1, 2, 4].includes(bytesPerSample)) throw new Error('RLE: unsupported bits allocated');
  if (frame.length < 64) throw new Error('RLE: header too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected || segments > 15) throw new Error('RLE: unexpected number of segments');
  const pixels = rows * columns;
  const planes: Uint8Array[] = [];
  for (let s = 0; s < segments; s += 1) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || start > frame.length || end < start || end > frame.length) throw new Error('RLE: bad segment offset');
    planes.push(unpackBits(frame.subarray(start, end), pixels));
  }
  const out =
    bytesPerSample === 1
      ? new Uint8Array(pixels * samplesPerPixel)
      : bytesPerSample === 2
        ? new Uint16Array(pixels * samplesPerPixel)
        : new Uint32Array(pixels * samplesPerPixel);
  for (let sample = 0; sample < samplesPerPixel; sample += 1) {
    for (let b = 0; b < bytesPerSample; b += 1) {
      const plane = planes[sample * bytesPerSample + b]!;
      const shift = 8 * (bytesPerSample - 1 - b);
      for (let i = 0; i < pixels; i += 1) {
        const index = i * samplesPerPixel + sample;
        out[index] = (out[index]! | (plane[i]! << shift)) >>> 0;
      }
    }
  }
  return out;
}

/** PackBits: n in 0..127 → copy n+1 bytes; n in -127..-1 → repeat the next byte 1-n times; -128 → nothing. */
function unpackBits(segment: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let o = 0;
  let i = 0;
  while (i < segment.length && o < expected) {
    const n = (segment[i]! << 24) >> 24;
    i += 1;
    if (n >= 0) {
      const count = Math.min(n + 1, expected - o, segment.length - i);
      out.set(segment.subarray(i, i + count), o);
      o += count;
      i += n + 1;
    } else if (n !== -128) {
      const count = Math.min(1 - n, expected - o);
      if (i >= segment.length) break;
      out.fill(segment[i]!, o, o + count);
      o += count;
      i += 1;
    }
  }
  return out;
}
