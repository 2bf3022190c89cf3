// Signing in and out, sessions, throttling, two-factor sign-in (TOTP), the users pages, the profile and the
// audit log, against a real `cong serve` over a bare portal.  Users come from `cong user add`; a "browser"
// here is a cookie jar over node:http.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Browser as BaseBrowser, cleanup, csrfOf, initPortal, request, runCong, sanitizerReports, sql, startServer, unescapeHtml } from './helpers.mjs';

let data, srv;
const PW = {
	boss: 'Quan-tri-vien-2026!',
	boss2: 'Quan-tri-hai-2026!',
	ed: 'Bien-tap-vien-2026!',
	pub: 'Nguoi-duyet-bai-2026!',
	thr: 'Chan-dang-nhap-2026!',
	two: 'Hai-lop-bao-ve-2026!',
	chg: 'Doi-mat-khau-2026!',
	dis: 'Se-bi-khoa-2026!',
	away: 'Dang-xuat-het-2026!',
};
const ids = {};

async function addUser(login, role, pw, name = login) {
	const r = await runCong(['user', 'add', '--data', data, '--login', login, '--role', role, '--name', name, '--password-stdin'], {
		input: `${pw}\n`,
	});
	assert.equal(r.code, 0, r.stderr);
	ids[login] = Number(sql(data, `SELECT id FROM users WHERE login = '${login}'`));
}

before(async () => {
	data = await initPortal({ demo: false });
	await addUser('boss', 'admin', PW.boss, 'Trần Thị Quản');
	await addUser('boss2', 'admin', PW.boss2);
	await addUser('ed', 'editor', PW.ed, 'Nguyễn Văn Biên');
	await addUser('pub', 'publisher', PW.pub);
	await addUser('thr', 'editor', PW.thr);
	await addUser('two', 'editor', PW.two);
	await addUser('chg', 'publisher', PW.chg);
	await addUser('dis', 'editor', PW.dis);
	await addUser('away', 'editor', PW.away);
	srv = await startServer(data);
});
after(cleanup);

/* ---- a browser: cookies, forms ------------------------------------------------------------------------ */

/** A browser (cookie jar, get, post, login) on this file's server, with the staff-area helpers below. */
class Browser extends BaseBrowser {
	constructor(target = srv) {
		super(target);
	}
	/** The CSRF token of the signed-in session (from the profile page). */
	async csrf() {
		const p = await this.get('/admin/profile');
		assert.equal(p.status, 200, 'signed in');
		return csrfOf(p.text);
	}
	/** POSTs a staff form with the session's token. */
	async send(path, fields = {}) {
		return this.post(path, { csrf: await this.csrf(), ...fields });
	}
	/** Whether the staff area lets this browser in. */
	async signedIn() {
		const r = await this.get('/admin/profile');
		if (r.status === 200) return true;
		assert.equal(r.status, 303);
		assert.match(r.headers.location, /^\/dang-nhap\?next=/);
		return false;
	}
}

async function signedInAs(login) {
	const b = new Browser();
	const r = await b.login(login, PW[login]);
	assert.equal(r.status, 303, `${login} signs in`);
	assert.equal(r.headers.location, '/admin');
	return b;
}

const audits = (where) => Number(sql(data, `SELECT count(*) FROM audit_log WHERE ${where}`));

/* ---- TOTP, computed here independently of the server ------------------------------------------------ */

function base32(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, acc = 0;
	const out = [];
	for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
		acc = (acc << 5) | abc.indexOf(ch);
		bits += 5;
		if (bits >= 8) {
			out.push((acc >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

function totp(secret, step = Math.floor(Date.now() / 1000 / 30)) {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = createHmac('sha1', base32(secret)).update(msg).digest();
	const off = h[19] & 15;
	return String((h.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** Turns two-factor sign-in on for a signed-in browser through the profile pages; returns the secret. */
async function enrol(b, login) {
	const start = await b.send('/admin/profile/2fa');
	assert.equal(start.status, 303);
	assert.equal(start.headers.location, '/admin/profile/2fa');
	const page = await b.get('/admin/profile/2fa');
	assert.equal(page.status, 200);
	assert.match(page.text, /<svg [^>]*class="qr"[^>]*role="img"/, 'an inline SVG QR code');
	assert.doesNotMatch(page.text.match(/<svg[\s\S]*?<\/svg>/)[0], /style=/, 'no inline style in the SVG');
	const secret = page.text.match(/<code class="totp-secret">([A-Z2-7 ]+)<\/code>/)[1].replace(/ /g, '');
	assert.equal(secret.length, 32, '160-bit secret');
	const csrf = csrfOf(page.text);
	const bad = await b.post('/admin/profile/2fa/confirm', { csrf, code: totp(secret) === '000000' ? '111111' : '000000' });
	assert.equal(bad.status, 303);
	assert.match(bad.headers.location, /error=code/);
	assert.equal(sql(data, `SELECT totp_secret FROM users WHERE login = '${login}'`), '', 'a wrong first code enables nothing');
	const ok = await b.post('/admin/profile/2fa/confirm', { csrf, code: totp(secret) });
	assert.equal(ok.status, 303);
	assert.equal(ok.headers.location, '/admin/profile');
	return secret;
}

/* ---- tests -------------------------------------------------------------------------------------------- */

describe('sign in and out', () => {
	test('login, the staff area, logout', async () => {
		const b = await signedInAs('ed');
		const cookie = b.jar.get('cong');
		assert.match(cookie, /^[0-9a-f]{64}$/);
		const r = await b.get('/admin');
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		const out = await b.send('/admin/logout');
		assert.equal(out.status, 303);
		assert.equal(out.headers.location, '/dang-nhap');
		assert.equal(b.jar.get('cong'), undefined, 'the cookie is cleared');
		const again = await request(srv, '/admin', { headers: { cookie: `cong=${cookie}` } });
		assert.equal(again.status, 303, 'the old cookie opens nothing');
		assert.equal(again.headers.location, '/dang-nhap?next=%2Fadmin');
		assert.ok(audits(`action = 'login' AND object_id = ${ids.ed}`) >= 1);
		assert.ok(audits(`action = 'logout' AND user_id = ${ids.ed}`) >= 1);
	});

	test('a wrong password and an unknown user get the same answer', async () => {
		const b = new Browser();
		const page = await b.get('/dang-nhap');
		const csrf = csrfOf(page.text);
		const wrong = await b.post('/dang-nhap', { csrf, login: 'pub', password: 'not-the-password-1' });
		const unknown = await b.post('/dang-nhap', { csrf, login: 'nobody', password: 'not-the-password-1' });
		assert.equal(wrong.status, 401);
		assert.equal(unknown.status, 401);
		const norm = (r, login) => r.text.replaceAll(`value="${login}"`, 'value="X"');
		assert.equal(norm(wrong, 'pub'), norm(unknown, 'nobody'));
		assert.deepEqual(Object.keys(wrong.headers).filter((h) => !['date', 'x-request-id', 'content-length', 'etag'].includes(h)).sort(),
			Object.keys(unknown.headers).filter((h) => !['date', 'x-request-id', 'content-length', 'etag'].includes(h)).sort());
		assert.equal(audits("action = 'login.failed' AND login = 'nobody'"), 1);
	});

	test('repeated failures answer 429 with Retry-After; the right password works once the wait is over', async () => {
		const b = new Browser();
		const page = await b.get('/dang-nhap');
		const csrf = csrfOf(page.text);
		for (let i = 1; i <= 6; i++) {
			const r = await b.post('/dang-nhap', { csrf, login: 'thr', password: `wrong-password-${i}` });
			assert.equal(r.status, 401, `failure ${i}`);
		}
		const blocked = await b.post('/dang-nhap', { csrf, login: 'thr', password: 'wrong-password-7' });
		assert.equal(blocked.status, 429);
		const wait = Number(blocked.headers['retry-after']);
		assert.ok(wait > 0 && wait <= 60, `Retry-After ${blocked.headers['retry-after']}`);
		const right = await b.post('/dang-nhap', { csrf, login: 'thr', password: PW.thr });
		assert.equal(right.status, 429, 'even the right password waits');
		assert.ok(audits("action = 'login.throttled' AND login = 'thr'") >= 1);
		/* the wait is over (made so in the database rather than by sleeping a minute) */
		sql(data, "UPDATE login_throttle SET blocked_until = 0 WHERE key = 'u:thr'");
		const ok = await b.post('/dang-nhap', { csrf, login: 'thr', password: PW.thr });
		assert.equal(ok.status, 303);
		assert.equal(sql(data, "SELECT count(*) FROM login_throttle WHERE key = 'u:thr'"), '0', 'success clears the count');
		sql(data, "DELETE FROM login_throttle WHERE key LIKE 'a:%'"); /* the address's count, for the other tests */
	});

	test('session fixation: a cookie set before login is not the session after it', async () => {
		const planted = 'ab'.repeat(32);
		const b = new Browser();
		b.jar.set('cong', planted);
		const r = await b.login('pub', PW.pub);
		assert.equal(r.status, 303);
		assert.notEqual(b.jar.get('cong'), planted);
		const withPlanted = await request(srv, '/admin', { headers: { cookie: `cong=${planted}` } });
		assert.equal(withPlanted.status, 303);
		/* signing in again in the same browser: the first session does not survive either */
		const first = b.jar.get('cong');
		/* the login page sends a signed-in browser on to the staff area, so post the form of a second tab */
		const tab = new Browser();
		const csrf = csrfOf((await tab.get('/dang-nhap')).text);
		b.jar.set('cong_login', tab.jar.get('cong_login'));
		const again = await b.post('/dang-nhap', { csrf, login: 'pub', password: PW.pub });
		assert.equal(again.status, 303);
		assert.notEqual(b.jar.get('cong'), first);
		assert.equal((await request(srv, '/admin', { headers: { cookie: `cong=${first}` } })).status, 303);
		assert.ok(await b.signedIn());
	});

	test('"sign out everywhere" ends the other browser\'s session too', async () => {
		const a = await signedInAs('away'), b = await signedInAs('away');
		assert.ok(await b.signedIn());
		const profile = await a.get('/admin/profile');
		assert.match(profile.text, /name="everywhere" value="1"/, 'the profile has the button');
		const r = await a.send('/admin/logout', { everywhere: '1' });
		assert.equal(r.status, 303);
		assert.equal(await a.signedIn(), false);
		assert.equal(await b.signedIn(), false);
		assert.equal(sql(data, `SELECT count(*) FROM sessions WHERE user_id = ${ids.away}`), '0');
	});

	test('a POST without its CSRF token is refused with 403 and changes nothing', async () => {
		const b = await signedInAs('boss');
		const before = sql(data, 'SELECT count(*) FROM users');
		const r = await b.post('/admin/users/new', { login: 'csrf.less', role: 'editor', generate: '1' });
		assert.equal(r.status, 403);
		assert.equal(sql(data, 'SELECT count(*) FROM users'), before);
		const wrong = await b.post('/admin/users/new', { csrf: 'f'.repeat(64), login: 'csrf.less', role: 'editor', generate: '1' });
		assert.equal(wrong.status, 403);
		const out = await b.post('/admin/logout', {});
		assert.equal(out.status, 403);
		assert.ok(await b.signedIn(), 'still signed in');
		const pw = await b.post('/admin/profile/password', { current: PW.boss, password: 'Something-new-2026', password2: 'Something-new-2026' });
		assert.equal(pw.status, 403);
		const dis = await b.post(`/admin/users/${ids.pub}/disable`, {});
		assert.equal(dis.status, 403);
		assert.equal(sql(data, `SELECT disabled FROM users WHERE id = ${ids.pub}`), '0');
	});
});

describe('permissions', () => {
	const adminOnly = ['/admin/users', '/admin/users/new', () => `/admin/users/${ids.ed}`, '/admin/audit', '/admin/audit.csv', '/en/admin/users'];

	for (const who of ['ed', 'pub']) {
		test(`${who === 'ed' ? 'an editor' : 'a publisher'} gets 403 on the admin-only pages and actions`, async () => {
			const b = await signedInAs(who);
			for (const p of adminOnly) {
				const path = typeof p === 'function' ? p() : p;
				const r = await b.get(path);
				assert.equal(r.status, 403, path);
				assert.doesNotMatch(r.text, /<table class="data-table users-table"|audit-table/, `${path} shows nothing`);
			}
			for (const [path, fields] of [
				['/admin/users/new', { login: 'sneaky', role: 'admin', generate: '1' }],
				[`/admin/users/${ids.boss}`, { name: 'x', email: '', role: 'editor' }],
				[`/admin/users/${ids.boss}/disable`, {}],
				[`/admin/users/${ids.boss}/password`, { generate: '1' }],
			]) {
				const r = await b.send(path, fields);
				assert.equal(r.status, 403, `POST ${path}`);
			}
			assert.equal(sql(data, "SELECT count(*) FROM users WHERE login = 'sneaky'"), '0');
			assert.equal(sql(data, `SELECT role || disabled FROM users WHERE id = ${ids.boss}`), 'admin0');
			assert.equal((await b.get('/admin/profile')).status, 200, 'everyone has a profile');
		});
	}

	test('signed out: GET pages redirect to the login page, POSTs answer 401', async () => {
		const r = await request(srv, '/admin/users');
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/dang-nhap?next=%2Fadmin%2Fusers');
		const p = await request(srv, '/admin/users/new', { method: 'POST' });
		assert.equal(p.status, 401);
	});
});

describe('users (admins)', () => {
	test('the list shows login, name, role, email, state, two-factor and last sign-in', async () => {
		const b = await signedInAs('boss');
		const r = await b.get('/admin/users');
		assert.equal(r.status, 200);
		for (const s of ['boss', 'Trần Thị Quản', 'Nguyễn Văn Biên', 'Biên tập viên', 'Người duyệt', 'Quản trị viên']) assert.ok(r.text.includes(s), s);
		assert.match(r.text, /<time datetime="\d{4}-\d\d-\d\dT[\d:]+\+07:00">/, 'a last sign-in time');
		const en = await b.get('/en/admin/users');
		assert.match(en.text, /Last sign-in/);
	});

	test('create: login rules and the password policy with a localized reason', async () => {
		const b = await signedInAs('boss');
		const bad = await b.send('/admin/users/new', { login: 'Bad Login', name: 'X', role: 'editor', password: 'Ok-password-2026', password2: 'Ok-password-2026' });
		assert.equal(bad.status, 400);
		assert.match(bad.text, /id="login-error"/);
		const short = await b.send('/admin/users/new', { login: 'moi.mot', role: 'editor', password: 'ngan', password2: 'ngan' });
		assert.equal(short.status, 400);
		assert.ok(short.text.includes('Mật khẩu phải có ít nhất 10 ký tự.'), 'the reason in Vietnamese');
		assert.ok(short.text.includes('value="moi.mot"'), 'what was typed is kept');
		const own = await b.send('/admin/users/new', { login: 'moi.mot', role: 'editor', password: 'xx-moi.mot-2026', password2: 'xx-moi.mot-2026' });
		assert.equal(own.status, 400);
		assert.ok(own.text.includes('Mật khẩu không được chứa tên đăng nhập.'));
		const common = await b.send('/en/admin/users/new', { login: 'moi.mot', role: 'editor', password: 'password123', password2: 'password123' });
		assert.equal(common.status, 400);
		assert.ok(common.text.includes('This password is too common.'));
		const mismatch = await b.send('/admin/users/new', { login: 'moi.mot', role: 'editor', password: 'Hop-le-2026-abc', password2: 'Hop-le-2026-abd' });
		assert.equal(mismatch.status, 400);
		const taken = await b.send('/admin/users/new', { login: 'ed', role: 'editor', generate: '1' });
		assert.equal(taken.status, 400);
		const badRole = await b.send('/admin/users/new', { login: 'moi.hai', role: 'root', generate: '1' });
		assert.equal(badRole.status, 400);
		assert.equal(sql(data, "SELECT count(*) FROM users WHERE login IN ('moi.mot', 'moi.hai')"), '0');

		const ok = await b.send('/admin/users/new', { login: 'moi.mot', name: 'Lê Thị Mới', email: 'moi@example.vn', role: 'publisher', password: 'Hop-le-2026-abc', password2: 'Hop-le-2026-abc' });
		assert.equal(ok.status, 303);
		assert.equal(sql(data, "SELECT display_name || '|' || email || '|' || role FROM users WHERE login = 'moi.mot'"), 'Lê Thị Mới|moi@example.vn|publisher');
		assert.equal(audits("action = 'user.create' AND detail LIKE 'moi.mot%'"), 1);
		const c = new Browser();
		assert.equal((await c.login('moi.mot', 'Hop-le-2026-abc')).status, 303);
	});

	test('create with a generated password shows it once, and it works', async () => {
		const b = await signedInAs('boss');
		const r = await b.send('/admin/users/new', { login: 'tu.sinh', name: 'Tự Sinh', role: 'editor', generate: '1' });
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		const pw = unescapeHtml(r.text.match(/<code id="new-password">([^<]+)<\/code>/)[1]);
		assert.equal(pw.length, 16);
		assert.ok(!sql(data, "SELECT password_hash FROM users WHERE login = 'tu.sinh'").includes(pw));
		const c = new Browser();
		assert.equal((await c.login('tu.sinh', pw)).status, 303);
		const edit = await b.get(`/admin/users/${sql(data, "SELECT id FROM users WHERE login = 'tu.sinh'")}`);
		assert.ok(!edit.text.includes(pw), 'not shown again');
	});

	test('edit name, email and role; each change is audited', async () => {
		const b = await signedInAs('boss');
		const id = sql(data, "SELECT id FROM users WHERE login = 'tu.sinh'");
		const bad = await b.send(`/admin/users/${id}`, { name: 'Tự Sinh', email: 'not an email', role: 'editor' });
		assert.equal(bad.status, 400);
		const r = await b.send(`/admin/users/${id}`, { name: 'Tự Sinh Hai', email: 'tusinh@example.vn', role: 'publisher' });
		assert.equal(r.status, 303);
		assert.equal(sql(data, `SELECT display_name || '|' || email || '|' || role FROM users WHERE id = ${id}`), 'Tự Sinh Hai|tusinh@example.vn|publisher');
		assert.equal(audits(`action = 'user.edit' AND object_id = ${id} AND detail = 'name, email'`), 1);
		assert.equal(audits(`action = 'user.role' AND object_id = ${id} AND detail = 'editor -> publisher'`), 1);
		assert.equal((await b.get('/admin/users/999999')).status, 404);
		assert.equal((await b.get('/admin/users/abc')).status, 404);
	});

	test('an admin cannot disable themselves or drop their own admin role', async () => {
		const b = await signedInAs('boss');
		const dis = await b.send(`/admin/users/${ids.boss}/disable`);
		assert.equal(dis.status, 400);
		const demote = await b.send(`/admin/users/${ids.boss}`, { name: 'Trần Thị Quản', email: '', role: 'editor' });
		assert.equal(demote.status, 400);
		assert.ok(demote.text.includes('Bạn không thể bỏ vai trò quản trị viên của chính mình.'));
		assert.equal(sql(data, `SELECT role || disabled FROM users WHERE id = ${ids.boss}`), 'admin0');
		assert.ok(await b.signedIn());
	});

	test('disabling a user ends their sessions at once; enabling lets them back in', async () => {
		const victim = await signedInAs('dis');
		const boss = await signedInAs('boss');
		const r = await boss.send(`/admin/users/${ids.dis}/disable`);
		assert.equal(r.status, 303);
		assert.equal(await victim.signedIn(), false);
		assert.equal(sql(data, `SELECT count(*) FROM sessions WHERE user_id = ${ids.dis}`), '0');
		const again = new Browser();
		assert.equal((await again.login('dis', PW.dis)).status, 401, 'a disabled account cannot sign in');
		assert.equal(audits(`action = 'user.disable' AND object_id = ${ids.dis}`), 1);
		const list = await boss.get('/admin/users');
		assert.match(list.text, /class="row-disabled"/);
		assert.equal((await boss.send(`/admin/users/${ids.dis}/enable`)).status, 303);
		assert.equal((await again.login('dis', PW.dis)).status, 303);
		assert.equal(audits(`action = 'user.enable' AND object_id = ${ids.dis}`), 1);
	});

	test('resetting a password ends all the user\'s sessions', async () => {
		const victim = await signedInAs('pub');
		const boss = await signedInAs('boss');
		const r = await boss.send(`/admin/users/${ids.pub}/password`, { password: 'Moi-dat-lai-2026', password2: 'Moi-dat-lai-2026' });
		assert.equal(r.status, 303);
		assert.equal(await victim.signedIn(), false);
		assert.equal(audits(`action = 'user.password_reset' AND object_id = ${ids.pub}`), 1);
		const c = new Browser();
		assert.equal((await c.login('pub', 'Moi-dat-lai-2026')).status, 303);
		PW.pub = 'Moi-dat-lai-2026';
	});
});

describe('profile', () => {
	test('changing one\'s password keeps this session and ends the others', async () => {
		const here = await signedInAs('chg'), there = await signedInAs('chg');
		const wrong = await here.send('/admin/profile/password', { current: 'not-it-at-all', password: 'Mat-khau-moi-2026', password2: 'Mat-khau-moi-2026' });
		assert.equal(wrong.status, 400);
		const weak = await here.send('/admin/profile/password', { current: PW.chg, password: 'short', password2: 'short' });
		assert.equal(weak.status, 400);
		assert.ok(await there.signedIn(), 'nothing changed yet');
		const r = await here.send('/admin/profile/password', { current: PW.chg, password: 'Mat-khau-moi-2026', password2: 'Mat-khau-moi-2026' });
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/admin/profile');
		assert.ok(await here.signedIn(), 'this browser stays signed in');
		assert.equal(await there.signedIn(), false, 'the other one is signed out');
		assert.ok(Number(sql(data, `SELECT password_changed_at FROM users WHERE id = ${ids.chg}`)) > 0);
		assert.equal(audits(`action = 'user.password_change' AND object_id = ${ids.chg}`), 1);
		assert.equal((await new Browser().login('chg', PW.chg)).status, 401, 'the old password no longer works');
		assert.equal((await new Browser().login('chg', 'Mat-khau-moi-2026')).status, 303);
	});

	test('two-factor sign-in: enrol with a first code, then sign in with a computed code', async () => {
		const b = await signedInAs('two');
		const secret = await enrol(b, 'two');
		assert.equal(sql(data, `SELECT totp_secret FROM users WHERE id = ${ids.two}`), secret);
		assert.equal(audits(`action = 'user.2fa_enable' AND object_id = ${ids.two}`), 1);
		const profile = await b.get('/admin/profile');
		assert.match(profile.text, /status-on/);

		const c = new Browser();
		const r = await c.login('two', PW.two);
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/dang-nhap/xac-thuc');
		assert.equal(await c.signedIn(), false, 'the password alone opens nothing');
		const page = await c.get('/dang-nhap/xac-thuc');
		assert.equal(page.status, 200);
		assert.match(page.text, /autocomplete="one-time-code"/);
		const csrf = csrfOf(page.text);
		const noCsrf = await c.post('/dang-nhap/xac-thuc', { code: totp(secret) });
		assert.equal(noCsrf.status, 403);
		const bad = await c.post('/dang-nhap/xac-thuc', { csrf, code: '12345x' });
		assert.equal(bad.status, 401);
		assert.ok(audits(`action = 'login.2fa_failed' AND object_id = ${ids.two}`) >= 1);
		/* the code of the step after the one the enrolment spent: that one is used up */
		const step = Math.floor(Date.now() / 1000 / 30);
		const code = totp(secret, step + 1);
		const ok = await c.post('/dang-nhap/xac-thuc', { csrf, code });
		assert.equal(ok.status, 303);
		assert.equal(ok.headers.location, '/admin');
		assert.ok(await c.signedIn());
		assert.ok(audits(`action = 'login.2fa' AND object_id = ${ids.two}`) >= 1);
		assert.ok(audits(`action = 'login' AND object_id = ${ids.two} AND user_id = ${ids.two}`) >= 1);

		/* a code works once: the same one in another sign-in is refused */
		const d = new Browser();
		await d.login('two', PW.two);
		const page2 = await d.get('/dang-nhap/xac-thuc');
		const replay = await d.post('/dang-nhap/xac-thuc', { csrf: csrfOf(page2.text), code });
		assert.equal(replay.status, 401);
		assert.equal(await d.signedIn(), false);
		/* the English page */
		const e = new Browser();
		const er = await e.login('two', PW.two, '/en/login');
		assert.equal(er.headers.location, '/en/login/verify');
		const ep = await e.get('/en/login/verify');
		assert.match(ep.text, /Two-factor sign-in/);
	});

	test('two-factor guesses are throttled: 429 with Retry-After', async () => {
		const c = new Browser();
		await c.login('two', PW.two);
		const csrf = csrfOf((await c.get('/dang-nhap/xac-thuc')).text);
		sql(data, `DELETE FROM login_throttle WHERE key = 't:${ids.two}'`);
		for (let i = 0; i < 6; i++) assert.equal((await c.post('/dang-nhap/xac-thuc', { csrf, code: '000000' })).status, 401);
		const r = await c.post('/dang-nhap/xac-thuc', { csrf, code: '000000' });
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) > 0);
		sql(data, `DELETE FROM login_throttle WHERE key = 't:${ids.two}'`);
	});

	test('two-factor can be turned off with the password, and an admin can turn it off for a user', async () => {
		const b = await signedInAs('boss');
		await enrol(b, 'boss');
		const wrong = await b.send('/admin/profile/2fa/disable', { password: 'wrong-password-x' });
		assert.equal(wrong.status, 400);
		assert.notEqual(sql(data, `SELECT totp_secret FROM users WHERE id = ${ids.boss}`), '');
		const off = await b.send('/admin/profile/2fa/disable', { password: PW.boss });
		assert.equal(off.status, 303);
		assert.equal(sql(data, `SELECT totp_secret FROM users WHERE id = ${ids.boss}`), '');
		const reset = await b.send(`/admin/users/${ids.two}/2fa-off`);
		assert.equal(reset.status, 303);
		assert.equal(sql(data, `SELECT totp_secret FROM users WHERE id = ${ids.two}`), '');
		assert.equal(audits(`action = 'user.2fa_reset' AND object_id = ${ids.two}`), 1);
		const c = new Browser();
		assert.equal((await c.login('two', PW.two)).headers.location, '/admin', 'no code asked any more');
	});

	test('security.require_2fa_admins sends an admin without TOTP to set it up before anything else',
		async () => {
			sql(data, "INSERT INTO settings (key, value) VALUES ('security.require_2fa_admins', '1') ON CONFLICT (key) DO UPDATE SET value = '1'");
			try {
				const b = new Browser();
				const r = await b.login('boss2', PW.boss2);
				assert.equal(r.headers.location, '/dang-nhap/xac-thuc');
				assert.equal(await b.signedIn(), false);
				const start = await b.get('/dang-nhap/xac-thuc');
				assert.match(start.text, /Đăng nhập hai lớp|hai lớp/);
				const go = await b.post('/dang-nhap/xac-thuc', { csrf: csrfOf(start.text) });
				assert.equal(go.status, 303);
				const page = await b.get('/dang-nhap/xac-thuc');
				const secret = page.text.match(/<code class="totp-secret">([A-Z2-7 ]+)<\/code>/)[1].replace(/ /g, '');
				const ok = await b.post('/dang-nhap/xac-thuc', { csrf: csrfOf(page.text), code: totp(secret) });
				assert.equal(ok.status, 303);
				assert.ok(await b.signedIn());
				assert.notEqual(sql(data, `SELECT totp_secret FROM users WHERE id = ${ids.boss2}`), '');
			} finally {
				sql(data, "DELETE FROM settings WHERE key = 'security.require_2fa_admins'");
			}
		});
});

describe('audit log', () => {
	test('newest first, filters by user, action prefix, object and Vietnam dates, with pages', async () => {
		/* two entries on either side of midnight in Vietnam on 10 March 2025 (UTC+7) */
		const vn = (s) => Math.floor(Date.parse(`${s}+07:00`) / 1000);
		sql(data, `INSERT INTO audit_log (at, login, action, object_type, object_id, detail, ip) VALUES
			(${vn('2025-03-09T23:59:00')}, 'lich.su', 'article.publish', 'article', 7, 'before', '192.0.2.1'),
			(${vn('2025-03-10T00:01:00')}, 'lich.su', 'article.publish', 'article', 7, 'after', '192.0.2.1'),
			(${vn('2025-03-10T23:59:00')}, 'lich.su', 'article.submit', 'article', 8, 'late', '192.0.2.1'),
			(${vn('2025-03-11T00:00:00')}, 'lich.su', 'article.publish', 'article', 7, 'next day', '192.0.2.1')`);
		const b = await signedInAs('boss');
		const day = await b.get('/admin/audit?from=2025-03-10&to=2025-03-10&user=lich.su');
		assert.equal(day.status, 200);
		const details = [...day.text.matchAll(/<td class="detail">([^<]*)<\/td>/g)].map((m) => m[1]);
		assert.deepEqual(details, ['late', 'after'], 'that day only, newest first');
		const pub = await b.get('/admin/audit?user=lich.su&action=article.pub');
		assert.equal([...pub.text.matchAll(/<td class="detail">/g)].length, 3);
		const obj = await b.get('/admin/audit?type=article&object=8');
		assert.deepEqual([...obj.text.matchAll(/<td class="detail">([^<]*)<\/td>/g)].map((m) => m[1]), ['late']);
		const badDate = await b.get('/admin/audit?from=2025-02-31');
		assert.equal(badDate.status, 200);
		assert.match(badDate.text, /class="form-error"/);

		const rows = Array.from({ length: 60 }, (_, i) => `(${vn('2024-01-01T08:00:00') + i}, 'nhieu', 'bulk.${i}', '', NULL, '', '')`);
		sql(data, `INSERT INTO audit_log (at, login, action, object_type, object_id, detail, ip) VALUES ${rows.join(',')}`);
		const p1 = await b.get('/admin/audit?user=nhieu');
		assert.equal([...p1.text.matchAll(/<td class="detail">/g)].length, 50);
		assert.ok(p1.text.includes('<code>bulk.59</code>'), 'newest first');
		const next = unescapeHtml(p1.text.match(/<a href="([^"]+)" rel="next"/)[1]);
		assert.equal(next, '/admin/audit?user=nhieu&page=2');
		const p2 = await b.get(next);
		assert.equal([...p2.text.matchAll(/<td class="detail">/g)].length, 10);
		assert.ok(p2.text.includes('<code>bulk.0</code>'));
		assert.doesNotMatch(p2.text, /rel="next"/);
	});

	test('the viewer has no way to change or delete an entry', async () => {
		const b = await signedInAs('boss');
		const page = await b.get('/admin/audit');
		assert.doesNotMatch(page.text, /<form method="post"[^>]*audit/i);
		for (const m of ['POST', 'PUT', 'DELETE']) {
			const r = await request(srv, '/admin/audit', { method: m, headers: { cookie: b.cookie() } });
			assert.equal(r.status, 405, m);
		}
	});

	test('CSV export: UTF-8 with a BOM, an attachment, quoted cells, formulas defused', async () => {
		const b = new Browser();
		const page = await b.get('/dang-nhap');
		const csrf = csrfOf(page.text);
		/* a failed login records whatever was typed as the login: a formula, a quote, Vietnamese */
		for (const login of ['=HYPERLINK("http://x","y")', '+1+1', '@SUM(A1)', 'Nguyễn, "Văn"']) {
			const r = await b.post('/dang-nhap', { csrf, login, password: 'wrong-password-csv' });
			assert.equal(r.status, 401);
		}
		sql(data, "DELETE FROM login_throttle WHERE key LIKE 'a:%'");
		const boss = await signedInAs('boss');
		const r = await boss.get('/admin/audit.csv?action=login.failed');
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
		assert.match(r.headers['content-disposition'], /^attachment; filename="audit-log-\d{8}\.csv"$/);
		assert.match(r.headers['cache-control'], /no-store/);
		assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
		const text = r.body.subarray(3).toString('utf8');
		const lines = text.split('\r\n');
		assert.equal(lines.at(-1), '', 'CRLF line ends, ending with one');
		assert.match(lines[0], /^Mã số,Thời gian \(UTC\),/, 'Vietnamese headings');
		assert.ok(text.includes(`"'=HYPERLINK(""http://x"",""y"")"`), 'a formula is quoted and prefixed');
		assert.ok(text.includes(`"'+1+1"`));
		assert.ok(text.includes(`"'@SUM(A1)"`));
		assert.ok(text.includes('"Nguyễn, ""Văn"""'), 'comma and quotes quoted');
		for (const l of lines.slice(1, -1)) assert.ok(l.includes(',login.failed,'), l);
		assert.ok(audits("action = 'audit.export'") >= 1, 'the export itself is on record');
		const all = await boss.get('/en/admin/audit.csv');
		assert.match(all.body.subarray(3).toString('utf8'), /^ID,Time \(UTC\),Time \(Vietnam\),User,/);
	});
});

test('the server logged no sanitizer report', () => {
	assert.equal(sanitizerReports(srv.log()), '');
});
