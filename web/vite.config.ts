// The UI is served by `bora` at /ui/ from files embedded in the binary
// (scripts/embed_ui.py): every asset URL starts with /ui/, and file names
// carry a content hash so they can be cached for good.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/ui/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: "es2020",
    sourcemap: false,
    // One small bundle: no module preload polyfill (every browser we
    // support has modulepreload), no per-route chunks (the whole app is tiny).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against a local `bora server` (make run).
    proxy: { "/v2": "http://127.0.0.1:8989" },
  },
});
