// The browser test files in a fixed order: alphabetical, but web.e2e.ts last, because its last
// test stops the API (by pid) that every file shares. Jest's default order (slowest first, from
// the cache of earlier runs) could otherwise run another file against a stopped API.
import Sequencer from '@jest/test-sequencer';

const LAST = ['web.e2e.ts'];
const rank = (path) => (LAST.some((name) => path.endsWith(`/${name}`)) ? 1 : 0);

export default class E2eSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}
