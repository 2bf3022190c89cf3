// The citizen's side of a dossier (svc/citizen.c): the submission form and its errors, idempotency, codes,
// the receipt behind the token, lookup and its throttling, supplement / withdraw / rating, the JSON API,
// and the receipt email through a local SMTP sink (also when the relay was down at first).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, assertGracefulStop, cleanup, initPortal, poll, request, sql, startServer, unescapeHtml } from './helpers.mjs';
import { startSmtpSink } from './fixtures/smtp-sink.mjs';
import {
	AGENCY, DOC_OPT, DOC_REQ, PDF, PNG, PROC, addTestProcedure, applicant, checkFiles, hidden, multipart, openForm,
	receiptParts, submitForm, todayCode,
} from './fixtures/dossier.mjs';

let dir, srv, sink;

before(async () => {
	dir = await initPortal({ demo: false });
	addTestProcedure(dir);
	sink = await startSmtpSink();
	srv = await startServer(dir, {
		flags: ['--smtp_host', '127.0.0.1', '--smtp_port', String(sink.port), '--smtp_from', 'cong@example.vn', '--smtp_retry', '1'],
	});
});
after(async () => {
	await sink?.close();
	await cleanup();
});

const count = (where) => Number(sql(dir, `SELECT count(*) FROM dossiers WHERE ${where}`));
const clearThrottle = () => sql(dir, "DELETE FROM login_throttle WHERE key LIKE 'lookup:%'");

/** Submits a good dossier through the form; {code, token, location}. */
async function submitOk(fields = {}, files) {
	const b = new Browser(srv);
	const form = await openForm(b);
	const r = await submitForm(b, form, { fields, files });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	return { ...receiptParts(r.headers.location), location: r.headers.location, browser: b };
}

test('the form is generated from the procedure: one slot per document, required marked, a fresh key, private', async () => {
	const b = new Browser(srv);
	const r = await b.get(`/thu-tuc/${PROC}/nop-ho-so`);
	assert.equal(r.status, 200);
	assert.match(r.headers['cache-control'], /private, no-store/);
	assert.match(r.headers['x-robots-tag'], /noindex/);
	assert.match(r.text, new RegExp(`name="doc_${DOC_REQ}" type="file"[^>]* required`));
	assert.match(r.text, new RegExp(`name="doc_${DOC_OPT}" type="file"`));
	assert.doesNotMatch(r.text, new RegExp(`name="doc_${DOC_OPT}" type="file"[^>]* required`));
	assert.match(r.text, /Tờ khai đề nghị/);
	assert.match(hidden(r.text, 'idem'), /^[0-9a-f]{32}$/);
	const again = await b.get(`/thu-tuc/${PROC}/nop-ho-so`);
	assert.notEqual(hidden(again.text, 'idem'), hidden(r.text, 'idem'), 'every form gets its own key');
	const en = await b.get(`/en/procedures/${PROC}/submit`);
	assert.equal(en.status, 200);
	assert.match(en.text, /Application form/);
	assert.equal((await b.get('/zh/procedures/9.999999/submit')).status, 404);
});

test('a good submission: 303 to the receipt with the token; code <agency>-<YYMMDD>-<NNNN>; files on disk with their checksum', async () => {
	const { code, token, location } = await submitOk({}, [
		{ name: `doc_${DOC_REQ}`, filename: 'to-khai.pdf', data: PDF },
		{ name: `doc_${DOC_OPT}`, filename: 'ban-sao.png', data: PNG, type: 'image/png' },
	]);
	assert.ok(token);
	assert.match(location, /^\/ho-so\//);
	assert.match(code, new RegExp(`^${AGENCY.replace(/\./g, '\\.')}-${todayCode()}-\\d{4}$`));
	const files = await checkFiles(dir, code);
	assert.equal(files.length, 2);
	assert.ok(files.every((f) => f.ok), JSON.stringify(files));
	assert.equal(sql(dir, `SELECT applicant_phone || '|' || applicant_id || '|' || status FROM dossiers WHERE code = '${code}'`), '0912345678|001090123456|1');
});

test('the receipt needs the token, shows the applicant and the documents, a QR code, and is private and noindex', async () => {
	const { code, token } = await submitOk({ applicant_email: 'thu@example.vn' });
	for (const u of [`/ho-so/${code}`, `/ho-so/${code}?t=${'0'.repeat(32)}`, `/ho-so/${code}?t=${token.slice(0, 31)}`])
		assert.equal((await request(srv, u)).status, 404, u);
	const r = await request(srv, `/ho-so/${code}?t=${token}`);
	assert.equal(r.status, 200);
	assert.match(r.headers['cache-control'], /private, no-store/);
	assert.match(r.headers['x-robots-tag'], /noindex/);
	const t = unescapeHtml(r.text);
	for (const s of [code, 'Nguyễn Văn Thử', 'Số 1 Tràng Tiền, Hoàn Kiếm', '0912345678', 'thu@example.vn', 'Đề nghị cấp giấy thử nghiệm.',
		'Tờ khai đề nghị', 'to-khai.pdf', '01 bản chính', '12 Trần Phú, Hà Nội', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'])
		assert.ok(t.includes(s), `receipt shows ${s}`);
	assert.match(r.text, /<svg[^>]*class="qr"/);
	assert.match(t, /tra-cuu-ho-so\?ma=/);
	assert.match(t, /Dự kiến: <strong>\d\d\/\d\d\/\d{4}<\/strong>/, 'the estimated date while no officer has received it');
	const en = await request(srv, `/en/dossiers/${code}?t=${token}`);
	assert.equal(en.status, 200);
	assert.match(en.text, /Receipt of the dossier/);
});

test('bad input: a localized error per field, the input kept, files to be attached again', async () => {
	const cases = [
		[{ applicant_id: '12345' }, [], 'applicant_id', 'Số CCCD gồm 12 chữ số.'],
		[{ applicant_id: '999090123456' }, [], 'applicant_id', 'không phải mã tỉnh'],
		[{ applicant_phone: '12345' }, [], 'applicant_phone', 'số điện thoại Việt Nam'],
		[{ applicant_email: 'not an email' }, [], 'applicant_email', 'email'],
		[{ applicant_name: '' }, [], 'applicant_name', 'Xin nhập họ và tên.'],
		[{ applicant_dob: '2999-01-01' }, [], 'applicant_dob', 'Ngày sinh không hợp lệ.'],
		[{}, [], `doc_${DOC_REQ}`, 'Xin đính kèm giấy tờ này.'],
		[{}, [{ name: `doc_${DOC_REQ}`, filename: 'virus.pdf', data: Buffer.from('MZ\x90\x00 not a pdf') }], `doc_${DOC_REQ}`, 'Chỉ nhận tệp PDF, JPEG và PNG'],
		[{}, [{ name: `doc_${DOC_REQ}`, filename: 'big.pdf', data: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) }], `doc_${DOC_REQ}`, 'Tệp lớn hơn 10 MB.'],
	];
	const before = count('1 = 1');
	for (const [fields, files, field, msg] of cases) {
		const b = new Browser(srv);
		const form = await openForm(b);
		const sent = { ...fields, request: 'Giữ lại <nội dung> này' };
		const r = await submitForm(b, form, { fields: sent, files: files.length || field.startsWith('doc_') ? files : undefined });
		assert.equal(r.status, 422, `${field}: ${r.status}`);
		const t = unescapeHtml(r.text);
		assert.match(r.text, new RegExp(`id="err-${field}"`), field);
		assert.ok(t.includes(msg), `${field}: ${msg}`);
		assert.match(r.text, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
		assert.ok(t.includes('Giữ lại <nội dung> này'), 'the request text is kept');
		if (fields.applicant_phone === undefined) assert.match(r.text, /id="applicant_phone"[^>]*value="0912 ?345 ?678"/, 'the phone is kept');
		assert.ok(t.includes('đính kèm lại'), 'says the files must be attached again');
		assert.equal(hidden(r.text, 'idem'), form.idem, 'the same key, so a corrected retry is still one dossier');
	}
	assert.equal(count('1 = 1'), before, 'nothing stored');
});

test('without the CSRF cookie the form is refused and nothing is stored', async () => {
	const b = new Browser(srv);
	const form = await openForm(b);
	b.jar.clear();
	const before = count('1 = 1');
	const r = await submitForm(b, form);
	assert.equal(r.status, 403);
	assert.equal(count('1 = 1'), before);
});

test('a double-clicked submit makes one dossier: the same key twice gives the same code', async () => {
	const b = new Browser(srv);
	const form = await openForm(b);
	const [r1, r2] = await Promise.all([submitForm(b, form), submitForm(b, form)]);
	assert.equal(r1.status, 303);
	assert.equal(r2.status, 303);
	assert.equal(r1.headers.location, r2.headers.location);
	const r3 = await submitForm(b, form);
	assert.equal(r3.headers.location, r1.headers.location);
	assert.equal(count(`idem_key = '${form.idem}'`), 1);
});

test('codes follow the agency daily sequence, and concurrent submissions get distinct codes', async () => {
	const a = await submitOk(), b = await submitOk();
	const seq = (c) => Number(c.split('-').pop());
	assert.equal(seq(b.code), seq(a.code) + 1);
	const many = await Promise.all(Array.from({ length: 12 }, () => submitOk()));
	const codes = many.map((x) => x.code);
	assert.equal(new Set(codes).size, codes.length);
	const nums = codes.map(seq).sort((x, y) => x - y);
	assert.equal(nums[0], seq(b.code) + 1);
	assert.equal(nums.at(-1), seq(b.code) + 12, 'no gaps, no duplicates');
});

/** POSTs the lookup form with a fresh browser. */
async function lookup(code, last4, lang = 'vi') {
	const b = new Browser(srv);
	const url = lang === 'vi' ? '/tra-cuu-ho-so' : `/${lang}/dossier-lookup`;
	const page = await b.get(url);
	return b.post(url, { csrf: hidden(page.text, 'csrf'), code, last4 });
}

test('lookup by code and the last 4 digits of the phone or CCCD shows status and dates, never personal data', async () => {
	clearThrottle();
	const { code } = await submitOk({ applicant_email: 'rieng@example.vn' });
	const qr = await request(srv, `/tra-cuu-ho-so?ma=${code}`);
	assert.equal(qr.status, 200);
	assert.ok(qr.text.includes(`value="${code}"`), 'the QR link fills the code in');
	for (const digits of ['5678', '3456']) {
		const r = await lookup(code.toLowerCase(), digits);
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		const t = unescapeHtml(r.text);
		assert.ok(t.includes('Mới đăng ký'));
		assert.ok(t.includes('Cấp giấy thử nghiệm'));
		for (const secret of ['Nguyễn Văn Thử', 'Tràng Tiền', '0912345678', '001090123456', 'rieng@example.vn', 'Đề nghị cấp giấy'])
			assert.ok(!t.includes(secret), `lookup must not show ${secret}`);
	}
	const en = await lookup(code, '5678', 'en');
	assert.match(en.text, /Newly submitted/);
});

test('a wrong number and an unknown code get the same answer; misses are throttled per code and per address', async () => {
	clearThrottle();
	const { code } = await submitOk();
	const msgOf = (html) => (html.match(/<div class="dossier-alert" role="alert"><p>([^<]*)<\/p>/) || [])[1];
	const wrong = await lookup(code, '0000');
	const unknown = await lookup(`${AGENCY}-${todayCode()}-9999`, '5678');
	assert.equal(wrong.status, unknown.status);
	assert.ok(msgOf(wrong.text));
	assert.equal(msgOf(wrong.text), msgOf(unknown.text));
	const api1 = await request(srv, `/api/v1/dossiers/${code}?phone_last4=0000`);
	const api2 = await request(srv, `/api/v1/dossiers/${AGENCY}-${todayCode()}-9998?phone_last4=5678`);
	assert.equal(api1.status, 404);
	assert.equal(api1.text, api2.text);
	/* five misses on one code are free (two so far); the sixth starts a wait, for the right digits too */
	for (let i = 0; i < 4; i++) await lookup(code, '1111');
	const blocked = await lookup(code, '5678');
	assert.equal(blocked.status, 429);
	assert.ok(Number(blocked.headers['retry-after']) > 0);
	assert.equal((await request(srv, `/api/v1/dossiers/${code}?phone_last4=5678`)).status, 429);
	/* per address: many codes from one address */
	clearThrottle();
	let last;
	for (let i = 0; i < 22; i++) last = await request(srv, `/api/v1/dossiers/${AGENCY}-${todayCode()}-${String(9000 + i)}?phone_last4=1234`);
	assert.equal(last.status, 429);
	clearThrottle();
	assert.equal((await request(srv, `/api/v1/dossiers/${code}?phone_last4=5678`)).status, 200);
});

test('API: POST /api/v1/dossiers makes a dossier (201), replays an Idempotency-Key, says what is wrong (422)', async () => {
	const key = `api-${Date.now()}-abcdefgh`;
	const mp = multipart({ procedure_code: PROC, ...applicant({ applicant_dob: undefined }) }, [{ name: String(DOC_REQ), filename: 'a.pdf', data: PDF }]);
	const send = (m, headers = {}) => request(srv, '/api/v1/dossiers', {
		method: 'POST', headers: { 'content-type': m.contentType, 'content-length': m.body.length, ...headers }, body: m.body,
	});
	const r = await send(mp, { 'idempotency-key': key });
	assert.equal(r.status, 201, r.text);
	const j = JSON.parse(r.text);
	assert.match(j.code, new RegExp(`^${AGENCY.replace(/\./g, '\\.')}-${todayCode()}-\\d{4}$`));
	assert.equal(j.status, 'new');
	assert.match(j.due_date, /^\d{4}-\d\d-\d\dT17:00:00\+07:00$/);
	assert.match(j.receipt_url, new RegExp(`/ho-so/${j.code.replace(/\./g, '\\.')}\\?t=[0-9a-f]{32}$`));
	assert.equal(sql(dir, `SELECT channel FROM dossiers WHERE code = '${j.code}'`), 'api');
	const again = await send(mp, { 'idempotency-key': key });
	assert.equal(again.status, 200);
	assert.equal(JSON.parse(again.text).code, j.code);
	assert.equal(count(`idem_key = '${key}'`), 1);
	const bad = await send(multipart({ procedure_code: PROC, ...applicant({ applicant_id: 'x', applicant_phone: '' }) }, []));
	assert.equal(bad.status, 422);
	const e = JSON.parse(bad.text);
	assert.deepEqual(Object.keys(e.fields).sort(), [String(DOC_REQ), 'applicant_id', 'applicant_phone'].sort());
	const noproc = await send(multipart({ procedure_code: 'nope', ...applicant() }, []));
	assert.equal(noproc.status, 422);
	assert.ok(JSON.parse(noproc.text).fields.procedure_code);
	const look = await request(srv, `/api/v1/dossiers/${j.code}?phone_last4=5678`);
	assert.equal(look.status, 200);
	const lj = JSON.parse(look.text);
	assert.equal(lj.status, 'new');
	assert.equal(lj.history.length, 1);
	assert.ok(!look.text.includes('Nguyễn'), 'no personal data');
	assert.match(look.headers['cache-control'], /no-store/);
});

/** Moves a dossier as an officer would (the officer pages are another module's): status and the event. */
function officerMove(code, from, to, note = '') {
	sql(dir, `UPDATE dossiers SET status = ${to}${to === 2 ? ', received_at = submitted_at + 60' : ''} WHERE code = '${code}'`);
	sql(dir, `INSERT INTO dossier_events (dossier_id, at, actor, from_status, to_status, kind, note)
		SELECT id, submitted_at + ${from * 10 + 60}, 'Cán bộ', ${from}, ${to}, 'transition', '${note}' FROM dossiers WHERE code = '${code}'`);
}

/** POSTs a token action from the receipt page's form. */
async function action(b, code, token, path, fields, files = []) {
	const page = await b.get(`/ho-so/${code}?t=${token}`);
	/* a page without a form left (after the rating) has no token: the browser's earlier one still works */
	b.csrf = hidden(page.text, 'csrf') ?? b.csrf;
	const mp = multipart({ csrf: b.csrf, t: token, ...fields }, files);
	return b.request(`/ho-so/${code}/${path}`, { method: 'POST', headers: { 'content-type': mp.contentType, 'content-length': mp.body.length }, body: mp.body });
}

test('supplement: the officer’s request is shown; the citizen’s files go in and the dossier moves back', async () => {
	const { code, token, browser: b } = await submitOk();
	officerMove(code, 1, 5, 'Thiếu bản sao giấy tờ tùy thân');
	const page = await b.get(`/ho-so/${code}?t=${token}`);
	assert.ok(unescapeHtml(page.text).includes('Thiếu bản sao giấy tờ tùy thân'));
	assert.match(page.text, /\/ho-so\/[^"]+\/bo-sung/);
	const none = await action(b, code, token, 'bo-sung', {});
	assert.equal(none.status, 422);
	const bad = await action(b, code, 'f'.repeat(32), 'bo-sung', {}, [{ name: `doc_${DOC_OPT}`, data: PDF }]);
	assert.equal(bad.status, 404, 'a wrong token');
	const r = await action(b, code, token, 'bo-sung', { note: 'Đã bổ sung' }, [{ name: `doc_${DOC_OPT}`, filename: 'cccd.png', data: PNG, type: 'image/png' }]);
	assert.equal(r.status, 303);
	assert.match(r.headers.location, /done=supplement/);
	assert.equal(sql(dir, `SELECT status FROM dossiers WHERE code = '${code}'`), '1');
	const files = await checkFiles(dir, code);
	assert.equal(files.length, 2);
	assert.ok(files.every((f) => f.ok));
	const done = await b.get(r.headers.location);
	assert.ok(unescapeHtml(done.text).includes('cccd.png'));
});

test('withdraw needs the confirmation box, then moves the dossier to 7 as the citizen', async () => {
	const { code, token, browser: b } = await submitOk();
	const no = await action(b, code, token, 'rut', {});
	assert.equal(no.status, 422);
	assert.equal(sql(dir, `SELECT status FROM dossiers WHERE code = '${code}'`), '1');
	const page = await b.get(`/ho-so/${code}?t=${token}`);
	const nocsrf = await b.request(`/ho-so/${code}/rut`, {
		method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `t=${token}&confirm=1&csrf=${'a'.repeat(64)}`,
	});
	assert.equal(nocsrf.status, 403);
	assert.ok(page.text.includes('name="confirm"'));
	const r = await action(b, code, token, 'rut', { confirm: '1', reason: 'Nộp nhầm' });
	assert.equal(r.status, 303);
	assert.equal(sql(dir, `SELECT status FROM dossiers WHERE code = '${code}'`), '7');
	assert.equal(sql(dir, `SELECT count(*) FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '${code}' AND e.to_status = 7 AND e.user_id IS NULL`), '1');
	const again = await b.get(`/ho-so/${code}?t=${token}`);
	assert.ok(!again.text.includes('name="confirm"'), 'no second withdrawal');
});

test('rating after 9: three levels and a comment, once', async () => {
	const { code, token, browser: b } = await submitOk();
	const early = await b.get(`/ho-so/${code}?t=${token}`);
	assert.ok(!early.text.includes('name="rating"'));
	officerMove(code, 1, 2);
	officerMove(code, 2, 4);
	officerMove(code, 4, 9);
	const page = await b.get(`/ho-so/${code}?t=${token}`);
	for (const l of ['Rất hài lòng', 'Hài lòng', 'Chưa hài lòng']) assert.ok(page.text.includes(l));
	assert.equal((await action(b, code, token, 'danh-gia', { rating: '7' })).status, 422);
	const r = await action(b, code, token, 'danh-gia', { rating: '3', comment: 'Nhanh chóng' });
	assert.equal(r.status, 303);
	assert.equal(sql(dir, `SELECT rating || '|' || rating_comment FROM dossiers WHERE code = '${code}'`), '3|Nhanh chóng');
	assert.equal((await action(b, code, token, 'danh-gia', { rating: '1' })).status, 422);
	const lk = await lookup(code, '5678');
	assert.ok(unescapeHtml(lk.text).includes('Đã xử lý xong'));
});

test('the receipt email arrives at the SMTP relay with the code and the token link', async () => {
	const { code, token } = await submitOk({ applicant_email: 'nguoi.dan@example.vn' });
	const m = await sink.waitFor((x) => x.body.includes(code), 15000);
	assert.ok(m, 'an email with the code');
	assert.deepEqual(m.to, ['nguoi.dan@example.vn']);
	assert.equal(m.from, 'cong@example.vn');
	assert.ok(m.subject.includes(code));
	assert.match(m.headers.subject, /=\?UTF-8\?B\?/, 'a UTF-8 subject is RFC 2047 encoded');
	assert.ok(m.body.includes(`/ho-so/${code}?t=${token}`));
	assert.ok(m.body.includes('Kính gửi Nguyễn Văn Thử'));
	assert.ok(!/\r\n\.[^.]/.test(m.data.replace(/\r\n\.\./g, '')), 'dot-stuffing undone by the sink');
	assert.ok(await poll(() => sql(dir, `SELECT count(*) FROM outbox WHERE ref = '${code}' AND sent_at IS NOT NULL`) === '1', 5000), 'marked sent');
	/* no email address: no email */
	const { code: quiet } = await submitOk();
	assert.equal(sql(dir, `SELECT count(*) FROM outbox WHERE ref = '${quiet}'`), '0');
});

test('a relay that is down delays the email, never loses it, and never fails the submission', async () => {
	const port = sink.port;
	await sink.close();
	const { code } = await submitOk({ applicant_email: 'cho.gui@example.vn' });
	assert.ok(await (async () => {
		for (let i = 0; i < 50; i++) {
			if (Number(sql(dir, `SELECT attempts FROM outbox WHERE ref = '${code}'`)) >= 1) return true;
			await new Promise((r) => setTimeout(r, 100));
		}
		return false;
	})(), 'the mailer tried and failed');
	assert.equal(sql(dir, `SELECT count(*) FROM outbox WHERE ref = '${code}' AND sent_at IS NULL AND failed_at IS NULL`), '1');
	sink = await startSmtpSink({ port });
	const m = await sink.waitFor((x) => x.body.includes(code), 20000);
	assert.ok(m, 'sent once the relay is back');
});

test('the server stops cleanly', async () => {
	await assertGracefulStop(srv);
});
