// The database dies (kill -9) in the middle of a burst of saves: every save the server acknowledged is
// still there afterwards, the server answers 503 (not 500, not a hang) while the database is down, and
// it recovers by itself once the database is back, without a restart.  This file runs its own private
// PostgreSQL (scripts/pg.sh with a directory and port of its own), so killing it disturbs no other test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { PG, ROOT, cleanup, freePort, poll, request, runCong, sleep, startServer, tempDir } from '../http/helpers.mjs';

const skip = PG ? false : 'needs PostgreSQL (make test-pg)';
let env, url, dir, srv;

function pg(cmd, ...args) {
	const r = spawnSync(path.join(ROOT, 'scripts/pg.sh'), [cmd, ...args], { env, encoding: 'utf8' });
	assert.equal(r.status, 0, `pg.sh ${cmd}: ${r.stderr}`);
	return r.stdout.trim();
}

before(async () => {
	if (!PG) return;
	const port = await freePort();
	/* not under a mkdtemp directory: those are private to root, and the server runs as postgres when we are root */
	env = { ...process.env, CONG_PG_DIR: path.join(os.tmpdir(), `cong-pg-outage-${process.pid}`), CONG_PG_PORT: String(port) };
	pg('start');
	url = pg('createdb', 'outage');
	dir = path.join(await tempDir(), 'data');
	const r = await runCong(['init', '--data', dir, '--db', url, '--demo']);
	assert.equal(r.code, 0, r.stderr);
	const pw = 'Luu-bai-khi-mat-dien-1';
	const u = await runCong(['user', 'add', '--data', dir, '--login', 'bientap', '--role', 'editor', '--password-stdin'], { input: `${pw}\n` });
	assert.equal(u.code, 0, u.stderr);
	srv = await startServer(dir);
	const t = await request(srv, '/api/v1/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login: 'bientap', password: pw }),
	});
	assert.equal(t.status, 201, t.text);
	srv.token = JSON.parse(t.text).token;
});
after(async () => {
	await srv?.stop();
	if (env) spawnSync(path.join(ROOT, 'scripts/pg.sh'), ['stop'], { env });
	await cleanup();
});

async function save(title) {
	try {
		const r = await request(srv, '/api/v1/articles', {
			method: 'POST',
			headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ title, lang: 'vi', category_id: 1, lead: 'Lưu khi cơ sở dữ liệu gặp sự cố', body: 'Nội dung.' }),
			timeout: 20000,
		});
		return { status: r.status, retry: r.headers['retry-after'] };
	} catch (e) {
		return { status: 0, error: String(e) };
	}
}

test('kill -9 of the database during a burst of saves: nothing acknowledged is lost, 503 meanwhile, recovery without restart', { skip }, async (t) => {
	const acked = [], statuses = [];
	let n = 0, killed = false, stop = false;
	const worker = async () => {
		while (!stop) {
			const title = `Bài lưu ${++n} ${Date.now()}`;
			const r = await save(title);
			statuses.push(r);
			if (r.status === 201) acked.push(title);
		}
	};
	const workers = [worker(), worker(), worker(), worker()];
	await poll(() => acked.length >= 20, 20000, 10);
	pg('kill');
	killed = true;
	const down0 = statuses.length;
	await sleep(1500); /* saves keep coming while the database is down */
	const whileDown = statuses.slice(down0);
	pg('restart');
	const healthy = await poll(async () => (await request(srv, '/healthz')).status === 200, 20000, 100);
	const ackedAtRestart = acked.length;
	await poll(() => acked.length >= ackedAtRestart + 10, 20000, 20);
	stop = true;
	await Promise.all(workers);

	assert.ok(killed);
	assert.ok(healthy, 'healthy again without a restart of cong');
	assert.equal(srv.exited(), null, 'the server kept running');
	assert.ok(whileDown.length > 0, 'saves were tried while the database was down');
	for (const r of whileDown) {
		if (r.status === 201) continue; /* committed before the kill took effect */
		assert.equal(r.status, 503, `while down: ${JSON.stringify(r)}`);
		assert.equal(r.retry, '5', 'with Retry-After');
	}
	assert.ok(statuses.every((r) => r.status !== 500 && r.status !== 0), `no 500 and no dropped connection: ${JSON.stringify(statuses.filter((r) => r.status !== 201 && r.status !== 503))}`);
	assert.ok(acked.length >= ackedAtRestart + 10, 'saves work again after the restart');

	t.diagnostic(`${statuses.length} saves: ${acked.length} acknowledged, ${whileDown.filter((x) => x.status === 503).length} answered 503 while the database was down`);
	/* every acknowledged save is in the database */
	const list = acked.map((t) => `'${t.replace(/'/g, "''")}'`).join(',');
	const r = spawnSync('psql', ['-X', '-At', url, '-c', `SELECT count(DISTINCT title) FROM articles WHERE title IN (${list})`], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	assert.equal(Number(r.stdout.trim()), acked.length, `${acked.length} acknowledged saves, all in the database`);
});
