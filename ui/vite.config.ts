/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The same policy the desktop window enforces, so `vite preview` (and the browser test that
// drives it) fails the same way the app would if a template ever needed inline script or style.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ipc: http://ipc.localhost";

export default defineConfig({
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  preview: {
    headers: { "Content-Security-Policy": CONTENT_SECURITY_POLICY },
  },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Inlined assets would become data: URLs for scripts/styles, which the policy refuses.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    // A fixed zone with daylight saving, so local-time tests mean the same on every machine.
    env: { TZ: "America/New_York" },
  },
});
