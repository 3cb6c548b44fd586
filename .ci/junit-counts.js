// Prints "N passed, N failed, N skipped" from jest-junit's report; exits 1 when it is missing or has failures.
const fs = require('fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no jest report at ${file}`);
  process.exit(1);
}
const xml = fs.readFileSync(file, 'utf8');
const head = /<testsuites\b([^>]*)>/.exec(xml);
const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(head ? head[1] : '') || [])[1] || 0);
const tests = attr('tests');
const failed = attr('failures') + attr('errors');
const skipped = (xml.match(/<skipped\s*\/>/g) || []).length;
const passed = tests - failed - skipped;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || tests === 0 ? 1 : 0);
