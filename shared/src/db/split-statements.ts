/**
 * Splits a migration file into statements the way the Supabase CLI records them in
 * `schema_migrations.statements`: at `;` outside quotes, dollar quotes and comments, each
 * trimmed, trailing `;` dropped, empty ones skipped. Only for the history record: the runner
 * sends the file to the server whole, so a splitting mistake cannot change what runs.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  const push = (s: string): void => {
    const t = s.replace(/;+$/, '').trim();
    if (t) out.push(t);
  };
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    const tag = c === '$' ? dollarTag(sql, i) : undefined;
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = skipQuoted(sql, i, "'", isEscapeString(sql, i));
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? sql.length : end + tag.length;
    } else {
      if (c === ';') {
        push(sql.slice(start, i + 1));
        start = i + 1;
      }
      i++;
    }
  }
  push(sql.slice(start));
  return out;
}

const IDENT_CHAR = /[\w$]/;

function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

// E'...' strings take backslash escapes; in standard strings only a doubled quote escapes.
function isEscapeString(sql: string, quoteAt: number): boolean {
  const prev = sql[quoteAt - 1];
  return (prev === 'E' || prev === 'e') && !IDENT_CHAR.test(sql[quoteAt - 2] ?? ' ');
}

function skipQuoted(sql: string, from: number, quote: string, backslash: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}

// $$ or $tag$ opening a dollar-quoted string; not $1 (a parameter) nor a `$` inside an identifier.
function dollarTag(sql: string, at: number): string | undefined {
  if (IDENT_CHAR.test(sql[at - 1] ?? ' ')) return undefined;
  const m = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;
  m.lastIndex = at;
  return m.exec(sql)?.[0];
}
