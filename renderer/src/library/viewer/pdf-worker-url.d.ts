// Vite turns `?url` imports into the address of the emitted file (see viewer/pdf.ts).
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
