import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The app's own "@/…" imports (route handlers are tested through their files).
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/globalSetup.ts"],
    // Two cores: two workers, each test file with its own database.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
