// The calendar admin (admin/calendar.c): the year view, announced days off and working days, their effect
// on due dates computed afterwards (and not on those already set), `cong calendar --data` reading them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { cleanup, initPortal, request, runCong, signIn, sql, startServer } from './helpers.mjs';

let data, srv;
const PW = { boss: 'Quan-tri-lich-2026!', ed: 'Bien-tap-lich-2026!', off: 'Can-bo-lich-2026!!' };
const DAY = 86400;
const now = Math.floor(Date.now() / 1000);
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (s) => Number(sql(data, s));
const localDay = (t) => new Date((t + 7 * 3600) * 1000).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY * 1000).toISOString().slice(0, 10);
const weekday = (d) => new Date(`${d}T00:00:00Z`).getUTCDay();

async function calendar(args) {
	const r = await runCong(['calendar', ...args]);
	assert.equal(r.code, 0, r.stderr);
	return r.stdout;
}

/** The first k working days after today on the computed calendar. */
async function workingDays(k) {
	const y = Number(localDay(now).slice(0, 4));
	const off = new Set();
	for (const year of [y, y + 1]) for (const l of (await calendar([String(year)])).split('\n').filter(Boolean)) off.add(l.split('\t')[0]);
	const out = [];
	for (let d = addDays(localDay(now), 1); out.length < k; d = addDays(d, 1)) if (weekday(d) % 6 !== 0 && !off.has(d)) out.push(d);
	return out;
}

before(async () => {
	data = await initPortal({ demo: false });
	sql(
		data,
		[
			`INSERT INTO agencies (code) VALUES ('000.00.41.H98')`,
			`INSERT INTO agency_i18n (agency_id, lang, name) VALUES ((SELECT id FROM agencies WHERE code = '000.00.41.H98'), 'vi', 'Sở Lịch thử')`,
			`INSERT INTO proc_fields (slug) VALUES ('lich-thu')`,
			`INSERT INTO procedures (code, agency_id, field_id, days, updated_at) VALUES ('9.00L01', (SELECT id FROM agencies WHERE code = '000.00.41.H98'), (SELECT id FROM proc_fields WHERE slug = 'lich-thu'), 3, ${now})`,
		].join(';\n'),
	);
	for (const [login, role, extra] of [['boss', 'admin', []], ['ed', 'editor', []], ['off', 'officer', ['--agency', '000.00.41.H98']]]) {
		const r = await runCong(['user', 'add', '--data', data, '--login', login, '--role', role, '--password-stdin', ...extra], { input: `${PW[login]}\n` });
		assert.equal(r.code, 0, r.stderr);
	}
	srv = await startServer(data);
});
after(cleanup);

let seq = 0;
function newDossier() {
	const code = `000.00.41.H98-251128-${String(++seq).padStart(4, '0')}`;
	sql(
		data,
		`INSERT INTO dossiers (code, procedure_id, agency_id, applicant_name, applicant_id, applicant_phone, submitted_at, token_hash, idem_key, updated_at)` +
			` VALUES (${q(code)}, (SELECT id FROM procedures WHERE code = '9.00L01'), (SELECT id FROM agencies WHERE code = '000.00.41.H98'), 'Vũ Thị Lịch', '001203004567', '0987654321', ${now}, 'x', ${q(`idem-${code}`)}, ${now})`,
	);
	return code;
}

test('only admins reach the calendar; it lists the computed days off of a year', async () => {
	for (const login of ['ed', 'off']) {
		const s = await signIn(srv, login, PW[login]);
		assert.equal((await s.get('/admin/calendar')).status, 403, login);
	}
	const boss = await signIn(srv, 'boss', PW.boss);
	assert.match((await boss.get('/admin')).text, /href="\/admin\/calendar"/, 'in the admin menu');
	const r = await boss.get('/admin/calendar?year=2026');
	assert.equal(r.status, 200);
	assert.equal(r.headers['cache-control'], 'private, no-store');
	const listed = [...r.text.matchAll(/class="cal-day[^"]*" data-date="([0-9-]+)"/g)].map((m) => m[1]);
	const computed = (await calendar(['2026'])).split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
	assert.deepEqual(listed, computed);
	assert.ok(listed.includes('2026-02-17'), 'Tết 2026');
	assert.equal((await boss.get('/en/admin/calendar?year=2026')).status, 200);
});

test('an announced day off moves new due dates, not those already promised; cong calendar --data sees it; removing it undoes it', async () => {
	const boss = await signIn(srv, 'boss', PW.boss);
	const off = await signIn(srv, 'off', PW.off);
	const [w1] = await workingDays(1);
	const year = w1.slice(0, 4);
	/* a dossier received before the change */
	const before = newDossier();
	await off.get(`/admin/dossiers/${before}`);
	assert.equal((await off.post(`/admin/dossiers/${before}/move`, { action: 'receive', expect: 1 })).status, 303);
	const dueBefore = num(`SELECT due_at FROM dossiers WHERE code = ${q(before)}`);
	assert.ok(dueBefore > now);

	await boss.get(`/admin/calendar?year=${year}`);
	assert.equal((await boss.post('/admin/calendar', { date: w1, kind: 'off', name: '' })).status, 400, 'a day off needs its name');
	assert.equal((await boss.post('/admin/calendar', { date: '2026-02-30', kind: 'off', name: 'x' })).status, 400);
	assert.equal((await boss.post('/admin/calendar', { date: w1, kind: 'off', name: 'x' }, { csrf: false })).status, 403);
	const r = await boss.post('/admin/calendar', { date: w1, kind: 'off', name: 'Nghỉ thử nghiệm' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.location, `/admin/calendar?year=${Number(year)}`);
	assert.equal(sql(data, `SELECT off || '|' || name FROM calendar_days WHERE day = ${q(w1)}`), '1|Nghỉ thử nghiệm');
	assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = 'calendar.set' AND detail LIKE ${q(`${w1}%`)}`), 1);
	const page = await boss.get(`/admin/calendar?year=${year}`);
	assert.match(page.text, new RegExp(`data-date="${w1}"><td>[\\s\\S]*?Nghỉ thử nghiệm</td><td>(Announced|Công bố|Đã công bố)`));
	assert.match(page.text, new RegExp(`class="cal-ov" data-date="${w1}"`));

	/* the command line, with and without the portal */
	assert.match(await calendar([year, '--data', data]), new RegExp(`^${w1}\\tNghỉ thử nghiệm$`, 'm'));
	assert.doesNotMatch(await calendar([year]), new RegExp(`^${w1}\\t`, 'm'));
	const prev = addDays(w1, -1);
	const dueWith = (await calendar(['due', `${prev} 16:00`, '1', '--data', data])).trim();
	const dueWithout = (await calendar(['due', `${prev} 16:00`, '1'])).trim();
	assert.equal(dueWithout, `${w1} 17:00`);
	assert.ok(dueWith > dueWithout, `${dueWith} after ${dueWithout}`);

	/* a dossier received now counts around the new day off; the earlier one keeps its date */
	const afterCode = newDossier();
	await off.get(`/admin/dossiers/${afterCode}`);
	assert.equal((await off.post(`/admin/dossiers/${afterCode}/move`, { action: 'receive', expect: 1 })).status, 303);
	const dueAfter = num(`SELECT due_at FROM dossiers WHERE code = ${q(afterCode)}`);
	assert.ok(dueAfter >= dueBefore + DAY, `due ${dueAfter} is a working day later than ${dueBefore}`);
	assert.equal(num(`SELECT due_at FROM dossiers WHERE code = ${q(before)}`), dueBefore, 'already promised: unchanged');
	/* and it stays so when the dossier moves on */
	assert.equal((await off.post(`/admin/dossiers/${before}/move`, { action: 'process', expect: 2 })).status, 303);
	assert.equal(num(`SELECT due_at FROM dossiers WHERE code = ${q(before)}`), dueBefore, 'moved on: still unchanged');

	/* removing it */
	assert.equal((await boss.post('/admin/calendar/remove', { date: w1 })).status, 303);
	assert.equal(num(`SELECT count(*) FROM calendar_days WHERE day = ${q(w1)}`), 0);
	assert.equal(num(`SELECT count(*) FROM audit_log WHERE action = 'calendar.remove' AND detail = ${q(w1)}`), 1);
	assert.doesNotMatch(await calendar([year, '--data', data]), new RegExp(`^${w1}\\t`, 'm'));
	assert.equal((await calendar(['due', `${prev} 16:00`, '1', '--data', data])).trim(), dueWithout);
});

test('an announced working day (a swapped Saturday) counts for due dates; a computed holiday can be made a working day', async () => {
	const boss = await signIn(srv, 'boss', PW.boss);
	const y = Number(localDay(now).slice(0, 4)) + 2;
	let sat = `${y}-03-01`;
	while (weekday(sat) !== 6) sat = addDays(sat, 1);
	const fri = addDays(sat, -1);
	await boss.get(`/admin/calendar?year=${y}`);
	assert.equal((await boss.post('/admin/calendar', { date: sat, kind: 'work', name: '' })).status, 303);
	assert.equal(sql(data, `SELECT off FROM calendar_days WHERE day = ${q(sat)}`), '0');
	assert.equal((await calendar(['due', `${fri} 16:00`, '1', '--data', data])).trim(), `${sat} 17:00`);
	assert.notEqual((await calendar(['due', `${fri} 16:00`, '1'])).trim(), `${sat} 17:00`);
	/* 1 May as a working day: gone from the year's days off */
	assert.match(await calendar([String(y), '--data', data]), new RegExp(`^${y}-05-01\\t`, 'm'));
	assert.equal((await boss.post('/admin/calendar', { date: `${y}-05-01`, kind: 'work', name: '' })).status, 303);
	assert.doesNotMatch(await calendar([String(y), '--data', data]), new RegExp(`^${y}-05-01\\t`, 'm'));
	const page = await boss.get(`/admin/calendar?year=${y}`);
	assert.ok(!page.text.includes(`class="cal-day" data-date="${y}-05-01"`) && !page.text.includes(`class="cal-day cal-weekend" data-date="${y}-05-01"`));
	/* a bad --data is an error, not the computed calendar */
	const bad = await runCong(['calendar', String(y), '--data', '/nonexistent/dir']);
	assert.notEqual(bad.code, 0);
	assert.equal(bad.stdout, '');
});

test('signed out, the calendar sends to the login page; a post is 401', async () => {
	const r = await request(srv, '/admin/calendar');
	assert.equal(r.status, 303);
	assert.equal((await request(srv, '/admin/calendar', { method: 'POST' })).status, 401);
});
