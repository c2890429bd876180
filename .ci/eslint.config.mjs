// ESLint settings for the page's own script (explorer/render/page.js). `.ci/lint-js` copies
// this file beside an ESLint installed from the npm registry into a temporary folder, so the
// repository keeps no node_modules.
import js from "@eslint/js";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {
        window: "readonly",
        document: "readonly",
        console: "readonly",
        vis: "readonly", // vis-network, inlined before the page's script
      },
    },
    rules: {
      eqeqeq: "error",
      "no-implicit-globals": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
    },
  },
];
