// Runs graphql-http's server audit (the GraphQL-over-HTTP specification's checks) against a
// running server and prints every result. Exits 1 when a MUST fails. Usage:
//   node audit.mjs http://127.0.0.1:8080/graphql
// .ci/graphql-http-audit starts a server and runs this.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

// SHOULDs this server does not follow on purpose; README.md ("GraphQL over HTTP") says why.
const explained = {
  '47DE': 'Accept: */* gets application/graphql-response+json (the specification since 2025)',
  '80D8': 'no Accept gets application/graphql-response+json (the specification since 2025)',
};

const results = await auditServer({ url });
const level = (r) => r.name.split(' ')[0];
const mark = { ok: 'ok    ', warn: 'WARN  ', notice: 'notice', error: 'FAIL  ' };

for (const r of results) {
  let line = `${mark[r.status]} ${r.id} ${r.name}`;
  if (r.status !== 'ok') {
    line += `\n         ${r.reason} (got ${r.response.status})`;
    if (r.status === 'warn') {
      line += explained[r.id]
        ? `\n         explained in README.md: ${explained[r.id]}`
        : '\n         NOT EXPLAINED in README.md';
    }
  }
  console.log(line);
}

const count = (pred) => results.filter(pred).length;
const musts = results.filter((r) => level(r) === 'MUST');
const failed = musts.filter((r) => r.status !== 'ok');
const warnings = results.filter((r) => r.status === 'warn');
const unexplained = warnings.filter((r) => !explained[r.id]);
console.log(
  `\nMUST: ${musts.length - failed.length}/${musts.length} passed` +
    ` · SHOULD: ${count((r) => level(r) === 'SHOULD' && r.status === 'ok')}/` +
    `${count((r) => level(r) === 'SHOULD')} followed, ${warnings.length} warning(s)` +
    ` (${unexplained.length} not explained)` +
    ` · MAY: ${count((r) => level(r) === 'MAY' && r.status === 'ok')}/` +
    `${count((r) => level(r) === 'MAY')}`,
);
process.exit(failed.length > 0 ? 1 : 0);
