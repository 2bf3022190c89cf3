// The officers' side of the one-stop shop (admin/dossiers.c, the staff API): every transition by every role,
// notes, conflicts, the apology, the queues and their counts at known times, agencies kept apart (by code,
// id, list filter and file URL), downloads as attachments, printable notices, officers in the users pages.
// Agencies, procedures and dossiers are made here with SQL, so nothing depends on the catalog or the
// citizen pages.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cleanup, initPortal, request, runCong, signIn, sql, startServer } from './helpers.mjs';

let data, srv;
const PW = {
	boss: 'Quan-tri-vien-2026!',
	ed: 'Bien-tap-vien-2026!',
	pub: 'Nguoi-duyet-bai-2026!',
	offa: 'Can-bo-mot-cua-A1!',
	offa2: 'Can-bo-mot-cua-A2!',
	offb: 'Can-bo-mot-cua-B1!',
	offc: 'Can-bo-mot-cua-C1!',
	offnone: 'Can-bo-chua-gan-1!',
};
const AG = {
	A: { code: '000.00.31.H99', name: 'Sở Tư pháp thử nghiệm' },
	B: { code: '000.00.32.H99', name: 'Sở Xây dựng thử nghiệm' },
	C: { code: '000.00.33.H99', name: 'UBND xã Thử Nghiệm' },
};
const now = Math.floor(Date.now() / 1000);
const DAY = 86400;

/* The officers' moves of svc/dossier.c's table: from → [[to, action, note required]]. */
const MOVES = {
	1: [[2, 'receive', 0], [5, 'supplement', 1], [3, 'refuse', 1]],
	2: [[4, 'process', 0], [5, 'supplement', 1]],
	4: [[9, 'complete', 0], [5, 'supplement', 1], [6, 'financial', 1], [8, 'stop', 1]],
	5: [[8, 'stop', 1]],
	6: [[4, 'resume', 0], [8, 'stop', 1]],
	9: [[10, 'return', 0]],
};
const ACTIONS = ['receive', 'supplement', 'refuse', 'process', 'complete', 'financial', 'stop', 'resume', 'return', 'withdraw', 'supplied'];

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const one = (query) => sql(data, query);
const num = (query) => Number(sql(data, query));

async function addUser(login, role, agencies) {
	const r = await runCong(['user', 'add', '--data', data, '--login', login, '--role', role, '--name', `Cán bộ ${login}`, '--password-stdin', ...(agencies ? ['--agency', agencies] : [])], {
		input: `${PW[login]}\n`,
	});
	assert.equal(r.code, 0, r.stderr);
}

/* ---- dossiers made with SQL ----------------------------------------------------------------------- */

let seq = 0;
const statements = [];
/** Queues a dossier (written by flush()); returns its code. */
function mkDossier(agency, { status = 1, received = null, due = null, finished = null, submitted = now - 2 * DAY, name = 'Nguyễn Văn An', apology = null } = {}) {
	const code = `${AG[agency].code}-251128-${String(++seq).padStart(4, '0')}`;
	const a = `(SELECT id FROM agencies WHERE code = ${q(AG[agency].code)})`;
	const p = `(SELECT id FROM procedures WHERE code = ${q(`9.00${agency}01`)})`;
	const rec = received ?? (status > 1 && status !== 3 ? submitted + 3600 : null);
	const v = (x) => (x === null || x === undefined ? 'NULL' : String(x));
	statements.push(
		`INSERT INTO dossiers (code, procedure_id, agency_id, status, applicant_name, applicant_id, applicant_phone, applicant_address, request, submitted_at, received_at, due_at, finished_at, apology_due_at, token_hash, idem_key, updated_at)` +
			` VALUES (${q(code)}, ${p}, ${a}, ${status}, ${q(name)}, '001203004567', '0912345678', 'Số 1 phố Thử, phường Thử', 'Xin cấp bản sao trích lục', ${submitted}, ${v(rec)}, ${v(due)}, ${v(finished)}, ${v(apology)}, 'x', ${q(`idem-${code}`)}, ${submitted})`,
		`INSERT INTO dossier_events (dossier_id, at, actor, from_status, to_status, note) VALUES ((SELECT id FROM dossiers WHERE code = ${q(code)}), ${submitted}, ${q(name)}, 0, 1, '')`,
	);
	if (status !== 1)
		statements.push(
			`INSERT INTO dossier_events (dossier_id, at, actor, from_status, to_status, note) VALUES ((SELECT id FROM dossiers WHERE code = ${q(code)}), ${submitted + 3600}, 'Cán bộ trước', 1, ${status}, 'trạng thái dựng sẵn')`,
		);
	return code;
}
function flush() {
	if (statements.length) sql(data, statements.splice(0).join(';\n'));
}
const statusOf = (code) => num(`SELECT status FROM dossiers WHERE code = ${q(code)}`);
const idOf = (code) => num(`SELECT id FROM dossiers WHERE code = ${q(code)}`);
const url = (code, tail = '') => `/admin/dossiers/${encodeURIComponent(code)}${tail}`;

/* ---- working days as `cong calendar` computes them (the portal has no overrides here) ------------- */

let OFF = new Set();
const localDay = (t) => new Date((t + 7 * 3600) * 1000).toISOString().slice(0, 10);
const localTime = (day, h) => Date.parse(`${day}T00:00:00Z`) / 1000 - 7 * 3600 + h * 3600;
/** The first k working days after the local day of t. */
function workingDaysAfter(t, k) {
	const out = [];
	for (let d = localDay(t); out.length < k; ) {
		d = new Date(Date.parse(`${d}T00:00:00Z`) + DAY * 1000).toISOString().slice(0, 10);
		const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
		if (wd !== 0 && wd !== 6 && !OFF.has(d)) out.push(d);
	}
	return out;
}

before(async () => {
	data = await initPortal({ demo: false });
	const y = Number(localDay(now).slice(0, 4));
	for (const year of [y, y + 1]) {
		const r = await runCong(['calendar', String(year)]);
		assert.equal(r.code, 0, r.stderr);
		for (const line of r.stdout.split('\n').filter(Boolean)) OFF.add(line.split('\t')[0]);
	}
	const s = [];
	for (const [k, ag] of Object.entries(AG)) {
		s.push(`INSERT INTO agencies (code, address) VALUES (${q(ag.code)}, 'Số 2 đường Thử')`);
		s.push(`INSERT INTO agency_i18n (agency_id, lang, name) VALUES ((SELECT id FROM agencies WHERE code = ${q(ag.code)}), 'vi', ${q(ag.name)})`);
		s.push(`INSERT INTO proc_fields (slug) VALUES (${q(`linh-vuc-thu-${k.toLowerCase()}`)})`);
		s.push(
			`INSERT INTO procedures (code, agency_id, field_id, days, updated_at) VALUES (${q(`9.00${k}01`)}, (SELECT id FROM agencies WHERE code = ${q(ag.code)}), (SELECT id FROM proc_fields WHERE slug = ${q(`linh-vuc-thu-${k.toLowerCase()}`)}), 3, ${now})`,
		);
		s.push(`INSERT INTO procedure_i18n (procedure_id, lang, name) VALUES ((SELECT id FROM procedures WHERE code = ${q(`9.00${k}01`)}), 'vi', ${q(`Cấp bản sao trích lục ${k}`)})`);
	}
	sql(data, s.join(';\n'));
	await addUser('boss', 'admin');
	await addUser('ed', 'editor');
	await addUser('pub', 'publisher');
	await addUser('offa', 'officer', AG.A.code);
	await addUser('offa2', 'officer', AG.A.code);
	await addUser('offb', 'officer', AG.B.code);
	await addUser('offc', 'officer', AG.C.code);
	srv = await startServer(data);
});
after(cleanup);

/* ---- roles ------------------------------------------------------------------------------------------ */

describe('who may process', () => {
	test('editors, publishers and admins get 403 on every processing page and action', async () => {
		const code = mkDossier('A');
		flush();
		for (const login of ['ed', 'pub', 'boss']) {
			const s = await signIn(srv, login, PW[login]);
			assert.equal((await s.get('/admin/dossiers')).status, 403, `${login}: the queues`);
			assert.equal((await s.get(url(code))).status, 403, `${login}: a dossier`);
			assert.equal((await s.get(url(code, '/print/control'))).status, 403, `${login}: a notice`);
			const r = await s.post(url(code, '/move'), { action: 'receive', expect: 1 });
			assert.equal(r.status, 403, `${login}: a move`);
			assert.doesNotMatch((await s.get('/admin')).text, /href="\/admin\/dossiers"/, `${login}: no dossiers in the menu`);
		}
		assert.equal(statusOf(code), 1);
	});

	test('signed out: the pages send to the login page, a move is 401', async () => {
		const r = await request(srv, '/admin/dossiers?queue=new');
		assert.equal(r.status, 303);
		assert.match(r.headers.location, /^\/dang-nhap\?next=/);
		assert.equal((await request(srv, '/admin/dossiers/x/move', { method: 'POST' })).status, 401);
	});

	test("an officer lands on their queues at /admin; the menu has dossiers and no articles or calendar", async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const r = await s.get('/admin');
		assert.equal(r.status, 200);
		assert.match(r.text, /class="dq-queues"/);
		assert.match(r.text, /href="\/admin\/dossiers"/);
		assert.doesNotMatch(r.text, /href="\/admin\/articles"/);
		assert.equal((await s.get('/admin/articles')).status, 403);
		assert.equal((await s.get('/admin/calendar')).status, 403);
		assert.equal(r.headers['cache-control'], 'private, no-store');
	});
});

/* ---- every transition ------------------------------------------------------------------------------- */

describe('transitions', () => {
	test('every officer action from every state: allowed ones per the table move and are logged, the others are refused', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const cases = [];
		for (let from = 1; from <= 10; from++)
			for (const action of ACTIONS) cases.push({ from, action, code: mkDossier('A', { status: from, due: [2, 4].includes(from) ? now + 5 * DAY : null }) });
		flush();
		/* the page offers exactly the table's buttons */
		for (let from = 1; from <= 10; from++) {
			const page = await s.get(url(cases.find((c) => c.from === from).code));
			assert.equal(page.status, 200);
			const buttons = [...page.text.matchAll(/name="action" value="([a-z]+)"/g)].map((m) => m[1]);
			assert.deepEqual(buttons, (MOVES[from] || []).map((m) => m[1]), `buttons in state ${from}`);
		}
		for (const c of cases) {
			const mv = (MOVES[c.from] || []).find((m) => m[1] === c.action);
			const note = `Ghi chú ${c.action} từ ${c.from}`;
			const r = await s.post(url(c.code, '/move'), { action: c.action, expect: c.from, note });
			if (mv) {
				assert.equal(r.status, 303, `${c.action} from ${c.from}: ${r.text.slice(0, 300)}`);
				assert.equal(r.headers.location, url(c.code));
				assert.equal(statusOf(c.code), mv[0], `${c.action} from ${c.from}`);
				const ev = one(`SELECT e.from_status || '|' || e.to_status || '|' || e.actor || '|' || e.note FROM dossier_events e WHERE e.dossier_id = ${idOf(c.code)} ORDER BY e.id DESC LIMIT 1`);
				assert.equal(ev, `${c.from}|${mv[0]}|Cán bộ offa|${note}`);
				assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = ${q(`dossier.${c.action}`)} AND object_type = 'dossier' AND object_id = ${idOf(c.code)}`), 1);
			} else {
				assert.equal(r.status, 409, `${c.action} from ${c.from} is not the officer's`);
				assert.equal(statusOf(c.code), c.from);
			}
		}
		/* the times a move sets, and the due date computed when the clock starts */
		const rec = cases.find((c) => c.from === 1 && c.action === 'receive').code;
		assert.ok(num(`SELECT received_at FROM dossiers WHERE code = ${q(rec)}`) >= now);
		assert.ok(num(`SELECT due_at FROM dossiers WHERE code = ${q(rec)}`) > now, 'received: a due date');
		const fin = cases.find((c) => c.from === 4 && c.action === 'complete').code;
		assert.ok(num(`SELECT finished_at FROM dossiers WHERE code = ${q(fin)}`) >= now);
	});

	test('a refusal, a request and a stop need a note: 422 and nothing changes', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const code = mkDossier('A');
		const p = mkDossier('A', { status: 4, due: now + 4 * DAY });
		flush();
		for (const [c, from, action] of [[code, 1, 'refuse'], [code, 1, 'supplement'], [p, 4, 'stop'], [p, 4, 'financial']]) {
			const r = await s.post(url(c, '/move'), { action, expect: from, note: '' });
			assert.equal(r.status, 422, action);
			assert.match(r.text, /role="alert"/);
			assert.equal(statusOf(c), from);
		}
		/* a note is kept in the form when the move is refused */
		const r = await s.post(url(code, '/move'), { action: 'receive', expect: 2, note: 'Ghi chú giữ lại' });
		assert.equal(r.status, 409);
		assert.match(r.text, /Ghi chú giữ lại<\/textarea>/);
	});

	test('two officers at once: the second gets a conflict and changes nothing', async () => {
		const a1 = await signIn(srv, 'offa', PW.offa), a2 = await signIn(srv, 'offa2', PW.offa2);
		const code = mkDossier('A');
		flush();
		const p1 = await a1.get(url(code)), p2 = await a2.get(url(code));
		assert.match(p1.text, /name="expect" value="1"/);
		assert.match(p2.text, /name="expect" value="1"/);
		assert.equal((await a1.post(url(code, '/move'), { action: 'receive', expect: 1 })).status, 303);
		const r = await a2.post(url(code, '/move'), { action: 'refuse', expect: 1, note: 'Hồ sơ không đúng thẩm quyền' });
		assert.equal(r.status, 409);
		assert.match(r.text, /changed this dossier meanwhile|thay đổi/i);
		assert.equal(statusOf(code), 2);
		assert.equal(num(`SELECT count(*) FROM dossier_events WHERE dossier_id = ${idOf(code)}`), 2, 'one new event only');
	});

	test('a move without the CSRF token is refused', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const code = mkDossier('A');
		flush();
		assert.equal((await s.post(url(code, '/move'), { action: 'receive', expect: 1 }, { csrf: false })).status, 403);
		assert.equal(statusOf(code), 1);
	});
});

/* ---- the apology ------------------------------------------------------------------------------------- */

describe('apology', () => {
	test('once only, to a later working day, printable', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const [w1, , w3] = workingDaysAfter(now, 3);
		const due = localTime(w1, 17);
		const code = mkDossier('A', { status: 4, due });
		const fresh = mkDossier('A');
		flush();
		assert.match((await s.get(url(code))).text, /name="new_date"/);
		assert.doesNotMatch((await s.get(url(fresh))).text, /name="new_date"/, 'not before reception');
		assert.equal((await s.post(url(fresh, '/apology'), { new_date: w3, note: 'Chậm' })).status, 422);
		/* not later than the promised date, no reason, not a date */
		assert.equal((await s.post(url(code, '/apology'), { new_date: w1, note: 'Cần xác minh thêm' })).status, 422);
		assert.equal((await s.post(url(code, '/apology'), { new_date: w3, note: '' })).status, 422);
		assert.equal((await s.post(url(code, '/apology'), { new_date: '3/12', note: 'x' })).status, 422);
		const r = await s.post(url(code, '/apology'), { new_date: w3, note: 'Cần xác minh thêm tại địa phương' });
		assert.equal(r.status, 303, r.text.slice(0, 300));
		assert.equal(num(`SELECT apology_due_at FROM dossiers WHERE code = ${q(code)}`), localTime(w3, 17));
		assert.equal(num(`SELECT due_at FROM dossiers WHERE code = ${q(code)}`), due, 'the statutory date stays');
		assert.equal(num(`SELECT count(*) FROM dossier_events WHERE dossier_id = ${idOf(code)} AND kind = 'apology'`), 1);
		assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = 'dossier.apology' AND object_id = ${idOf(code)}`), 1);
		const again = await s.post(url(code, '/apology'), { new_date: workingDaysAfter(now, 5)[4], note: 'Lần hai' });
		assert.equal(again.status, 409, 'once only');
		assert.doesNotMatch((await s.get(url(code))).text, /name="new_date"/, 'no second form');
		const pr = await s.get(url(code, '/print/apology'));
		assert.equal(pr.status, 200);
		assert.match(pr.text, /Cần xác minh thêm tại địa phương/);
		const [y, m, d] = w3.split('-');
		assert.ok(pr.text.includes(`${d}/${m}/${y}`), 'the new date on the notice');
		assert.ok(pr.text.includes(AG.A.name) && pr.text.includes(code));
	});
});

/* ---- queues ------------------------------------------------------------------------------------------ */

describe('queues', () => {
	const codes = {};
	before(() => {
		const [w1, , w3] = workingDaysAfter(now, 3);
		const tomorrow = localTime(localDay(now + DAY), 0);
		codes.n1 = mkDossier('C', { submitted: now - 3 * DAY });
		codes.n2 = mkDossier('C', { submitted: now - DAY });
		codes.od = mkDossier('C', { status: 4, submitted: now - 12 * DAY, received: now - 11 * DAY, due: now - 2 * DAY });
		codes.td = mkDossier('C', { status: 2, due: Math.max(now + 30, tomorrow - 60) });
		codes.s1 = mkDossier('C', { status: 4, due: localTime(w1, 12) });
		codes.s3 = mkDossier('C', { status: 4, due: localTime(w3, 12) });
		codes.w5 = mkDossier('C', { status: 5 });
		codes.w6 = mkDossier('C', { status: 6 });
		codes.dn = mkDossier('C', { status: 9, due: now - 2 * DAY, finished: now - DAY });
		codes.rt = mkDossier('C', { status: 10, due: now - 5 * DAY, finished: now - 6 * DAY });
		codes.rf = mkDossier('C', { status: 3 });
		flush();
	});
	const EXPECT = {
		new: ['n1', 'n2'],
		due_today: ['td'],
		due_soon: ['td', 's1'],
		overdue: ['od'],
		waiting: ['w5', 'w6'],
		processing: ['od', 'td', 's1', 's3', 'dn'],
		all: ['n1', 'n2', 'od', 'td', 's1', 's3', 'w5', 'w6', 'dn', 'rt', 'rf'],
	};

	test('each queue lists its dossiers, with the counts on every tab', async () => {
		const s = await signIn(srv, 'offc', PW.offc);
		for (const [queue, want] of Object.entries(EXPECT)) {
			const r = await s.get(`/admin/dossiers?queue=${queue}`);
			assert.equal(r.status, 200);
			const listed = [...r.text.matchAll(/class="dq-code" href="[^"]+">([^<]+)</g)].map((m) => m[1]);
			assert.deepEqual([...listed].sort(), want.map((k) => codes[k]).sort(), queue);
			for (const [k, w] of Object.entries(EXPECT)) assert.match(r.text, new RegExp(`data-queue="${k}">${w.length}<`), `count of ${k}`);
			assert.match(r.text, new RegExp(`class="dq-total">${want.length}<`));
		}
		/* new ones first come first served; the time queues by due date */
		const n = await s.get('/admin/dossiers?queue=new');
		assert.ok(n.text.indexOf(codes.n1) < n.text.indexOf(codes.n2));
		const soon = await s.get('/admin/dossiers?queue=due_soon');
		assert.ok(soon.text.indexOf(codes.td) < soon.text.indexOf(codes.s1));
		/* the overdue one is marked, and the dossier page says so */
		assert.match((await s.get(url(codes.od))).text, /dq-tl-overdue/);
		assert.match((await s.get(url(codes.dn))).text, /dq-tl-late/, 'finished after the due date: late');
	});

	test('filters: status, code, procedure; an unknown queue shows the new ones', async () => {
		const s = await signIn(srv, 'offc', PW.offc);
		const st = await s.get('/admin/dossiers?queue=all&status=6');
		assert.deepEqual([...st.text.matchAll(/class="dq-code" href="[^"]+">([^<]+)</g)].map((m) => m[1]), [codes.w6]);
		const tail = codes.s3.slice(-8).toLowerCase();
		const byCode = await s.get(`/admin/dossiers?queue=all&q=${encodeURIComponent(tail)}`);
		assert.deepEqual([...byCode.text.matchAll(/class="dq-code" href="[^"]+">([^<]+)</g)].map((m) => m[1]), [codes.s3]);
		const wild = await s.get('/admin/dossiers?queue=all&q=%25');
		assert.match(wild.text, /class="dq-total">0</, 'a % is a character, not a wildcard');
		const pid = num(`SELECT id FROM procedures WHERE code = '9.00C01'`);
		assert.match((await s.get(`/admin/dossiers?queue=all&procedure=${pid}`)).text, /class="dq-total">11</);
		assert.match((await s.get('/admin/dossiers?queue=bogus')).text, /class="dq-total">2</);
	});

	test('the API lists the same queues with the same counts', async () => {
		const token = await apiLogin('offc');
		for (const [queue, want] of Object.entries(EXPECT)) {
			const r = await api('GET', `/api/v1/staff/dossiers?queue=${queue}`, { token });
			assert.equal(r.status, 200, r.text);
			const b = JSON.parse(r.text);
			assert.equal(b.queue, queue);
			assert.equal(b.total, want.length);
			assert.deepEqual(b.items.map((i) => i.code).sort(), want.map((k) => codes[k]).sort());
			for (const [k, w] of Object.entries(EXPECT)) assert.equal(b.counts[k], w.length, `${queue}: count of ${k}`);
		}
		const b = JSON.parse((await api('GET', '/api/v1/staff/dossiers?queue=overdue', { token })).text);
		assert.equal(b.items[0].timeliness, 'overdue');
		assert.equal(b.items[0].status_key, 'processing');
		assert.match(b.items[0].due_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
		assert.equal((await api('GET', '/api/v1/staff/dossiers?queue=nope', { token })).status, 400);
		const p = JSON.parse((await api('GET', '/api/v1/staff/dossiers?queue=all&per_page=4&page=3', { token })).text);
		assert.equal(p.items.length, 3);
		assert.equal(p.total, 11);
	});
});

/* ---- agencies kept apart ---------------------------------------------------------------------------- */

async function addFile(code, name, bytes) {
	const stored = `${idOf(code).toString(16).padStart(8, '0')}${'ab'.repeat(12)}`;
	await mkdir(path.join(data, 'dossiers'), { recursive: true });
	await writeFile(path.join(data, 'dossiers', stored), bytes);
	sql(data, `INSERT INTO dossier_files (dossier_id, stored, filename, mime, bytes, sha256, added_at) VALUES (${idOf(code)}, ${q(stored)}, ${q(name)}, 'application/pdf', ${bytes.length}, 'x', ${now})`);
	return num(`SELECT id FROM dossier_files WHERE stored = ${q(stored)}`);
}

describe('agencies kept apart', () => {
	let codeA, codeB, fileA, fileB;
	const PDF = Buffer.from('%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n');
	before(async () => {
		codeA = mkDossier('A', { name: 'Trần Thị Bình' });
		codeB = mkDossier('B', { name: 'Lê Văn Bí Mật' });
		flush();
		fileA = await addFile(codeA, 'Bản sao CCCD "mặt trước".pdf', PDF);
		fileB = await addFile(codeB, 'Giấy tờ B.pdf', PDF);
	});

	test("another agency's dossier is 404 by code, by id, by file and by notice — like one that does not exist", async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const missing = await s.get(url('000.00.31.H99-251128-9999'));
		assert.equal(missing.status, 404);
		for (const u of [url(codeB), `/admin/dossiers/${idOf(codeB)}`, url(codeB, `/files/${fileB}`), url(codeA, `/files/${fileB}`), url(codeB, '/print/control')]) {
			const r = await s.get(u);
			assert.equal(r.status, 404, u);
			assert.doesNotMatch(r.text, /Bí Mật/, u);
			const same = (t) => t.replaceAll(/http:\/\/[^"]*\/admin\/dossiers\/[^"]*/g, 'URL');
			assert.equal(same(r.text), same(missing.text), `${u}: the same answer as a missing code`);
		}
		const post = await s.post(url(codeB, '/move'), { action: 'receive', expect: 1 });
		assert.equal(post.status, 404);
		assert.equal((await s.post(url(codeB, '/apology'), { new_date: '2099-01-05', note: 'x' })).status, 404);
		assert.equal(statusOf(codeB), 1);
		/* the own dossier by its id works */
		assert.equal((await s.get(`/admin/dossiers/${idOf(codeA)}`)).status, 200);
	});

	test("a list filter never reaches another agency's dossiers", async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const agB = num(`SELECT id FROM agencies WHERE code = ${q(AG.B.code)}`);
		const pB = num(`SELECT id FROM procedures WHERE code = '9.00B01'`);
		for (const u of [`/admin/dossiers?queue=all&agency=${agB}`, `/admin/dossiers?queue=all&procedure=${pB}`, `/admin/dossiers?queue=all&q=${encodeURIComponent(codeB)}`, '/admin/dossiers?queue=all']) {
			const r = await s.get(u);
			assert.equal(r.status, 200);
			assert.ok(![...r.text.matchAll(/class="dq-code" href="[^"]+">([^<]+)</g)].some((m) => m[1] === codeB), u);
			assert.ok(!r.text.includes(`href="${url(codeB)}"`), u);
			assert.doesNotMatch(r.text, /Bí Mật|Xây dựng thử nghiệm/, u);
		}
		const own = await s.get('/admin/dossiers?queue=all');
		assert.ok(own.text.includes(codeA));
		const token = await apiLogin('offa');
		for (const u of [`/api/v1/staff/dossiers?queue=all&agency=${agB}`, `/api/v1/staff/dossiers?queue=all&q=${encodeURIComponent(codeB)}`]) {
			const b = JSON.parse((await api('GET', u, { token })).text);
			assert.ok(b.items.every((i) => i.agency_code === AG.A.code), u);
		}
		assert.equal((await api('GET', `/api/v1/staff/dossiers/${encodeURIComponent(codeB)}`, { token })).status, 404);
	});

	test('documents are downloads: attachment, UTF-8 name, nosniff, private no-store, the exact bytes', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const page = await s.get(url(codeA));
		assert.ok(page.text.includes(`href="${url(codeA, `/files/${fileA}`)}"`));
		const r = await s.get(url(codeA, `/files/${fileA}`));
		assert.equal(r.status, 200);
		assert.ok(r.body.equals(PDF));
		const cd = r.headers['content-disposition'];
		assert.match(cd, /^attachment; /);
		assert.ok(cd.includes(`filename*=UTF-8''${encodeURIComponent('Bản sao CCCD "mặt trước".pdf').replace(/'/g, '%27')}`), cd);
		assert.match(cd, /filename="ban_sao_cccd__mat_truoc_.pdf"/);
		assert.equal(r.headers['x-content-type-options'], 'nosniff');
		assert.equal(r.headers['cache-control'], 'private, no-store');
		assert.equal(r.headers['content-type'], 'application/pdf');
		assert.ok(num(`SELECT count(*) FROM audit_log WHERE action = 'dossier.file' AND object_id = ${idOf(codeA)}`) >= 1);
		const b = await signIn(srv, 'offb', PW.offb);
		assert.equal((await b.get(url(codeA, `/files/${fileA}`))).status, 404);
		assert.equal((await b.get(url(codeB, `/files/${fileB}`))).status, 200);
		const ed = await signIn(srv, 'ed', PW.ed);
		assert.equal((await ed.get(url(codeA, `/files/${fileA}`))).status, 403);
		assert.equal((await request(srv, url(codeA, `/files/${fileA}`))).status, 303, 'signed out: to the login page');
	});
});

/* ---- printable notices --------------------------------------------------------------------------------- */

describe('notices', () => {
	test('the request for documents lists what is missing; a notice with no event is 404; the control sheet prints', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const code = mkDossier('A', { name: 'Phạm Thị Cúc' });
		flush();
		const missing = 'Bản sao giấy khai sinh có chứng thực;\nẢnh 4x6 chụp trong 6 tháng';
		assert.equal((await s.post(url(code, '/move'), { action: 'supplement', expect: 1, note: missing })).status, 303);
		const page = await s.get(url(code));
		assert.ok(page.text.includes(url(code, '/print/supplement')));
		assert.ok(!page.text.includes(url(code, '/print/refusal')));
		const pr = await s.get(url(code, '/print/supplement'));
		assert.equal(pr.status, 200);
		assert.equal(pr.headers['cache-control'], 'private, no-store');
		assert.ok(pr.text.includes(code) && pr.text.includes(AG.A.name) && pr.text.includes('Phạm Thị Cúc'));
		assert.ok(pr.text.includes('Ảnh 4x6 chụp trong 6 tháng'));
		assert.match(pr.text, /class="ps-sheet"/);
		assert.doesNotMatch(pr.text, /class="staffbar"/, 'no staff menu on paper');
		assert.equal((await s.get(url(code, '/print/refusal'))).status, 404);
		assert.equal((await s.get(url(code, '/print/bogus'))).status, 404);
		const ctl = await s.get(url(code, '/print/control'));
		assert.equal(ctl.status, 200);
		assert.equal([...ctl.text.matchAll(/<tr><td>\d+<\/td>/g)].length, 2, 'both events on the sheet');
		const refused = mkDossier('A');
		flush();
		assert.equal((await s.post(url(refused, '/move'), { action: 'refuse', expect: 1, note: 'Không thuộc thẩm quyền giải quyết' })).status, 303);
		const rf = await s.get(url(refused, '/print/refusal'));
		assert.equal(rf.status, 200);
		assert.match(rf.text, /Không thuộc thẩm quyền giải quyết/);
	});

	test('the dossier page shows the applicant, the request and the control sheet', async () => {
		const s = await signIn(srv, 'offa', PW.offa);
		const code = mkDossier('A', { status: 4, due: now + 3 * DAY, name: 'Đỗ Văn Đức' });
		flush();
		const r = await s.get(url(code));
		assert.equal(r.status, 200);
		assert.equal(r.headers['cache-control'], 'private, no-store');
		for (const t of ['Đỗ Văn Đức', '001203004567', '0912345678', 'Xin cấp bản sao trích lục', 'trạng thái dựng sẵn', 'Cán bộ trước', 'Cấp bản sao trích lục A'])
			assert.ok(r.text.includes(t), t);
		assert.match(r.text, /class="dq-tl dq-tl-in_time"/);
	});
});

/* ---- the staff API -------------------------------------------------------------------------------------- */

async function api(method, p, { token, body } = {}) {
	const headers = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	return request(srv, p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
async function apiLogin(login) {
	const r = await api('POST', '/api/v1/session', { body: { login, password: PW[login] } });
	assert.equal(r.status, 201, r.text);
	return JSON.parse(r.text).token;
}

describe('staff API', () => {
	test('transition: 200 with the new state, 409 on a stale expect or a move the table lacks, 422 without a note, 404 across agencies, 403 for other roles', async () => {
		const token = await apiLogin('offa');
		const code = mkDossier('A');
		const other = mkDossier('B');
		flush();
		const t = (c, body, tok = token) => api('POST', `/api/v1/staff/dossiers/${encodeURIComponent(c)}/transition`, { token: tok, body });
		let r = await t(code, { to: 'received', expect: 1, note: 'Đủ thành phần' });
		assert.equal(r.status, 200, r.text);
		let b = JSON.parse(r.text);
		assert.equal(b.code, code);
		assert.equal(b.status, 2);
		assert.equal(b.status_key, 'received');
		assert.match(b.due_at, /\+07:00$/);
		assert.deepEqual(b.moves.map((m) => m.action), ['process', 'supplement']);
		r = await t(code, { to: 3, expect: 1, note: 'x' });
		assert.equal(r.status, 409);
		assert.equal(JSON.parse(r.text).error, 'conflict');
		assert.equal(JSON.parse(r.text).status, 2);
		r = await t(code, { to: 'refused', note: 'x' });
		assert.equal(r.status, 409);
		assert.equal(JSON.parse(r.text).error, 'bad_state');
		r = await t(code, { to: 5, expect: 'received' });
		assert.equal(r.status, 422);
		assert.equal(JSON.parse(r.text).error, 'note_required');
		assert.equal((await t(code, { to: 'nonsense' })).status, 422);
		assert.equal((await t(code, { to: 99 })).status, 422);
		r = await t(code, { to: 4 });
		assert.equal(r.status, 200);
		assert.equal(JSON.parse(r.text).status_key, 'processing');
		assert.equal((await t(other, { to: 2, expect: 1 })).status, 404);
		assert.equal((await t('000.00.31.H99-000000-0000', { to: 2 })).status, 404);
		assert.equal(statusOf(other), 1);
		assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = 'dossier.receive' AND object_id = ${idOf(code)}`), 1);
		for (const login of ['boss', 'ed', 'pub']) {
			const tok = await apiLogin(login);
			assert.equal((await t(other, { to: 2 }, tok)).status, 403, login);
			assert.equal((await api('GET', '/api/v1/staff/dossiers', { token: tok })).status, 403, login);
		}
		assert.equal((await api('GET', '/api/v1/staff/dossiers')).status, 401);
		const one = JSON.parse((await api('GET', `/api/v1/staff/dossiers/${encodeURIComponent(code)}`, { token })).text);
		assert.equal(one.applicant.phone, '0912345678');
	});
});

/* ---- officers in the users pages -------------------------------------------------------------------------- */

describe('officer accounts', () => {
	test('an admin creates an officer with agencies, changes them, and an officer without agencies sees nothing', async () => {
		const boss = await signIn(srv, 'boss', PW.boss);
		const form = await boss.get('/admin/users/new');
		assert.match(form.text, /<option value="officer"/);
		const agA = num(`SELECT id FROM agencies WHERE code = ${q(AG.A.code)}`), agC = num(`SELECT id FROM agencies WHERE code = ${q(AG.C.code)}`);
		assert.match(form.text, new RegExp(`name="agency" type="checkbox" value="${agA}"`));
		const post = (p, pairs) => {
			const body = new URLSearchParams([['csrf', boss.csrf], ...pairs]).toString();
			return boss.request(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }, body });
		};
		let r = await post('/admin/users/new', [['login', 'offnew'], ['name', 'Cán bộ mới'], ['role', 'officer'], ['agency', String(agA)], ['agency', String(agC)], ['password', PW.offa2 + 'x'], ['password2', PW.offa2 + 'x']]);
		assert.equal(r.status, 303, r.text.slice(0, 400));
		const uid = num("SELECT id FROM users WHERE login = 'offnew'");
		assert.equal(one(`SELECT role FROM users WHERE id = ${uid}`), 'officer');
		assert.equal(num(`SELECT count(*) FROM officer_agencies WHERE user_id = ${uid}`), 2);
		const edit = await boss.get(`/admin/users/${uid}`);
		assert.match(edit.text, new RegExp(`value="${agA}" checked`));
		r = await post(`/admin/users/${uid}`, [['name', 'Cán bộ mới'], ['email', ''], ['role', 'officer'], ['agency', String(agC)]]);
		assert.equal(r.status, 303);
		assert.equal(one(`SELECT group_concat(agency_id, ',') FROM officer_agencies WHERE user_id = ${uid}`), String(agC));
		assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = 'user.agencies' AND object_id = ${uid}`), 2);
		/* another role keeps no agencies */
		r = await post(`/admin/users/${uid}`, [['name', 'Cán bộ mới'], ['email', ''], ['role', 'editor'], ['agency', String(agC)]]);
		assert.equal(r.status, 303);
		assert.equal(num(`SELECT count(*) FROM officer_agencies WHERE user_id = ${uid}`), 0);
		/* an officer with no agency */
		r = await post('/admin/users/new', [['login', 'offnone'], ['name', 'Chưa gán'], ['role', 'officer'], ['password', PW.offnone], ['password2', PW.offnone]]);
		assert.equal(r.status, 303, r.text.slice(0, 400));
		const none = await signIn(srv, 'offnone', PW.offnone);
		const list = await none.get('/admin/dossiers?queue=all');
		assert.equal(list.status, 200);
		assert.match(list.text, /class="notice notice-warn"/);
		assert.match(list.text, /class="dq-total">0</);
		for (const k of Object.keys(MOVES).length ? ['new', 'due_today', 'due_soon', 'overdue', 'waiting', 'processing', 'all'] : []) assert.match(list.text, new RegExp(`data-queue="${k}">0<`));
		const anyA = one(`SELECT code FROM dossiers WHERE agency_id = ${agA} LIMIT 1`);
		assert.equal((await none.get(url(anyA))).status, 404);
	});
});
