import { loadSuite } from '../../src/suite/load-suite.js';
import { goldenTests } from './golden-files.js';

/** What users see for broken suite files (golden-files.ts; `UPDATE_GOLDEN=1` regenerates). */
goldenTests('golden: suite errors', 'test/golden/suite-errors', 5, (file, text) => {
  const { suite, diagnostics } = loadSuite(file, text);
  return { accepted: suite !== undefined, diagnostics };
});
