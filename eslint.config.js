// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer rule of docs/architecture.md (DESIGN.md): which layer may import which.
 * `value` imports are real dependencies; `type` imports may only bring in types
 * (`import type …`), so a renderer can name a result shape without running its producer.
 * An import against the arrows is a lint error.
 */
const LAYERS = {
  core: { value: [], type: [] },
  protocol: { value: ['core'], type: [] },
  suite: { value: ['core'], type: [] },
  metrics: { value: ['core'], type: [] },
  dialogue: { value: ['core', 'protocol'], type: ['suite'] },
  load: { value: ['core', 'protocol', 'dialogue', 'metrics', 'suite'], type: [] },
  report: { value: ['core'], type: ['protocol', 'suite', 'dialogue', 'metrics', 'load'] },
  targets: { value: ['core', 'protocol'], type: [] },
  cli: {
    value: ['core', 'protocol', 'suite', 'metrics', 'dialogue', 'load', 'report', 'targets'],
    type: [],
  },
};

const ALL = Object.keys(LAYERS);

/** @param {string} layer */
function layerPatterns(layer) {
  const { value, type } = LAYERS[/** @type {keyof typeof LAYERS} */ (layer)];
  const banned = ALL.filter((other) => other !== layer && !value.includes(other));
  return banned.map((other) => ({
    group: [`**/${other}/*`, `**/${other}`],
    allowTypeImports: type.includes(other),
    message: type.includes(other)
      ? `layer '${layer}' may import only types from '${other}' (use \`import type\`); see DESIGN.md`
      : `layer '${layer}' must not import '${other}'; see DESIGN.md`,
  }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'reports/**', 'node_modules/**', 'test/golden/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  ...ALL.map((layer) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: layerPatterns(layer) }],
    },
  })),
);
