import { loadProfile } from '../../src/suite/load-profile.js';
import { goldenTests } from './golden-files.js';

/** What users see for broken load profiles (golden-files.ts; `UPDATE_GOLDEN=1` regenerates). */
goldenTests('golden: profile errors', 'test/golden/profile-errors', 8, (file, text) => {
  const { profile, diagnostics } = loadProfile(file, text);
  return { accepted: profile !== undefined, diagnostics };
});
