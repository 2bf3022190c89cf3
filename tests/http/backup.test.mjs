// `cong backup`: a copy of the live SQLite database, taken while a server runs and other writers write,
// is a whole database (integrity_check ok) holding one moment of the source.  A PostgreSQL portal is sent
// to pg_dump.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { PG, cleanup, initPortal, request, runCong, sleep, sql, startServer, tempDir } from './helpers.mjs';

const skip = PG ? 'SQLite only (a PostgreSQL portal is backed up with pg_dump)' : false;
let data, srv, out;

/** One value from a SQLite file of our own (not the portal's database). */
function sqliteFile(file, query) {
	const r = spawnSync('sqlite3', ['-batch', file, query], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
	return r.stdout.trim();
}

before(async () => {
	if (PG) return;
	data = await initPortal();
	out = await tempDir();
	/* some 20 MB of audit rows, so the copy takes many steps and writers can come between them */
	sql(data, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
		INSERT INTO audit_log (at, login, action, detail) SELECT i, 'nap', 'test.fill', hex(randomblob(500)) FROM n`);
	srv = await startServer(data);
});
after(async () => {
	await srv?.stop();
	await cleanup();
});

test('a backup taken while a server reads and others write is whole and consistent', { skip }, async () => {
	const file = path.join(out, 'cong-backup.db');
	const before = Number(sql(data, 'SELECT count(*) FROM audit_log'));
	let writes = 0, done = false;
	const backup = runCong(['backup', '--data', data, '--to', file]).finally(() => (done = true));
	/* writers: rows through the sqlite3 shell, one transaction each, and readers of the site */
	while (!done) {
		sql(data, `INSERT INTO audit_log (at, login, action, detail) VALUES (${Date.now()}, 'ghi', 'test.write', hex(randomblob(2000)))`);
		writes++;
		await request(srv, '/');
		await sleep(1);
	}
	const r = await backup;
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^integrity_check: ok$/m);
	assert.match(r.stdout, /wrote .*: \d+ pages of \d+ bytes/);
	assert.ok(writes > 0, 'writers ran during the backup');
	assert.ok(existsSync(file));
	assert.ok(!existsSync(`${file}.tmp`), 'no temporary file is left');
	assert.equal(statSync(file).mode & 0o777, 0o600, 'the copy (password hashes, the site key) is its owner’s alone');
	/* opened by another program: whole, and one moment of the source */
	assert.equal(sqliteFile(file, 'PRAGMA integrity_check'), 'ok');
	assert.equal(sqliteFile(file, 'SELECT count(*) FROM articles'), sql(data, 'SELECT count(*) FROM articles'));
	const copied = Number(sqliteFile(file, 'SELECT count(*) FROM audit_log'));
	assert.ok(copied >= before && copied <= before + writes, `audit rows in the copy: ${copied}, from ${before} to ${before + writes}`);
	assert.equal(sqliteFile(file, "SELECT count(*) FROM audit_log WHERE action = 'test.fill'"), '20000');
	/* the site went on answering */
	assert.equal((await request(srv, '/')).status, 200);
});

test('a second backup replaces the first file whole', { skip }, async () => {
	const file = path.join(out, 'again.db');
	await writeFile(file, 'not a database');
	await writeFile(`${file}.tmp`, 'left by an interrupted backup');
	const r = await runCong(['backup', '--data', data, '--to', file]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(sqliteFile(file, 'PRAGMA integrity_check'), 'ok');
	assert.equal(sqliteFile(file, 'SELECT count(*) FROM articles'), sql(data, 'SELECT count(*) FROM articles'));
	assert.ok(!existsSync(`${file}.tmp`));
});

test('mistakes: no --to, no portal, the live database itself', { skip }, async () => {
	let r = await runCong(['backup', '--data', data]);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /--to FILE/);
	r = await runCong(['backup', '--data', '/nonexistent/cong-data', '--to', path.join(out, 'x.db')]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /\/nonexistent\/cong-data/);
	r = await runCong(['backup', '--data', data, '--to', path.join(data, 'cong.db')]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /the database itself/);
	assert.equal(sql(data, 'PRAGMA integrity_check'), 'ok');
	r = await runCong(['backup', '--help']);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /usage: cong backup --data DIR --to FILE/);
});

test('a PostgreSQL portal is sent to pg_dump, the password left out', async () => {
	const dir = await tempDir();
	await writeFile(path.join(dir, 'cong.ini'), '[server]\ndb = postgres://cong:bi-mat@db.example:5432/portal\n');
	const r = await runCong(['backup', '--data', dir, '--to', '/srv/backup/portal.dump'], {
		env: { CONG_DB: undefined, CONG_DATABASE_URL: undefined },
	});
	assert.equal(r.code, 2);
	assert.match(r.stderr, /pg_dump --format=custom --file='\/srv\/backup\/portal\.dump' 'postgres:\/\/cong@db\.example:5432\/portal'/);
	assert.ok(!r.stderr.includes('bi-mat'), 'no password on the terminal');
});
