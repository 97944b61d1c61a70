import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "db/migrations/", "next-env.d.ts", "bench/out/", "tmp/", "demo-uploads/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // The domain knows nothing of the wiring above it, nor of CSV in or documents out (DESIGN.md).
    files: ["server/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["**/importers/**", "@/importers/**", "**/reports/**", "@/reports/**"], message: "server/ must not import importers/ or reports/: the wiring (wiring/, app/) calls both." },
        { group: ["**/wiring/**", "@/wiring/**", "**/app/**", "@/app/**", "next", "next/**", "react", "react-dom"], message: "server/ knows nothing of HTTP, Next or React." },
      ] }],
    },
  },
);
