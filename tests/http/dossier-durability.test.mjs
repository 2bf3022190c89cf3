// Durability of submissions: 500 dossiers with files sent through the API by many clients at once, while
// the server is killed with SIGKILL at random moments and started again.  Clients retry with the same
// Idempotency-Key, as a real one would.  Afterwards every acknowledged submission (201, or 200 for a replay)
// is complete — its row, every file on disk, each file's sha256 as recorded and as sent — and no dossier
// row is half-made (each has its files).  Files left on disk by a submission that died before its commit are
// counted (they cost only space), not failed.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { cleanup, initPortal, request, sleep, sql, startServer } from './helpers.mjs';
import { DOC_OPT, DOC_REQ, PROC, addTestProcedure, applicant, multipart, sha256 } from './fixtures/dossier.mjs';

const TOTAL = 500;
const CONCURRENCY = 24;

after(cleanup);

function pdf(n) {
	const b = Buffer.alloc(n);
	for (let i = 0; i < n; i++) b[i] = (i * 7919 + n) & 0xff;
	Buffer.from('%PDF-1.4\n').copy(b);
	return b;
}

test('500 submissions survive SIGKILLs: every acknowledged one is whole, none is half-made', { timeout: 120000 }, async () => {
	const t0 = Date.now();
	const dir = await initPortal({ demo: false });
	addTestProcedure(dir);
	let srv = await startServer(dir, { flags: ['--page_cache', 'off'] });
	let restarting = null, kills = 0, done = false;
	const acked = new Map(); /* code → {key, files: [sha256]} */

	/* the killer: SIGKILL at a random moment — after every 30–80 acknowledgements, plus a random delay, so
	 * both backends get several kills whatever their speed — start again, repeat while clients work */
	let killAt = 20 + Math.floor(Math.random() * 40);
	const killer = (async () => {
		while (!done) {
			while (!done && acked.size < killAt) await sleep(2);
			await sleep(Math.random() * 30);
			killAt += 30 + Math.floor(Math.random() * 50);
			if (done) break;
			const old = srv;
			restarting = (async () => {
				old.proc.kill('SIGKILL');
				await new Promise((r) => (old.exited() ? r() : old.proc.once('exit', r)));
				kills++;
				srv = await startServer(dir, { flags: ['--page_cache', 'off'] });
			})();
			await restarting;
			restarting = null;
		}
	})();

	let next = 0, retries = 0;
	async function one(i) {
		const key = `dur-${process.pid}-${i}-${'x'.repeat(8)}`;
		const files = [{ name: String(DOC_REQ), filename: `to-khai-${i}.pdf`, data: pdf(2000 + (i % 17) * 997) }];
		if (i % 3 === 0) files.push({ name: String(DOC_OPT), filename: `ban-sao-${i}.pdf`, data: pdf(5000 + i) });
		const mp = multipart({ procedure_code: PROC, ...applicant({ applicant_name: `Người nộp ${i}` }) }, files);
		for (let attempt = 0; attempt < 200; attempt++) {
			if (restarting) await restarting.catch(() => {});
			let r;
			try {
				r = await request(srv, '/api/v1/dossiers', {
					method: 'POST', timeout: 10000,
					headers: { 'content-type': mp.contentType, 'content-length': mp.body.length, 'idempotency-key': key },
					body: mp.body,
				});
			} catch {
				retries++;
				await sleep(20);
				continue;
			}
			if (r.status === 503) {
				retries++;
				await sleep(50);
				continue;
			}
			assert.ok(r.status === 201 || r.status === 200, `submission ${i}: ${r.status} ${r.text}`);
			const j = JSON.parse(r.text);
			assert.ok(!acked.has(j.code) || acked.get(j.code).key === key, `code ${j.code} given to two submissions`);
			acked.set(j.code, { key, files: files.map((f) => sha256(f.data)) });
			return;
		}
		throw new Error(`submission ${i} never acknowledged`);
	}
	await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
		while (next < TOTAL) await one(next++);
	}));
	done = true;
	await killer;
	await srv.stop();

	assert.equal(acked.size, TOTAL, 'every submission acknowledged once (one code per key)');
	assert.ok(kills >= 5, `the server was killed ${kills} times`);

	/* every acknowledged dossier is whole */
	const rows = sql(dir, `SELECT d.code, d.idem_key, count(f.id) FROM dossiers d LEFT JOIN dossier_files f ON f.dossier_id = d.id
		WHERE d.procedure_id = 901 GROUP BY d.code, d.idem_key`).split('\n').filter(Boolean).map((l) => l.split('|'));
	const byCode = new Map(rows.map(([code, key, n]) => [code, { key, n: Number(n) }]));
	assert.equal(byCode.size, TOTAL, 'one row per submission: retries made no second dossier');
	/* every file row at once (one query: psql per dossier would take longer than the whole run) */
	const fileRows = new Map();
	for (const l of sql(dir, `SELECT d.code, f.stored, f.sha256, f.bytes FROM dossier_files f JOIN dossiers d ON d.id = f.dossier_id
		WHERE d.procedure_id = 901 ORDER BY f.id`).split('\n').filter(Boolean)) {
		const [code, stored, sum, bytes] = l.split('|');
		if (!fileRows.has(code)) fileRows.set(code, []);
		let ok = false;
		try {
			const data = await readFile(path.join(dir, 'dossiers', stored));
			ok = sha256(data) === sum && data.length === Number(bytes);
		} catch {
			ok = false;
		}
		fileRows.get(code).push({ stored, sha256: sum, ok });
	}
	for (const [code, want] of acked) {
		const row = byCode.get(code);
		assert.ok(row, `acknowledged ${code} is in the database`);
		assert.equal(row.key, want.key);
		const files = fileRows.get(code) || [];
		assert.equal(files.length, want.files.length, `${code}: every file recorded`);
		for (const f of files) assert.ok(f.ok, `${code}: ${f.stored} on disk with its sha256`);
		assert.deepEqual(files.map((f) => f.sha256).sort(), [...want.files].sort(), `${code}: the files sent`);
	}
	/* none half-made: no row without its files */
	for (const [code, row] of byCode) assert.ok(row.n >= 1, `${code} has no files`);
	/* codes: one per agency-day sequence number, no duplicates */
	assert.equal(new Set(rows.map(([c]) => c)).size, rows.length);

	const onDisk = (await readdir(path.join(dir, 'dossiers'))).filter((n) => /^[0-9a-f]{32}$/.test(n));
	const referenced = Number(sql(dir, 'SELECT count(*) FROM dossier_files'));
	const orphans = onDisk.length - referenced;
	console.log(`${TOTAL} submissions, ${kills} SIGKILLs, ${retries} client retries, ${orphans} orphan file(s), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	assert.ok(orphans >= 0, 'every recorded file is on disk');
});
