// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

/** A module specifier that reaches into the test tree (`../test/…`, `../../test/harness`, `test/…`). */
const TEST_IMPORT = /(^|\/)test(\/|$)/;
const PRODUCT_IMPORTS_TEST =
  "Product code must not import from test/: move what it needs into plan/ or the area it belongs to.";

/** The SDK indexes load hundreds of modules at each start; the program imports classes through components/sdk/. */
const SDK_INDEX_IMPORTS = ["@pulumi/aws", "@pulumi/kubernetes"].map((name) => ({
  name,
  allowTypeImports: true,
  message: `Import the classes through components/sdk/ (${name}'s index loads every module of the package).`,
}));

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "coverage/"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Product code (the program, the offline plan, the policy pack, the commands) ships without test/: it must
    // run after `npm ci --omit=dev`, so it never imports a test file, statically or dynamically.
    files: ["index.ts", "components/**", "profiles/**", "plan/**", "policy/**", "scripts/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ regex: TEST_IMPORT.source, message: PRODUCT_IMPORTS_TEST }] },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: `ImportExpression[source.value=${TEST_IMPORT}]`, message: PRODUCT_IMPORTS_TEST },
        {
          selector: `CallExpression[callee.name='require'][arguments.0.value=${TEST_IMPORT}]`,
          message: PRODUCT_IMPORTS_TEST,
        },
      ],
    },
  },
  {
    // The program itself (what `pulumi preview` loads) also reaches the big SDKs only through components/sdk/.
    files: ["index.ts", "components/**", "profiles/**"],
    ignores: ["**/*.test.ts", "components/sdk/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [{ regex: TEST_IMPORT.source, message: PRODUCT_IMPORTS_TEST }],
          paths: SDK_INDEX_IMPORTS,
        },
      ],
    },
  },
);
