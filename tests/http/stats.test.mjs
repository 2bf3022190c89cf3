// Statistics of the one-stop shop (svc/stats.c): the public summary, its CSV and charts, and the staff
// detail, over a known data set written straight into a bare portal's database.  Every figure below is
// worked out by hand from the dossiers in before(); docs/ARCHITECTURE.md ("Statistics") defines them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addUser, Browser, cleanup, get200, initPortal, request, runCong, sql, startServer, unescapeHtml } from './helpers.mjs';

let data, srv;
const PW = { pub: 'Thong-ke-nguoi-duyet-2026!', ed: 'Thong-ke-bien-tap-2026!', off: 'Thong-ke-can-bo-2026!' };
const A = '000.00.01.H99', B = '000.00.02.H99', C = '000.00.03.H99';
const B_NAME = 'Sở B, "Ký tự" & <đặc biệt>';

/** Unix time of a local (UTC+7) date and time. */
const t = (y, m, d, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h - 7, mi) / 1000;
const q = (s) => (s === null || s === undefined ? 'NULL' : typeof s === 'number' ? String(s) : `'${String(s).replace(/'/g, "''")}'`);
let seq = 0;

/** One dossier row (and its events when given), as the store would have left it. */
function dossier({ proc, agency, status, channel = 'online', received = null, due = null, finished = null, returned = null, rating = null, rated = null, submitted, updated, events = [] }) {
	seq++;
	const code = `${agency}-250101-${String(seq).padStart(4, '0')}`;
	const sub = submitted ?? received ?? updated;
	const upd = updated ?? Math.max(sub, received ?? 0, finished ?? 0, returned ?? 0, rated ?? 0);
	let s =
		`INSERT INTO dossiers (code, procedure_id, agency_id, status, channel, applicant_name, applicant_id, applicant_phone, submitted_at,` +
		` received_at, due_at, finished_at, returned_at, token_hash, idem_key, rating, rated_at, updated_at) VALUES (${q(code)},` +
		` (SELECT id FROM procedures WHERE code = ${q(proc)}), (SELECT id FROM agencies WHERE code = ${q(agency)}), ${status}, ${q(channel)},` +
		` 'Người Thử', '031099000001', '0912345678', ${sub}, ${q(received)}, ${q(due)}, ${q(finished)}, ${q(returned)},` +
		` ${q(`h${seq}`)}, ${q(`stats-test-key-${seq}-0000`)}, ${q(rating)}, ${q(rated)}, ${upd});`;
	for (const e of events)
		s += ` INSERT INTO dossier_events (dossier_id, at, actor, from_status, to_status) VALUES ((SELECT id FROM dossiers WHERE code = ${q(code)}), ${e.at}, 'x', ${e.from}, ${e.to});`;
	return s;
}

before(async () => {
	data = await initPortal({ demo: false });
	const now = Math.floor(Date.now() / 1000), DAY = 86400;
	const setup = [
		`INSERT INTO agencies (code, position) VALUES (${q(A)}, 1), (${q(B)}, 2), (${q(C)}, 3);`,
		`INSERT INTO agency_i18n (agency_id, lang, name) SELECT id, 'vi', 'Sở Thử nghiệm A' FROM agencies WHERE code = ${q(A)};`,
		`INSERT INTO agency_i18n (agency_id, lang, name) SELECT id, 'en', 'Test Department A' FROM agencies WHERE code = ${q(A)};`,
		`INSERT INTO agency_i18n (agency_id, lang, name) SELECT id, 'vi', ${q(B_NAME)} FROM agencies WHERE code = ${q(B)};`,
		`INSERT INTO agency_i18n (agency_id, lang, name) SELECT id, 'vi', 'Sở Thử nghiệm C' FROM agencies WHERE code = ${q(C)};`,
		`INSERT INTO proc_fields (slug) VALUES ('thu-nghiem');`,
		...[['1.000001', A, 5, 'Cấp giấy phép thử nghiệm'], ['1.000002', A, 3, 'Đăng ký thử nghiệm'], ['2.000001', B, 2, 'Xác nhận thử nghiệm'], ['3.000001', C, 5, 'Thẩm định thử nghiệm']].map(
			([code, ag, days, name]) =>
				`INSERT INTO procedures (code, agency_id, field_id, days, updated_at) VALUES (${q(code)}, (SELECT id FROM agencies WHERE code = ${q(ag)}),` +
				` (SELECT id FROM proc_fields WHERE slug = 'thu-nghiem'), ${days}, 0);` +
				` INSERT INTO procedure_i18n (procedure_id, lang, name) SELECT id, 'vi', ${q(name)} FROM procedures WHERE code = ${q(code)};`,
		),
		/* agency A, 2025 */
		dossier({ proc: '1.000001', agency: A, status: 10, channel: 'online', received: t(2025, 3, 3, 9), due: t(2025, 3, 10, 17), finished: t(2025, 3, 5, 10), returned: t(2025, 3, 6, 9), rating: 3, rated: t(2025, 3, 7, 8) }),
		dossier({ proc: '1.000001', agency: A, status: 9, channel: 'counter', received: t(2025, 3, 4, 9), due: t(2025, 3, 11, 17), finished: t(2025, 3, 11, 16), rating: 2, rated: t(2025, 3, 12, 8) }),
		dossier({ proc: '1.000002', agency: A, status: 10, channel: 'api', received: t(2025, 5, 5, 8), due: t(2025, 5, 8, 17), finished: t(2025, 5, 9, 9), returned: t(2025, 5, 9, 15), rating: 1, rated: t(2025, 5, 10, 8) }),
		dossier({ proc: '1.000001', agency: A, status: 4, channel: 'counter', received: t(2025, 11, 3, 9), due: t(2025, 11, 10, 17) }),
		dossier({ proc: '1.000002', agency: A, status: 9, channel: 'online', received: t(2025, 12, 29, 9), due: t(2026, 1, 2, 17), finished: t(2026, 1, 2, 10) }),
		dossier({ proc: '1.000001', agency: A, status: 7, channel: 'online', received: t(2025, 6, 2, 9), updated: t(2025, 6, 4, 10), events: [{ at: t(2025, 6, 4, 10), from: 4, to: 7 }] }),
		dossier({ proc: '1.000001', agency: A, status: 3, channel: 'online', submitted: t(2025, 6, 10, 9), updated: t(2025, 6, 10, 15) }),
		dossier({ proc: '1.000001', agency: A, status: 10, channel: 'online', received: t(2024, 12, 20, 9), due: t(2025, 1, 6, 17), finished: t(2025, 1, 6, 15), returned: t(2025, 1, 7, 9), rating: 3, rated: t(2025, 1, 8, 8) }),
		/* agency B, 2025 */
		dossier({ proc: '2.000001', agency: B, status: 10, channel: 'counter', received: t(2025, 7, 1, 9), due: t(2025, 7, 3, 17), finished: t(2025, 7, 2, 9), returned: t(2025, 7, 3, 9), rating: 3, rated: t(2025, 7, 4, 8) }),
		dossier({ proc: '2.000001', agency: B, status: 9, channel: 'online', received: t(2025, 7, 7, 14), due: t(2025, 7, 9, 17), finished: t(2025, 7, 9, 17) }),
		/* agency C, around now */
		dossier({ proc: '3.000001', agency: C, status: 4, received: now - 20 * DAY, due: now - 2 * DAY }),
		dossier({ proc: '3.000001', agency: C, status: 5, received: now - 10 * DAY }),
		dossier({ proc: '3.000001', agency: C, status: 2, received: now - 3600, due: now + 5 * DAY }),
	];
	sql(data, setup.join('\n'));
	await addUser(data, { login: 'pub', role: 'publisher', password: PW.pub });
	await addUser(data, { login: 'ed', role: 'editor', password: PW.ed });
	const r = await runCong(['user', 'add', '--data', data, '--login', 'off', '--role', 'officer', '--agency', B, '--password-stdin'], { input: `${PW.off}\n` });
	assert.equal(r.code, 0, r.stderr);
	srv = await startServer(data);
});
after(cleanup);

/** The figures of a table's row (by data-code) as {key: text}. */
function row(html, tableId, code) {
	const table = html.match(new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`));
	assert.ok(table, `table ${tableId}`);
	const tr = table[0].match(new RegExp(`<tr data-code="${code.replace(/\./g, '\\.')}">([\\s\\S]*?)</tr>`));
	assert.ok(tr, `row ${code} of ${tableId}`);
	const out = { name: unescapeHtml(((tr[1].match(/<th scope="row">([\s\S]*?)<\/th>/) || [])[1] || '').replace(/<[^>]+>/g, '')).trim() };
	for (const m of tr[1].matchAll(/data-k="([a-z0-9_]+)">([^<]*)/g)) out[m[1]] = unescapeHtml(m[2]).trim();
	return out;
}

/** The SVG chart with id, as text. */
function chart(html, id) {
	const m = html.match(new RegExp(`<svg[^>]*aria-labelledby="${id}-t[^"]*"[\\s\\S]*?</svg>`));
	return m && m[0];
}

/** Parses CSV text (RFC 4180) into rows of fields. */
function parseCsv(text) {
	const rows = [];
	let f = '', r = [], i = 0, quoted = false;
	for (; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') (f += '"'), i++;
			else if (ch === '"') quoted = false;
			else f += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') r.push(f), (f = '');
		else if (ch === '\r' && text[i + 1] === '\n') r.push(f), rows.push(r), (r = []), (f = ''), i++;
		else f += ch;
	}
	if (f || r.length) r.push(f), rows.push(r);
	return rows;
}

describe('the public summary', () => {
	test('year 2025 per agency, in Vietnamese: every figure, and the total', async () => {
		const r = await get200(srv, '/thong-ke-ho-so?year=2025');
		const a = row(r.text, 't-agencies', A);
		assert.equal(a.name, 'Sở Thử nghiệm A');
		assert.deepEqual(
			{ ...a, name: undefined },
			{ name: undefined, received: '6', resolved: '4', early: '1', on_time: '2', late: '1', on_time_pct: '75,0%', in_progress: '2', overdue: '1', online_pct: '66,7%' },
		);
		const b = row(r.text, 't-agencies', B);
		assert.equal(b.name, B_NAME, 'the name is escaped in the page and reads back whole');
		assert.equal(b.received, '2');
		assert.equal(b.on_time_pct, '100,0%');
		assert.equal(b.online_pct, '50,0%');
		assert.equal(b.in_progress, '0');
		const c = row(r.text, 't-agencies', C);
		assert.equal(c.received, '0');
		assert.equal(c.on_time_pct, '—', 'no rate without resolved dossiers');
		const tot = row(r.text, 't-agencies', 'total');
		assert.deepEqual(
			{ ...tot, name: undefined },
			{ name: undefined, received: '8', resolved: '6', early: '2', on_time: '3', late: '1', on_time_pct: '83,3%', in_progress: '2', overdue: '1', online_pct: '62,5%' },
		);
		/* satisfaction */
		const sa = row(r.text, 't-satisfaction', A);
		assert.equal(sa.rated, '4');
		assert.equal(sa.r3, '2');
		assert.equal(sa.avg, '2,25');
		const st = row(r.text, 't-satisfaction', 'total');
		assert.equal(st.rated, '5');
		assert.equal(st.avg, '2,40');
		/* the key figures repeat the total */
		assert.match(r.text, /<dd data-k="on_time_pct">83,3%<\/dd>/);
		assert.match(r.text, /<dd data-k="avg">2,40<\/dd>/);
		assert.match(r.text, /<h1>Thống kê hồ sơ<\/h1>/);
		/* the months of 2025 */
		const months = [...r.text.match(/<table[^>]*id="t-months"[\s\S]*?<\/table>/)[0].matchAll(/data-k="received">(\d+)/g)].map((m) => Number(m[1]));
		assert.deepEqual(months, [0, 0, 2, 0, 1, 1, 2, 0, 0, 0, 1, 1]);
	});

	test('quarter and month periods', async () => {
		const q1 = await get200(srv, '/thong-ke-ho-so?year=2025&period=q1');
		const a = row(q1.text, 't-agencies', A);
		assert.equal(a.received, '2');
		assert.equal(a.resolved, '3', 'one received in December 2024 is resolved in January');
		assert.equal(a.on_time_pct, '100,0%');
		assert.equal(a.in_progress, '0');
		assert.equal(a.online_pct, '50,0%');
		assert.equal(row(q1.text, 't-satisfaction', A).avg, '2,67');
		assert.match(q1.text, /Quý I\/2025/);
		assert.match(q1.text, /<option value="q1" selected>/);

		const nov = await get200(srv, '/thong-ke-ho-so?year=2025&period=m11');
		const n = row(nov.text, 't-agencies', A);
		assert.deepEqual([n.received, n.resolved, n.in_progress, n.overdue, n.online_pct], ['1', '0', '1', '1', '0,0%']);
		/* the twelve months that end with November 2025 */
		assert.match(nov.text, /<th scope="row">12\/2024<\/th><td class="num" data-k="received">1</);
	});

	test('overdue now: the period under way is counted at this moment', async () => {
		const r = await get200(srv, '/thong-ke-ho-so');
		const c = row(r.text, 't-agencies', C);
		assert.equal(c.in_progress, '3', 'in processing, waiting for a supplement, just received');
		assert.equal(c.overdue, '1', 'only the one past its due date; the paused one has none');
	});

	test('English and Chinese pages: the same figures in their number format and names', async () => {
		const en = await get200(srv, '/en/dossier-statistics?year=2025');
		const a = row(en.text, 't-agencies', A);
		assert.equal(a.name, 'Test Department A');
		assert.equal(a.on_time_pct, '75.0%');
		assert.equal(row(en.text, 't-agencies', B).name, B_NAME, 'no English name: the Vietnamese one');
		assert.match(en.text, /<html lang="en"/);
		assert.match(en.text, /hreflang="vi" href="[^"]*\/thong-ke-ho-so\?year=2025&amp;period=y"/);
		const zh = await get200(srv, '/zh/dossier-statistics?year=2025');
		assert.equal(row(zh.text, 't-agencies', 'total').online_pct, '62.5%');
	});

	test('bad periods are not pages', async () => {
		for (const qs of ['year=abc', 'year=1999', 'year=2025&period=q5', 'year=2025&period=m13', 'year=2025&period=x', 'year=99999'])
			assert.equal((await request(srv, `/thong-ke-ho-so?${qs}`)).status, 404, qs);
	});

	test('the charts: accessible SVG with escaped labels and the table\'s numbers', async () => {
		const r = await get200(srv, '/thong-ke-ho-so?year=2025');
		const svg = chart(r.text, 'chart-timeliness');
		assert.ok(svg, 'a timeliness chart');
		assert.match(svg, /role="img"/);
		assert.match(svg, /<title id="chart-timeliness-t">[^<]+<\/title>/);
		assert.match(svg, /<desc id="chart-timeliness-d">Năm 2025\. [^<]+<\/desc>/);
		assert.doesNotMatch(svg, /\sstyle=/, 'no style attributes: the CSP has no unsafe-inline');
		assert.equal((svg.match(/<g class="chart-bar">/g) || []).length, 2, 'a bar per agency with resolved dossiers (C has none)');
		assert.ok(svg.includes('Sở B, &quot;Ký tự&quot; &amp; &lt;đặc biệt&gt;'), 'the label escaped');
		assert.doesNotMatch(svg, /<đặc biệt>/);
		/* the parts of A's bar, with their numbers as tooltips and the rate after it */
		assert.ok(svg.includes('<title>Sở Thử nghiệm A — Trước hạn: 1</title>'));
		assert.ok(svg.includes('<title>Sở Thử nghiệm A — Đúng hạn: 2</title>'));
		assert.ok(svg.includes('<title>Sở Thử nghiệm A — Quá hạn: 1</title>'));
		assert.ok(svg.includes('>75,0% đúng hạn</text>'));
		/* patterns as well as colours, defined once per chart */
		assert.equal((svg.match(/<pattern id="chart-timeliness-p\d"/g) || []).length, 2);

		const monthly = chart(r.text, 'chart-monthly');
		assert.equal((monthly.match(/<g class="chart-bar">/g) || []).length, 12);
		const notes = [...monthly.matchAll(/<text class="chart-note"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
		assert.deepEqual(notes, [0, 0, 2, 0, 1, 1, 2, 0, 0, 0, 1, 1]);
		assert.ok(monthly.includes('>03/2025</text>'));

		const sat = chart(r.text, 'chart-satisfaction');
		assert.ok(sat.includes('>trung bình 2,25</text>'));
	});

	test('CSV: BOM, header, a row per agency and the total, quoted where needed, as an attachment', async () => {
		const r = await request(srv, '/thong-ke-ho-so.csv?year=2025');
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
		assert.equal(r.headers['content-disposition'], 'attachment; filename="thong-ke-ho-so-2025-y.csv"');
		assert.ok(r.text.startsWith('\uFEFF'), 'a byte order mark for Excel');
		assert.ok(r.text.includes('"Sở B, ""Ký tự"" & <đặc biệt>"'), 'quoted, inner quotes doubled');
		const rows = parseCsv(r.text.slice(1));
		assert.deepEqual(rows[0].slice(0, 4), ['Kỳ', 'Mã cơ quan', 'Cơ quan', 'Tiếp nhận']);
		assert.equal(rows.length, 1 + 3 + 1);
		const a = rows.find((x) => x[1] === A);
		assert.deepEqual(a, ['Năm 2025', A, 'Sở Thử nghiệm A', '6', '4', '1', '2', '1', '75.0', '2', '1', '66.7', '4', '2', '1', '1', '2.25']);
		const c = rows.find((x) => x[1] === C);
		assert.equal(c[8], '', 'no rate: an empty cell');
		const total = rows[rows.length - 1];
		assert.deepEqual(total.slice(2), ['Tổng cộng', '8', '6', '2', '3', '1', '83.3', '2', '1', '62.5', '5', '3', '1', '1', '2.40']);
		const en = await request(srv, '/en/dossier-statistics.csv?year=2025&period=q1');
		assert.equal(en.headers['content-disposition'], 'attachment; filename="thong-ke-ho-so-2025-q1.csv"');
		assert.ok(en.text.includes('Received,Resolved,Early,On time,Late'));
	});

	test('reachable from every page: a footer link', async () => {
		const home = await get200(srv, '/');
		assert.match(home.text, /<a href="\/thong-ke-ho-so">Thống kê hồ sơ<\/a>/);
		const en = await get200(srv, '/en/');
		assert.match(en.text, /<a href="\/en\/dossier-statistics">Dossier statistics<\/a>/);
	});
});

describe('the staff detail', () => {
	test('editors may not see it; nobody signed in is sent to sign in', async () => {
		const anon = await request(srv, '/admin/stats?year=2025');
		assert.equal(anon.status, 303);
		assert.match(anon.headers.location, /^\/dang-nhap\?next=/);
		const ed = new Browser(srv);
		assert.equal((await ed.login('ed', PW.ed)).status, 303);
		assert.equal((await ed.get('/admin/stats')).status, 403);
		assert.equal((await ed.get('/admin/stats.csv')).status, 403);
	});

	test('a publisher sees every procedure, grouped by agency, and the filters', async () => {
		const pub = new Browser(srv);
		assert.equal((await pub.login('pub', PW.pub)).status, 303);
		const r = await pub.get('/admin/stats?year=2025');
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /private, no-store/);
		assert.match(r.text, /<a href="\/admin\/stats" aria-current="page">Thống kê<\/a>/, 'in the staff menu');
		const p1 = row(r.text, 't-procedures', '1.000001');
		assert.deepEqual([p1.received, p1.resolved, p1.on_time_pct, p1.in_progress, p1.overdue, p1.online_pct, p1.avg], ['4', '3', '100,0%', '1', '1', '50,0%', '2,67']);
		const p2 = row(r.text, 't-procedures', '1.000002');
		assert.deepEqual([p2.received, p2.resolved, p2.late, p2.on_time_pct, p2.in_progress, p2.overdue, p2.online_pct, p2.avg], ['2', '1', '1', '0,0%', '1', '0', '100,0%', '1,00']);
		assert.doesNotMatch(r.text.match(/<table[^>]*id="t-procedures"[\s\S]*?<\/table>/)[0], /3\.000001/, 'a procedure with nothing in the period is left out');
		assert.match(r.text, /<th scope="rowgroup" colspan="11">Sở B, &quot;Ký tự&quot; &amp; &lt;đặc biệt&gt;<\/th>/);

		/* one agency */
		const bId = sql(data, `SELECT id FROM agencies WHERE code = '${B}'`);
		const rb = await pub.get(`/admin/stats?year=2025&agency=${bId}`);
		assert.equal(rb.status, 200);
		assert.equal(row(rb.text, 't-agencies', 'total').received, '2');
		assert.doesNotMatch(rb.text, /data-code="1\.000001"/);
		assert.match(rb.text, new RegExp(`<option value="${bId}" selected>`));
		assert.equal((await pub.get('/admin/stats?agency=999999')).status, 404);

		/* the procedures' CSV */
		const csv = await pub.get('/admin/stats.csv?year=2025&period=y&table=procedures');
		assert.equal(csv.status, 200);
		assert.equal(csv.headers['content-disposition'], 'attachment; filename="thong-ke-thu-tuc-2025-y.csv"');
		const rows = parseCsv(csv.text.slice(1));
		assert.deepEqual(rows[0].slice(0, 5), ['Kỳ', 'Mã cơ quan', 'Cơ quan', 'Mã thủ tục', 'Thủ tục']);
		const p = rows.find((x) => x[3] === '1.000002');
		assert.deepEqual(p.slice(5), ['2', '1', '0', '0', '1', '0.0', '1', '0', '100.0', '1', '0', '0', '1', '1.00']);
		assert.equal(rows.length, 1 + 3 + 1);
		assert.equal((await pub.get('/admin/stats.csv?table=nope')).status, 404);
	});

	test('an officer sees the statistics of every agency (figures only, no dossier)', async () => {
		const off = new Browser(srv);
		assert.equal((await off.login('off', PW.off)).status, 303);
		const r = await off.get('/admin/stats?year=2025');
		assert.equal(r.status, 200);
		assert.equal(row(r.text, 't-agencies', A).received, '6');
		assert.equal(row(r.text, 't-agencies', B).received, '2');
	});
});
