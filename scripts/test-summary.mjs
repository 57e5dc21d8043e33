#!/usr/bin/env node
// Prints the closing line CI reads, summed over vitest JSON reports: "N passed, N failed, N skipped".
// A missing report counts as a failure: a tier that did not run has not passed.
import { readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['reports/vitest-results.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  try {
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests ?? 0;
    // A failed test also fails its file and describe blocks: count suites only when no test
    // failed (a file that did not load, a failing hook), so one failure reads as one.
    const failedTests = results.numFailedTests ?? 0;
    failed += failedTests > 0 ? failedTests : (results.numFailedTestSuites ?? 0);
    skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  } catch (error) {
    console.error(`no test results at ${file}: ${error.message}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
