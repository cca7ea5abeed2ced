// Smoke test: embedded PostgreSQL starts and `pg` can query it and create a table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';

describe('embedded PostgreSQL', () => {
  let db: TestDatabase | undefined;
  let client: pg.Client | undefined;

  before(async () => {
    db = await startTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    await db?.stop();
  });

  it('when pg runs select 1, then the server answers 1', async () => {
    assert.ok(client, 'database did not start');
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    assert.deepEqual(rows, [{ one: 1 }]);
  });

  it('when a table is created and written, then its rows read back', async () => {
    assert.ok(client, 'database did not start');
    await client.query('create table smoke (id serial primary key, note text not null)');
    await client.query('insert into smoke (note) values ($1), ($2)', ['first', 'second']);
    const { rows } = await client.query<{ note: string }>('select note from smoke order by id');
    assert.deepEqual(
      rows.map((r) => r.note),
      ['first', 'second'],
    );
  });
});
