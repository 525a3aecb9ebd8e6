// The playground: a static page built into www/dist, served by `datafast-emulator --www www/dist`.
// It imports the package as built into pkg/ (scripts/build-pkg.sh), through its browser entry.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const pkg = (file) => fileURLToPath(new URL(`../pkg/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the page works wherever the directory is served from.
  base: './',
  resolve: {
    alias: [
      { find: /^datafast-wasm\/catalog$/, replacement: pkg('catalog.js') },
      { find: /^datafast-wasm$/, replacement: pkg('browser.js') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The browser entry instantiates the wasm with a top-level await.
    target: 'es2022',
    // The .wasm stays a file of its own (fetched and compiled while streaming).
    assetsInlineLimit: 0,
  },
});
