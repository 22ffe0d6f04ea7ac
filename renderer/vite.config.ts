import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Runs in Node at build time (not in the browser), but renderer/ may not import node: modules, so paths come
// from import.meta.dirname; outDir is relative to root.
const rendererRoot = import.meta.dirname;

/**
 * The renderer is served from app://bundle/ in Electron (and from the test bridge on 127.0.0.1) under a strict
 * CSP: script-src 'self', style-src 'self'. So the build must not need any inline script or inline <style>:
 * no module-preload polyfill, no inlined assets, relative paths.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    modulePreload: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1' },
});
