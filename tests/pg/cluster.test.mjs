// Two `cong serve` processes on one PostgreSQL database, as behind a load balancer: a session made on one
// works on the other; what one publishes or unpublishes shows on the other within a second, cached pages
// included.  Runs when CONG_TEST_PG names the test server (make test-pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG, addUser, cleanup, initPortal, poll, request, signIn, sql, startServer } from '../http/helpers.mjs';

const skip = PG ? false : 'needs CONG_TEST_PG (make test-pg)';
let dir, a, b;
const PW = 'Kiem-tra-cum-2026';

before(async () => {
	if (!PG) return;
	dir = await initPortal();
	await addUser(dir, { login: 'duyet', role: 'publisher', password: PW });
	/* the same data directory (cong.ini names the database; media shared) for both servers */
	a = await startServer(dir);
	b = await startServer(dir);
});
after(async () => {
	await a?.stop();
	await b?.stop();
	await cleanup();
});

const json = (r) => JSON.parse(r.text);
async function api(srv, method, path, token, body) {
	return request(srv, path, {
		method,
		headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
}

test('a session made on one server works on the other', { skip }, async () => {
	const s = await signIn(a, 'duyet', PW);
	const onB = await request(b, '/admin', { headers: { cookie: s.cookie() } });
	assert.equal(onB.status, 200, 'the dashboard on the second server');
	assert.ok(onB.text.includes('duyet'), 'as the same user');
	/* signing out on B ends the session on A too */
	const out = await request(b, '/admin/logout', {
		method: 'POST',
		headers: { cookie: s.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
		body: `csrf=${encodeURIComponent(s.csrf)}`,
	});
	assert.ok([302, 303].includes(out.status), `sign-out: ${out.status}`);
	assert.notEqual((await request(a, '/admin', { headers: { cookie: s.cookie() } })).status, 200);
});

test('published on one server: on the other within a second, its cached home page refreshed', { skip }, async () => {
	const t = await request(a, '/api/v1/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login: 'duyet', password: PW }),
	});
	assert.equal(t.status, 201, t.text);
	const token = json(t).token;
	/* B has its home page in its page cache (kept cache_ttl = 60 s unless dropped) */
	await request(b, '/');
	await request(b, '/');
	const cat = Number(sql(dir, "SELECT category_id FROM category_i18n WHERE lang = 'vi' LIMIT 1"));
	const title = `Tin hai máy chủ ${Date.now()}`;
	let r = await api(a, 'POST', '/api/v1/articles', token, { title, lang: 'vi', category_id: cat, lead: 'Hai máy', body: 'Nội dung.' });
	assert.equal(r.status, 201, r.text);
	const id = json(r).id;
	r = await api(a, 'POST', `/api/v1/articles/${id}/publish`, token);
	assert.equal(json(r).status, 'published');
	const t0 = Date.now();
	await poll(async () => (await request(b, '/')).text.includes(title), 3000, 50);
	const seen = Date.now() - t0;
	assert.ok(seen <= 1500, `the second server showed it after ${seen} ms`);
	/* and unpublished: gone from the other server's home page and article page */
	const slug = sql(dir, `SELECT slug FROM articles WHERE id = ${id}`);
	assert.equal((await request(b, `/tin-tuc/${slug}`)).status, 200);
	r = await api(a, 'POST', `/api/v1/articles/${id}/unpublish`, token);
	assert.equal(json(r).status, 'unpublished');
	await poll(async () => !(await request(b, '/')).text.includes(title), 3000, 50);
	assert.equal((await request(b, `/tin-tuc/${slug}`)).status, 404);
});

test('a scheduled article is published once, by one server', { skip }, async () => {
	const cat = Number(sql(dir, "SELECT category_id FROM category_i18n WHERE lang = 'vi' LIMIT 1"));
	const now = Math.floor(Date.now() / 1000);
	sql(dir, `INSERT INTO articles (lang, category_id, slug, title, status, published_at, created_at, updated_at)
		VALUES ('vi', ${cat}, 'hen-gio-cum-${now}', 'Hẹn giờ cụm ${now}', 'scheduled', ${now + 1}, ${now}, ${now})`);
	const id = sql(dir, `SELECT id FROM articles WHERE slug = 'hen-gio-cum-${now}'`);
	await poll(async () => sql(dir, `SELECT status FROM articles WHERE id = ${id}`) === 'published', 5000, 100);
	await poll(async () => (await request(a, '/')).text.includes(`Hẹn giờ cụm ${now}`) && (await request(b, '/')).text.includes(`Hẹn giờ cụm ${now}`), 3000, 100);
	const n = Number(sql(dir, `SELECT count(*) FROM audit_log WHERE object_type = 'article' AND object_id = ${id} AND action LIKE '%publish%'`));
	assert.equal(n, 1, 'one publication in the audit log, not one per server');
});
