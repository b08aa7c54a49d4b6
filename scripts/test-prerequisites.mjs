// Finds (or, as root with apt-get, installs) what the next test command needs, before it spends
// minutes building: `node --import tsx scripts/test-prerequisites.mjs chromium [code-server] [python3-torch]`.
// A missing one ends this with one line naming it and its install command, and exit code 1.
import { PREREQUISITES, PrerequisiteError, ensurePrerequisite } from '../test/fixtures/prerequisites/index.ts';

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in PREREQUISITES));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: test-prerequisites.mjs <${Object.keys(PREREQUISITES).join('|')}>...${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  process.exit(2);
}
for (const name of names) {
  try {
    const found = await ensurePrerequisite(PREREQUISITES[name]);
    console.log(`${PREREQUISITES[name].name}: ${found}`);
  } catch (error) {
    if (!(error instanceof PrerequisiteError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
