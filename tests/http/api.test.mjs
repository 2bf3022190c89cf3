// The admin JSON API (/api/v1): tokens, the workflow through JSON, permissions, optimistic locking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initPortal, startServer, runCong, request, sql, cleanup } from './helpers.mjs';

let dir, srv;
const PW = { boss: 'Duyet-tin-2026!', bt1: 'Bien-tap-mot-1', bt2: 'Bien-tap-hai-2' };

before(async () => {
	dir = await initPortal();
	for (const [login, role] of [['boss', 'publisher'], ['bt1', 'editor'], ['bt2', 'editor']]) {
		const r = await runCong(['user', 'add', '--data', dir, '--login', login, '--role', role, '--password-stdin'], { input: PW[login] + '\n' });
		assert.equal(r.code, 0, r.stderr);
	}
	srv = await startServer(dir);
});
after(async () => {
	const r = await srv?.stop();
	assert.equal(r?.code, 0, 'the server stops cleanly');
	await cleanup();
});

const json = (r) => JSON.parse(r.text);
async function call(method, path, { token, body, headers = {} } = {}) {
	const h = { ...headers };
	if (token) h.authorization = `Bearer ${token}`;
	if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
	return request(srv, path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
}
async function login(user) {
	const r = await call('POST', '/api/v1/session', { body: { login: user, password: PW[user] } });
	assert.equal(r.status, 201, r.text);
	const t = json(r);
	assert.equal(t.token_type, 'Bearer');
	assert.match(t.token, /^[0-9a-f]{64}$/);
	return t.token;
}

test('a token comes from the password, and a wrong password or unknown login get the same answer', async () => {
	const bad = await call('POST', '/api/v1/session', { body: { login: 'bt1', password: 'wrong-password-x' } });
	const unknown = await call('POST', '/api/v1/session', { body: { login: 'nobody-here', password: 'wrong-password-x' } });
	assert.equal(bad.status, 401);
	assert.equal(unknown.status, 401);
	assert.deepEqual(json(bad), json(unknown));
	assert.equal((await call('POST', '/api/v1/session', { body: 'not json' })).status, 400);
	const t = await login('bt1');
	assert.equal((await call('GET', '/api/v1/articles', { token: t })).status, 200);
	const anon = await call('GET', '/api/v1/articles');
	assert.equal(anon.status, 200, 'no token: the public list');
	assert.ok(json(anon).items.every((a) => !('status' in a) || a.status === 'published'), 'the public list shows only published articles');
	assert.equal((await call('DELETE', '/api/v1/session', { token: t })).status, 204);
	assert.equal((await call('GET', '/api/v1/articles', { token: t })).status, 401, 'a deleted token is dead');
	assert.ok(Number(sql(dir, "SELECT count(*) FROM audit_log WHERE action = 'login' AND detail = 'api'")) >= 1);
});

test('the workflow through JSON: create, edit with the revision, conflict, submit, return, publish', async () => {
	const ed = await login('bt1'), pub = await login('boss'), other = await login('bt2');
	const cat = Number(sql(dir, "SELECT category_id FROM category_i18n WHERE lang = 'vi' LIMIT 1"));
	let r = await call('POST', '/api/v1/articles', { token: ed, body: { title: 'Khánh thành cầu Đò Lèn qua API', lang: 'vi', category_id: cat, lead: 'Sáng nay', body: 'Nội dung **đậm**.' } });
	assert.equal(r.status, 201, r.text);
	const a = json(r);
	assert.equal(a.status, 'draft');
	assert.equal(a.revision, 1);
	assert.match(r.headers.location, new RegExp(`/api/v1/articles/${a.id}$`));

	/* another editor: not found, never the content */
	r = await call('GET', `/api/v1/articles/${a.id}`, { token: other });
	assert.equal(r.status, 404);
	assert.ok(!r.text.includes('Đò Lèn'));
	assert.equal((await call('PUT', `/api/v1/articles/${a.id}`, { token: other, body: { revision: 1, title: 'x' } })).status, 404);

	r = await call('PUT', `/api/v1/articles/${a.id}`, { token: ed, body: { revision: 1, lead: 'Sáng 1/12' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(json(r).revision, 2);
	r = await call('PUT', `/api/v1/articles/${a.id}`, { token: ed, body: { revision: 1, lead: 'stale' } });
	assert.equal(r.status, 409);
	assert.equal(json(r).error, 'conflict');
	assert.equal((await call('PUT', `/api/v1/articles/${a.id}`, { token: ed, body: { lead: 'no revision' } })).status, 400);

	/* an editor cannot publish */
	r = await call('POST', `/api/v1/articles/${a.id}/publish`, { token: ed });
	assert.equal(r.status, 403, r.text);
	r = await call('POST', `/api/v1/articles/${a.id}/submit`, { token: ed });
	assert.equal(json(r).status, 'pending');
	r = await call('POST', `/api/v1/articles/${a.id}/return`, { token: pub, body: {} });
	assert.equal(r.status, 422, 'a return needs a comment');
	r = await call('POST', `/api/v1/articles/${a.id}/return`, { token: pub, body: { comment: 'Bổ sung ảnh' } });
	assert.equal(json(r).status, 'returned');
	assert.equal((await call('POST', `/api/v1/articles/${a.id}/submit`, { token: ed })).status, 200);
	r = await call('POST', `/api/v1/articles/${a.id}/publish`, { token: pub });
	assert.equal(json(r).status, 'published');
	const home = await request(srv, '/');
	assert.ok(home.text.includes('Khánh thành cầu Đò Lèn qua API'), 'published through the API, on the home page at once');
	r = await call('POST', `/api/v1/articles/${a.id}/unpublish`, { token: pub });
	assert.equal(json(r).status, 'unpublished');
	assert.ok(!(await request(srv, '/')).text.includes('Đò Lèn'), 'unpublished: gone from the home page');
	assert.equal((await call('POST', `/api/v1/articles/${a.id}/nonsense`, { token: pub })).status, 404);
	const actions = sql(dir, `SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE object_id = ${a.id} AND object_type = 'article' ORDER BY id) AS x`);
	for (const x of ['article.create', 'article.edit', 'article.submit', 'article.return', 'article.publish', 'article.unpublish'])
		assert.ok(actions.includes(x), `audit has ${x}: ${actions}`);
});

test('a browser session needs the CSRF header for the API', async () => {
	/* a cookie-only credential without x-csrf-token must not change anything */
	const t = await login('bt1');
	const r = await call('POST', '/api/v1/articles', { headers: { cookie: `cong=${t}` }, body: { title: 'csrf', lang: 'vi', category_id: 1 } });
	assert.ok(r.status === 401 || r.status === 403, `got ${r.status}`);
	assert.equal(sql(dir, "SELECT count(*) FROM articles WHERE title = 'csrf'"), '0');
});

test('media upload through the API is validated by decoding', async () => {
	const t = await login('bt1');
	const name = sql(dir, 'SELECT name FROM media LIMIT 1');
	const jpeg = (await request(srv, `/media/${name}-480.jpg`)).body;
	let r = await call('POST', '/api/v1/media?alt=%E1%BA%A2nh%20th%E1%BB%AD', { token: t, headers: { 'content-type': 'image/jpeg' }, body: jpeg });
	assert.equal(r.status, 201, r.text);
	const m = json(r);
	assert.match(m.url, /^\/media\/[0-9a-f]{16}\.jpg$/);
	assert.equal((await request(srv, m.url)).status, 200);
	r = await call('POST', '/api/v1/media?alt=x', { token: t, headers: { 'content-type': 'image/jpeg' }, body: Buffer.from('<?php echo 1; ?>') });
	assert.equal(r.status, 422);
	assert.equal(json(r).error, 'invalid_image');
	r = await call('POST', '/api/v1/media', { token: t, headers: { 'content-type': 'image/jpeg' }, body: jpeg });
	assert.equal(r.status, 400, 'alt text is required');
});
