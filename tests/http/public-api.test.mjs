// The public read API (/api/v1 without credentials): listings with filters and cursor pagination, one
// article, the category tree, caching (ETag/304), CORS, the rate limit, and every real response checked
// against the OpenAPI description the server publishes at /api/v1/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { initPortal, startServer, runCong, request, sql, cleanup, poll } from './helpers.mjs';

let dir, srv, limited, spec;
const PW = { boss: 'Duyet-tin-2026!' };
const RATE = 5;
let draftId, futureId;

const json = (r) => JSON.parse(r.text);
const now = () => Math.floor(Date.now() / 1000);
const get = (path, headers = {}, server = srv) => request(server, path, { headers });
async function getJson(path, server = srv) {
	const r = await get(path, {}, server);
	assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
	assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
	return { r, body: json(r) };
}
/* The ids the API must list for a language: published, time come, newest first. */
function visibleIds(lang, extra = '') {
	const out = sql(dir, `SELECT a.id FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = a.lang
		WHERE a.lang = '${lang}' AND a.status = 'published' AND a.published_at <= strftime('%s','now') ${extra}
		ORDER BY a.published_at DESC, a.id DESC`);
	return out ? out.split('\n').map(Number) : [];
}
/* Every item of a listing, following "next". */
async function walk(query, onPage) {
	const ids = [];
	let url = `/api/v1/articles?${query}`, pages = 0;
	for (;;) {
		const { body } = await getJson(url);
		check('listArticles', 200, body);
		ids.push(...body.items.map((a) => a.id));
		pages++;
		if (onPage) await onPage(pages);
		if (!body.next) {
			assert.equal(body.next_url, null);
			break;
		}
		const u = new URL(body.next_url);
		assert.equal(u.searchParams.get('cursor'), body.next);
		url = u.pathname + u.search;
		assert.ok(pages < 100, 'the walk ends');
	}
	return { ids, pages };
}

/* ---- a small OpenAPI 3.0 schema checker: $ref, allOf, nullable, type, required, properties (undocumented
 * properties are reported too, so the description stays complete), items, enum, minimum/maximum, and the
 * formats date-time (RFC 3339) and uri (absolute) ---------------------------------------------------- */
function resolve(node) {
	let n = node;
	for (let i = 0; n && n.$ref && i < 20; i++) {
		assert.match(n.$ref, /^#\//, `only local $ref: ${n.$ref}`);
		n = n.$ref
			.slice(2)
			.split('/')
			.reduce((o, k) => (o == null ? undefined : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), spec);
		assert.ok(n, `unresolved $ref ${node.$ref}`);
	}
	return n;
}
/* The documented property names of an object schema, through allOf. */
function documented(schema) {
	const s = resolve(schema);
	const keys = new Set(Object.keys(s.properties || {}));
	for (const b of s.allOf || []) for (const k of documented(b)) keys.add(k);
	return keys;
}
function validate(schema, v, at, errors, strict = true) {
	const s = resolve(schema);
	if (v === null) {
		if (!s.nullable) errors.push(`${at}: null but not nullable`);
		return;
	}
	for (const b of s.allOf || []) validate(b, v, at, errors, false);
	if (s.allOf && strict && v && typeof v === 'object' && !Array.isArray(v)) {
		const keys = documented(s);
		for (const k of Object.keys(v)) if (!keys.has(k)) errors.push(`${at}.${k}: not in the description`);
	}
	if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not one of ${s.enum.join(', ')}`);
	switch (s.type) {
		case undefined:
			break;
		case 'object':
			if (typeof v !== 'object' || Array.isArray(v)) {
				errors.push(`${at}: expected an object`);
				return;
			}
			for (const k of s.required || []) if (!(k in v)) errors.push(`${at}.${k}: required but missing`);
			for (const [k, sub] of Object.entries(s.properties || {})) if (k in v) validate(sub, v[k], `${at}.${k}`, errors);
			if (strict && s.properties && s.additionalProperties === undefined)
				for (const k of Object.keys(v)) if (!(k in s.properties)) errors.push(`${at}.${k}: not in the description`);
			break;
		case 'array':
			if (!Array.isArray(v)) {
				errors.push(`${at}: expected an array`);
				return;
			}
			v.forEach((x, i) => validate(s.items || {}, x, `${at}[${i}]`, errors));
			break;
		case 'integer':
		case 'number':
			if (typeof v !== 'number' || (s.type === 'integer' && !Number.isInteger(v))) {
				errors.push(`${at}: expected ${s.type}, got ${JSON.stringify(v)}`);
				return;
			}
			if (s.minimum !== undefined && v < s.minimum) errors.push(`${at}: ${v} < ${s.minimum}`);
			if (s.maximum !== undefined && v > s.maximum) errors.push(`${at}: ${v} > ${s.maximum}`);
			break;
		case 'string':
			if (typeof v !== 'string') {
				errors.push(`${at}: expected a string, got ${JSON.stringify(v)}`);
				return;
			}
			if (s.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v))
				errors.push(`${at}: not an RFC 3339 date-time: ${v}`);
			if (s.format === 'uri') {
				try {
					new URL(v);
				} catch {
					errors.push(`${at}: not an absolute URI: ${v}`);
				}
			}
			break;
		case 'boolean':
			if (typeof v !== 'boolean') errors.push(`${at}: expected a boolean`);
			break;
		default:
			errors.push(`${at}: unknown schema type ${s.type}`);
	}
}
const OPS = {};
const seen = new Set(); /* operationId:status pairs the tests checked */
/* Checks a response body against the operation's documented response for status. */
function check(operationId, status, body) {
	const op = OPS[operationId];
	assert.ok(op, `operation ${operationId} is described`);
	const resp = op.responses[String(status)];
	assert.ok(resp, `${operationId} documents status ${status}`);
	const schema = resolve(resp).content['application/json'].schema;
	const errors = [];
	validate(schema, body, operationId, errors);
	assert.deepEqual(errors, [], `${operationId} ${status} matches the description`);
	seen.add(`${operationId}:${status}`);
}

/* ---- set-up -------------------------------------------------------------------------------------- */

before(async () => {
	dir = await initPortal();
	const r = await runCong(['user', 'add', '--data', dir, '--login', 'boss', '--role', 'publisher', '--password-stdin'], {
		input: PW.boss + '\n',
	});
	assert.equal(r.code, 0, r.stderr);
	/* a draft and an article published "tomorrow": neither may ever show */
	sql(dir, `INSERT INTO articles (lang, category_id, slug, title, lead, body, status, published_at, created_at, updated_at)
		VALUES ('vi', 1, 'ban-nhap-bi-mat-api', 'Bản nháp bí mật API', 'nháp', 'nội dung nháp', 'draft', NULL, strftime('%s','now'), strftime('%s','now'))`);
	draftId = Number(sql(dir, "SELECT id FROM articles WHERE slug = 'ban-nhap-bi-mat-api'"));
	sql(dir, `INSERT INTO articles (lang, category_id, slug, title, lead, body, status, published_at, created_at, updated_at)
		VALUES ('vi', 1, 'tin-ngay-mai-api', 'Tin ngày mai API', 'sắp đăng', 'nội dung', 'published', strftime('%s','now') + 86400, strftime('%s','now'), strftime('%s','now'))`);
	futureId = Number(sql(dir, "SELECT id FROM articles WHERE slug = 'tin-ngay-mai-api'"));
	srv = await startServer(dir, { flags: ['--api_rate_limit', '0'] });
	limited = await startServer(dir, { flags: ['--api_rate_limit', String(RATE)] });
	const o = await get('/api/v1/openapi.json');
	assert.equal(o.status, 200);
	spec = json(o);
	for (const p of Object.values(spec.paths)) for (const op of Object.values(p)) OPS[op.operationId] = op;
});
after(async () => {
	for (const s of [srv, limited]) {
		const r = await s?.stop();
		assert.equal(r?.code, 0, 'the server stops cleanly');
	}
	await cleanup();
});

/* ---- tests --------------------------------------------------------------------------------------- */

test('the OpenAPI description is OpenAPI 3.0 with every path of the public API', () => {
	assert.match(spec.openapi, /^3\.0\.\d+$/);
	for (const p of ['/api/v1/articles', '/api/v1/articles/{id}', '/api/v1/categories', '/api/v1/search', '/api/v1/openapi.json'])
		assert.ok(spec.paths[p]?.get, `${p} is described`);
	/* every $ref resolves */
	const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) || [];
	for (const r of refs) resolve({ $ref: JSON.parse(`{${r}}`).$ref });
});

test('the list: published Vietnamese articles, newest first, all fields, JSON, CORS, cacheable', async () => {
	const { r, body } = await getJson('/api/v1/articles');
	check('listArticles', 200, body);
	assert.equal(r.headers['access-control-allow-origin'], '*');
	assert.match(r.headers['cache-control'], /^public, max-age=\d+$/);
	assert.ok(r.headers.etag);
	const want = visibleIds('vi');
	assert.deepEqual(body.items.map((a) => a.id), want.slice(0, 20), 'default page size 20, newest first');
	assert.ok(body.next, 'there is more');
	const base = sql(dir, "SELECT value FROM settings WHERE key = 'site.base_url'");
	for (const a of body.items) {
		assert.equal(a.lang, 'vi');
		assert.equal(a.url, `${base}/tin-tuc/${a.slug}`);
		assert.match(a.published_at, /\+07:00$/);
		if (a.image) assert.ok(a.image.url.startsWith(`${base}/media/`));
	}
	/* translations: an article of a translation group lists the others */
	const grp = sql(dir, "SELECT group_id FROM articles WHERE group_id IS NOT NULL AND group_id <> id AND status = 'published' LIMIT 1");
	const { body: one } = await getJson(`/api/v1/articles/${grp}`);
	const langs = one.translations.map((t) => t.lang).sort();
	assert.ok(langs.length >= 1 && !langs.includes(one.lang), JSON.stringify(one.translations));
	for (const t of one.translations) assert.match(t.url, t.lang === 'vi' ? /\/tin-tuc\// : new RegExp(`/${t.lang}/news/`));
});

test('filters: language, category by id and by slug (with subcategories), since, limit; bad values answer 400/404', async () => {
	for (const lang of ['en', 'zh']) {
		const { body } = await getJson(`/api/v1/articles?lang=${lang}&limit=100`);
		check('listArticles', 200, body);
		assert.deepEqual(body.items.map((a) => a.id), visibleIds(lang));
		assert.ok(body.items.every((a) => a.lang === lang));
	}
	/* a parent category with children */
	const parent = Number(sql(dir, 'SELECT parent_id FROM categories WHERE parent_id IS NOT NULL LIMIT 1'));
	const slug = sql(dir, `SELECT slug FROM category_i18n WHERE category_id = ${parent} AND lang = 'vi'`);
	const want = visibleIds('vi', `AND (a.category_id = ${parent} OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ${parent}))`);
	assert.ok(want.length > 0);
	const byId = await getJson(`/api/v1/articles?category=${parent}&limit=100`);
	const bySlug = await getJson(`/api/v1/articles?category=${slug}&limit=100`);
	assert.deepEqual(byId.body.items.map((a) => a.id), want);
	assert.deepEqual(bySlug.body.items.map((a) => a.id), want);
	/* since: a date (Vietnam midnight) and a date-time with an offset */
	const times = sql(dir, "SELECT published_at FROM articles WHERE lang = 'vi' AND status = 'published' ORDER BY published_at").split('\n').map(Number);
	const mid = times[Math.floor(times.length / 2)];
	const vn = new Date((mid + 7 * 3600) * 1000).toISOString(); /* wall clock in Vietnam */
	const day = vn.slice(0, 10);
	const dayStart = Date.parse(`${day}T00:00:00+07:00`) / 1000;
	let r = await getJson(`/api/v1/articles?since=${day}&limit=100`);
	check('listArticles', 200, r.body);
	assert.deepEqual(r.body.items.map((a) => a.id), visibleIds('vi', `AND a.published_at >= ${dayStart}`));
	const exact = `${vn.slice(0, 19)}%2B07:00`;
	r = await getJson(`/api/v1/articles?since=${exact}&limit=100`);
	assert.deepEqual(r.body.items.map((a) => a.id), visibleIds('vi', `AND a.published_at >= ${mid}`));
	r = await getJson(`/api/v1/articles?since=${new Date(mid * 1000).toISOString().slice(0, 19)}Z&limit=100`);
	assert.deepEqual(r.body.items.map((a) => a.id), visibleIds('vi', `AND a.published_at >= ${mid}`));
	r = await getJson('/api/v1/articles?limit=3');
	assert.equal(r.body.items.length, 3);
	for (const [q, status] of [
		['limit=0', 400], ['limit=101', 400], ['limit=x', 400], ['lang=fr', 400], ['since=2026-13-01', 400],
		['since=yesterday', 400], ['cursor=%21%21', 400], ['cursor=bm9wZQ', 400], ['category=no-such-category', 404],
		['category=999999', 404],
	]) {
		const e = await get(`/api/v1/articles?${q}`);
		assert.equal(e.status, status, `${q}: ${e.text}`);
		assert.equal(e.headers['content-type'], 'application/json; charset=utf-8');
		assert.equal(e.headers['cache-control'], 'no-cache', 'errors are not cached');
		check('listArticles', status, json(e));
	}
});

test('cursor pagination lists every visible article exactly once, even while articles are published', async () => {
	const want = visibleIds('vi');
	let inserted = 0;
	const { ids, pages } = await walk('limit=7', async (page) => {
		if (page === 2) {
			/* published "now" while a client pages: it sorts before the cursor, never into later pages */
			sql(dir, `INSERT INTO articles (lang, category_id, slug, title, status, published_at, created_at, updated_at)
				VALUES ('vi', 1, 'tin-moi-trong-luc-phan-trang', 'Tin mới trong lúc phân trang', 'published',
				strftime('%s','now'), strftime('%s','now'), strftime('%s','now'))`);
			inserted = Number(sql(dir, "SELECT id FROM articles WHERE slug = 'tin-moi-trong-luc-phan-trang'"));
		}
	});
	assert.equal(new Set(ids).size, ids.length, 'no article twice');
	assert.deepEqual(ids, want, 'all of them, in order');
	assert.equal(pages, Math.ceil(want.length / 7));
	assert.ok(inserted && !ids.includes(inserted));
	/* a new walk starts with it */
	const { body } = await getJson('/api/v1/articles?limit=1&lang=vi&x=fresh');
	assert.equal(body.items[0].id, inserted);
});

test('one article: body_html from Markdown, body_markdown, tags; schema-checked', async () => {
	const id = visibleIds('vi')[3];
	const { r, body } = await getJson(`/api/v1/articles/${id}`);
	check('getArticle', 200, body);
	assert.equal(r.headers['access-control-allow-origin'], '*');
	assert.equal(body.id, id);
	assert.equal(body.body_markdown.trim(), sql(dir, `SELECT body FROM articles WHERE id = ${id}`));
	assert.match(body.body_html, /<p>/);
	assert.ok(!/<script/i.test(body.body_html));
});

test('a draft or a not-yet-due article is never listed or fetchable', async () => {
	for (const lang of ['vi']) {
		const { ids } = await walk(`lang=${lang}&limit=100`);
		assert.ok(!ids.includes(draftId) && !ids.includes(futureId));
	}
	for (const path of [`/api/v1/articles/${draftId}`, `/api/v1/articles/${futureId}`, '/api/v1/articles/999999', '/api/v1/articles/abc']) {
		const r = await get(path);
		assert.equal(r.status, 404, path);
		assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
		check('getArticle', 404, json(r));
		assert.ok(!r.text.includes('bí mật'));
	}
});

test('unpublishing removes an article from the API at once (the cache is dropped)', async () => {
	const id = visibleIds('vi')[0];
	assert.equal((await getJson(`/api/v1/articles/${id}`)).body.id, id);
	assert.equal((await getJson('/api/v1/articles?limit=5')).body.items[0].id, id);
	const login = await request(srv, '/api/v1/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login: 'boss', password: PW.boss }),
	});
	assert.equal(login.status, 201, login.text);
	const token = json(login).token;
	const u = await request(srv, `/api/v1/articles/${id}/unpublish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
	assert.equal(u.status, 200, u.text);
	assert.equal((await get(`/api/v1/articles/${id}`)).status, 404);
	const { body } = await getJson('/api/v1/articles?limit=5');
	assert.ok(!body.items.some((a) => a.id === id));
});

test('with credentials GET /api/v1/articles is still the admin API: private, never cached', async () => {
	const login = await request(srv, '/api/v1/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login: 'boss', password: PW.boss }),
	});
	const token = json(login).token;
	const r = await get('/api/v1/articles?status=draft&per_page=5', { authorization: `Bearer ${token}` });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers['cache-control'], 'private, no-store');
	assert.ok(!r.headers['access-control-allow-origin']);
	const b = json(r);
	assert.ok('total' in b && 'page' in b, 'the admin shape');
	const bad = await get('/api/v1/articles?status=draft&per_page=6', { authorization: 'Bearer 00' });
	assert.equal(bad.status, 401, 'a bad token is refused, not served the public list');
});

test('the category tree with names and slugs in each language', async () => {
	const { r, body } = await getJson('/api/v1/categories');
	check('listCategories', 200, body);
	assert.equal(r.headers['access-control-allow-origin'], '*');
	const all = [];
	const visit = (list, parent) => {
		for (const c of list) {
			assert.equal(c.parent_id, parent);
			all.push(c.id);
			visit(c.children, c.id);
		}
	};
	visit(body.items, null);
	assert.deepEqual(all.sort((a, b) => a - b), sql(dir, 'SELECT id FROM categories ORDER BY id').split('\n').map(Number));
	const first = body.items[0];
	assert.ok(first.i18n.vi && first.i18n.en && first.i18n.zh, 'names in the three languages');
	assert.match(first.i18n.en.url, /\/en\/category\//);
});

test('ETag and 304; the second request is a cache hit', async () => {
	const path = '/api/v1/categories?etag-test';
	const a = await get(path);
	const b = await get(path);
	assert.equal(a.status, 200);
	assert.ok(a.headers.etag);
	assert.equal(b.headers.etag, a.headers.etag);
	assert.equal(b.text, a.text);
	const c = await get(path, { 'if-none-match': a.headers.etag });
	assert.equal(c.status, 304);
	assert.equal(c.body.length, 0);
	const d = await get('/api/v1/articles/' + visibleIds('vi')[1], { 'if-none-match': '"nope"' });
	assert.equal(d.status, 200);
	const e = await get('/api/v1/articles/' + visibleIds('vi')[1], { 'if-none-match': d.headers.etag });
	assert.equal(e.status, 304);
	const rid = b.headers['x-request-id'];
	const line = await poll(() => srv.accessLog().split('\n').find((l) => l.includes(` ${rid} `)), 2000, 20);
	assert.match(line || '', / hit$/, 'answered from the page cache');
});

test('search: without diacritics, đ as d, snippets with <mark>, filters, paging; drafts never found', async () => {
	const id = visibleIds('vi')[2];
	const title = sql(dir, `SELECT title FROM articles WHERE id = ${id}`);
	const words = title.split(/\s+/).slice(0, 3).join(' ');
	const folded = words.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
	let { r, body } = await getJson(`/api/v1/search?q=${encodeURIComponent(folded)}&limit=100`);
	check('search', 200, body);
	assert.equal(r.headers['access-control-allow-origin'], '*');
	assert.ok(body.items.some((a) => a.id === id), `"${folded}" finds "${title}"`);
	const hit = body.items.find((a) => a.id === id);
	assert.match(hit.title_html, /<mark>/);
	assert.ok(body.total >= body.items.length);
	/* language filter, paging */
	({ body } = await getJson(`/api/v1/search?q=${encodeURIComponent(folded)}&lang=en`));
	assert.ok(body.items.every((a) => a.lang === 'en'));
	({ body } = await getJson('/api/v1/search?q=tinh&limit=2&sort=date'));
	check('search', 200, body);
	if (body.total > 2) {
		assert.ok(body.next_url);
		const u = new URL(body.next_url);
		const p2 = (await getJson(u.pathname + u.search)).body;
		assert.equal(p2.page, 2);
		assert.ok(!p2.items.some((a) => body.items.some((b) => b.id === a.id)));
	}
	/* neither the draft nor the article due tomorrow */
	for (const q of ['ban nhap bi mat', 'tin ngay mai API']) {
		const { body: none } = await getJson(`/api/v1/search?q=${encodeURIComponent(q)}`);
		assert.ok(!none.items.some((a) => a.id === draftId || a.id === futureId), q);
	}
	/* bad and odd queries: a normal answer, never a 500 */
	for (const q of ['"unbalanced', 'a AND OR NOT (', '-only', '\u0001\u0002', 'x'.repeat(10000)]) {
		const e = await get(`/api/v1/search?q=${encodeURIComponent(q)}`);
		assert.equal(e.status, 200, `${JSON.stringify(q.slice(0, 20))}: ${e.status}`);
		check('search', 200, json(e));
	}
	for (const [q, status] of [['', 400], ['q=x&lang=fr', 400], ['q=x&sort=best', 400], ['q=x&category=nope', 404]]) {
		const e = await get(`/api/v1/search?${q}`);
		assert.equal(e.status, status, q);
		check('search', status, json(e));
	}
});

test('a CORS preflight is answered for the public paths', async () => {
	const r = await request(srv, '/api/v1/articles', { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
	assert.equal(r.status, 204);
	assert.equal(r.headers['access-control-allow-origin'], '*');
	assert.match(r.headers['access-control-allow-methods'], /GET/);
});

test('the rate limit: 429 with Retry-After and a JSON error after api_rate_limit calls a minute; cache hits are free', async () => {
	/* one URL fetched first, so that it is in the page cache */
	const cached = '/api/v1/categories?rate-cached';
	assert.equal((await get(cached, {}, limited)).status, 200);
	/* distinct URLs reach a worker; 2×RATE+2 calls see a 429 even if a minute boundary passes */
	let hit = null;
	for (let i = 0; i < 2 * RATE + 2 && !hit; i++) {
		const r = await get(`/api/v1/articles?limit=1&n=${i}`, {}, limited);
		if (r.status === 429) hit = r;
		else assert.equal(r.status, 200);
	}
	assert.ok(hit, 'a 429 came');
	const wait = Number(hit.headers['retry-after']);
	assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${hit.headers['retry-after']}`);
	assert.equal(hit.headers['content-type'], 'application/json; charset=utf-8');
	assert.equal(hit.headers['cache-control'], 'private, no-store');
	assert.equal(hit.headers['access-control-allow-origin'], '*');
	const b = json(hit);
	assert.equal(b.error, 'rate_limited');
	check('listArticles', 429, b);
	/* the other public calls are limited too; a page-cache hit is answered without counting */
	const again = await get('/api/v1/articles/1?n=x', {}, limited);
	if (again.status === 429) check('getArticle', 429, json(again));
	assert.equal((await get(cached, {}, limited)).status, 200, 'a cached answer is still served');
	/* the unlimited server (api_rate_limit 0) never says 429 */
	for (let i = 0; i < 10; i++) assert.equal((await get(`/api/v1/articles?limit=1&free=${i}`)).status, 200);
});

test('every documented operation was checked against a real response', () => {
	for (const k of ['listArticles:200', 'listArticles:400', 'listArticles:404', 'listArticles:429', 'getArticle:200', 'getArticle:404', 'listCategories:200', 'search:200', 'search:400', 'search:404'])
		assert.ok(seen.has(k), `${k} was checked`);
});

/* Known gaps outside this module (see the report in docs/API.md): the page cache stores no extra headers
 * and is looked up before any handler, keyed by the URL alone. */
test('a cache hit keeps Access-Control-Allow-Origin', async () => {
	const path = '/api/v1/categories?cors-hit';
	await get(path);
	const r = await get(path);
	assert.equal(r.headers['access-control-allow-origin'], '*');
});
test('a request with Authorization is never answered from the public cache', async () => {
	const path = '/api/v1/articles?limit=2&auth-hit';
	await get(path);
	const r = await get(path, { authorization: 'Bearer 00' });
	assert.equal(r.status, 401);
});
