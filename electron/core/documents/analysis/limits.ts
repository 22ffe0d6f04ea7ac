/** Images larger than this (width × height) are refused before decoding: a decompression-bomb guard. */
export const MAX_IMAGE_PIXELS = 80_000_000;
