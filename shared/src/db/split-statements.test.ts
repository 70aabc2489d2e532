import { describe, expect, it } from '@jest/globals';
import { splitStatements } from './split-statements.ts';

describe('splitStatements (history record, Supabase CLI style)', () => {
  it('splits at semicolons, trims, drops the trailing semicolon and empty statements', () => {
    expect(splitStatements('create table a (id int);\n\n  insert into a values (1) ;;\n')).toEqual([
      'create table a (id int)',
      'insert into a values (1)',
    ]);
  });

  it('keeps semicolons inside quotes, identifiers, comments and dollar quotes', () => {
    const sql = [
      "insert into t values ('a;b', 'it''s;');",
      'select 1 as "x;y";',
      '-- a comment; with a semicolon\nselect 2;',
      '/* block; /* nested; */ still; */ select 3;',
      'create function f() returns int language sql as $$ select 1; $$;',
      'do $body$ begin perform 1; end $body$;',
      "select E'it\\'s;';",
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      "insert into t values ('a;b', 'it''s;')",
      'select 1 as "x;y"',
      '-- a comment; with a semicolon\nselect 2',
      '/* block; /* nested; */ still; */ select 3',
      'create function f() returns int language sql as $$ select 1; $$',
      'do $body$ begin perform 1; end $body$',
      "select E'it\\'s;'",
    ]);
  });

  it('does not take a parameter ($1) or an identifier with $ for a dollar quote', () => {
    expect(splitStatements('prepare p as select $1; select a$b$ from t;')).toEqual([
      'prepare p as select $1',
      'select a$b$ from t',
    ]);
  });

  it('keeps a final statement without a semicolon (and a trailing comment)', () => {
    expect(splitStatements('select 1;\nselect 2\n-- end')).toEqual([
      'select 1',
      'select 2\n-- end',
    ]);
  });
});
