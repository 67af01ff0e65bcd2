import { sql } from 'kysely';
import type { DatabaseHandle } from '../../api/db/connection';
import { columnOf } from '../../api/db/versioned-rows';
import { REPORT_ROW_KINDS } from '../../core/rows/report-rows';
import { fieldNames, type RowKindSpec } from '../../core/rows/row-kind';
import { openTestDatabase, testDatabaseKind } from '../support/db';

/**
 * Every row kind names its storage in its spec; the write engine builds its SQL from those
 * names. This holds the specs and the migrations together: a spec that names a table or
 * column the migrations do not create fails here, not in a user's write.
 */
describe(`row kinds and their tables on ${testDatabaseKind}`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
  });
  afterAll(() => database.close());

  for (const spec of Object.values(REPORT_ROW_KINDS) as RowKindSpec[]) {
    test(`${spec.kind}: ${spec.table} has the key, every field with its type, the derived columns and the version stamp`, async () => {
      const columns = await sql<{ column_name: string; data_type: string }>`
        select column_name, data_type from information_schema.columns
        where table_schema = current_schema() and table_name = ${spec.table}`.execute(database.db);
      const types = new Map(columns.rows.map((c) => [c.column_name, c.data_type]));
      const expected: [string, string][] = [
        ['report_id', 'integer'],
        [spec.keyColumn, 'integer'],
        ...fieldNames(spec).map((f): [string, string] => [columnOf(f), spec.fields[f]!.type === 'number' ? 'numeric' : 'text']),
        ...spec.derived.map((d): [string, string] => [columnOf(d), 'text']),
        ['version', 'integer'],
        ['changed_by', 'text'],
        ['changed_by_name', 'text'],
        ['changed_at', 'timestamp with time zone'],
      ];
      expect(expected.map(([column]) => [column, types.get(column)])).toEqual(expected);
    });
  }

  test('the history accepts each kind under its name', async () => {
    const check = await sql<{ def: string }>`
      select pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'change_history'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%entity%'`.execute(database.db);
    for (const spec of Object.values(REPORT_ROW_KINDS)) expect(check.rows[0]!.def).toContain(`'${spec.historyEntity}'`);
  });
});
