// Type declarations for codec packages that ship no usable typings (only what this folder uses).

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor();
    decode(buffer: ArrayBufferLike, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
    numComp: number;
    xDim: number;
    yDim: number;
    precision: number;
  }
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  export interface JpegLSDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
    getInterleaveMode(): number;
    getNearLossless(): number;
    delete(): void;
  }
  export interface CharlsModule {
    JpegLSDecoder: new () => JpegLSDecoder;
    getExceptionMessage?(pointer: number): string;
  }
  const factory: (options?: Record<string, unknown>) => Promise<CharlsModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface J2KDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
    getColorSpace(): number;
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
  }
  const factory: (options?: Record<string, unknown>) => Promise<OpenJpegModule>;
  export default factory;
}
