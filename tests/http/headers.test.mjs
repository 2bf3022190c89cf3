// Response headers: security policy on every kind of response, request ids, ETag and conditional GET,
// long-lived caching of hashed static files, gzip, and the page cache (on and off).
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import {
	articleLinks,
	assertGracefulStop,
	cleanup,
	get200,
	initPortal,
	poll,
	rawRequest,
	request,
	sleep,
	startServer,
} from './helpers.mjs';

let data, srv, home, cssUrl, mediaUrl, articleUrl;

before(async () => {
	data = await initPortal();
	srv = await startServer(data);
	home = await get200(srv, '/');
	cssUrl = (home.text.match(/<link rel="stylesheet" href="([^"]+)"/) || [])[1];
	mediaUrl = (home.text.match(/\bsrc="(\/media\/[^"]+\.jpg)"/) || [])[1];
	articleUrl = articleLinks(home.text, 'vi')[0];
});
after(cleanup);

/** The security headers every response must carry; msg names the response. */
function assertSecurityHeaders(h, msg) {
	const csp = h['content-security-policy'];
	assert.ok(csp, `${msg}: content-security-policy`);
	const directives = Object.fromEntries(
		csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
			const [name, ...v] = d.split(/\s+/);
			return [name.toLowerCase(), v.join(' ')];
		}),
	);
	/* default-src 'self', or the stricter 'none' (then object-src falls back to it too) */
	assert.ok(["'self'", "'none'"].includes(directives['default-src']), `${msg}: default-src 'self' in "${csp}"`);
	assert.ok(directives['object-src'] === "'none'" || directives['default-src'] === "'none'", `${msg}: object-src 'none' in "${csp}"`);
	/* base-uri and frame-ancestors do not fall back to default-src: they must be there */
	assert.equal(directives['base-uri'], "'none'", `${msg}: base-uri 'none' in "${csp}"`);
	assert.equal(directives['frame-ancestors'], "'none'", `${msg}: frame-ancestors 'none' in "${csp}"`);
	assert.ok(!csp.includes("'unsafe-inline'"), `${msg}: no 'unsafe-inline' in "${csp}"`);
	assert.ok(!csp.includes("'unsafe-eval'"), `${msg}: no 'unsafe-eval' in "${csp}"`);
	assert.equal(h['x-content-type-options'], 'nosniff', `${msg}: x-content-type-options`);
	assert.ok(h['referrer-policy'], `${msg}: referrer-policy`);
	assert.ok(h['x-request-id'], `${msg}: x-request-id`);
	const ct = h['content-type'];
	assert.ok(ct, `${msg}: content-type`);
	if (/^text\//.test(ct)) assert.match(ct, /;\s*charset=utf-8$/i, `${msg}: charset on ${ct}`);
}

describe('security headers', () => {
	test('the home page sends the full policy as the exact default-src \'self\' policy', () => {
		const csp = home.headers['content-security-policy'];
		for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
			assert.ok(csp.includes(d), `"${d}" in "${csp}"`);
		assertSecurityHeaders(home.headers, 'GET /');
	});

	const cases = [
		['an HTML page', () => '/'],
		['an article', () => articleUrl],
		['an English page', () => '/en/'],
		['the hashed stylesheet', () => cssUrl],
		['a static file by its plain name', () => '/static/css/site.css'],
		['a media image', () => mediaUrl],
		['a 404 page', () => '/khong-co'],
		['a 404 under /en', () => '/en/nothing'],
		['a missing media file (404)', () => '/media/0000000000000000-960.jpg'],
		['a redirect', () => '/en'],
		['a 400', () => '/%zz'],
		['a 405', () => '/', 'POST'],
	];
	for (const [name, url, method] of cases) {
		test(`${name} carries the security headers and a request id`, async () => {
			const r = await request(srv, url(), { method: method || 'GET' });
			assert.ok(r.status < 500, `status ${r.status}`);
			assertSecurityHeaders(r.headers, `${method || 'GET'} ${url()} (${r.status})`);
		});
	}

	test('a cached page (second request) carries the same headers', async () => {
		await get200(srv, '/zh/');
		const r = await get200(srv, '/zh/');
		assertSecurityHeaders(r.headers, 'GET /zh/ (cached)');
	});

	test('request ids differ from one request to the next', async () => {
		const ids = new Set();
		for (let i = 0; i < 5; i++) ids.add((await request(srv, '/')).headers['x-request-id']);
		assert.equal(ids.size, 5);
	});

	test('a missing media file is not cached for a month', async () => {
		const r = await request(srv, '/media/0000000000000000-480.jpg');
		assert.equal(r.status, 404);
		const age = Number(((r.headers['cache-control'] || '').match(/max-age=(\d+)/) || [])[1] || 0);
		assert.ok(age <= 3600, `404 with cache-control: ${r.headers['cache-control']}`);
	});

	test('static and media responses say what they are', async () => {
		assert.equal((await get200(srv, cssUrl)).headers['content-type'], 'text/css; charset=utf-8');
		assert.equal((await get200(srv, mediaUrl)).headers['content-type'], 'image/jpeg');
	});
});

describe('ETag and conditional GET', () => {
	test('a page has an ETag; If-None-Match with it gives 304 with an empty body', async () => {
		const r = await get200(srv, '/');
		const etag = r.headers.etag;
		assert.match(etag || '', /^(W\/)?"[^"]+"$/, 'a quoted ETag');
		const c = await rawRequest(srv, `GET / HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`);
		assert.equal(c.status, 304);
		assert.equal(c.body.length, 0, '304 has no body');
		assert.equal(c.headers.etag, etag);
	});

	test('the ETag of an uncached page (first request) also gives 304 on the next', async () => {
		const first = await get200(srv, '/en/news');
		const c = await request(srv, '/en/news', { headers: { 'if-none-match': first.headers.etag } });
		assert.equal(c.status, 304);
		assert.equal(c.body.length, 0);
	});

	test('a different ETag gets the full page', async () => {
		const r = await request(srv, '/', { headers: { 'if-none-match': '"0000000000000000"' } });
		assert.equal(r.status, 200);
		assert.ok(r.body.length > 1000);
	});

	test('the hashed stylesheet is linked from the page and cached for a year, immutable', async () => {
		assert.match(cssUrl, /^\/static\/css\/site\.[0-9a-f]{6,}\.css$/, 'the page links the stylesheet by a hashed name');
		for (const lang of ['/en/', '/khong-co']) {
			const r = await request(srv, lang);
			assert.ok(r.text.includes(`href="${cssUrl}"`), `${lang} links ${cssUrl}`);
		}
		const r = await get200(srv, cssUrl);
		const cc = r.headers['cache-control'] || '';
		assert.match(cc, /max-age=31536000/);
		assert.match(cc, /immutable/);
		assert.ok(r.body.length > 1000);
		const plain = await get200(srv, '/static/css/site.css');
		assert.ok(plain.body.equals(r.body), 'the hashed name serves the stylesheet');
		assert.doesNotMatch(plain.headers['cache-control'] || '', /immutable/, 'the unhashed name is not immutable');
		const etag = r.headers.etag;
		assert.ok(etag);
		assert.equal((await request(srv, cssUrl, { headers: { 'if-none-match': etag } })).status, 304);
	});

	test('an unknown static file is 404', async () => {
		assert.equal((await request(srv, '/static/css/site.00000000.css')).status, 404);
		assert.equal((await request(srv, '/static/../cong.db')).status, 404);
	});
});

/** A page without the topbar's clock, which changes from one rendering to the next. */
const withoutClock = (html) => html.replace(/<time datetime="[^"]*">[^<]*<\/time>/, '');

describe('gzip', () => {
	const gz = { 'accept-encoding': 'gzip' };

	/* a page nobody asked for yet in this file: the first answer comes from a worker, not the cache */
	for (const [name, url] of [
		['an uncached page (first request)', '/zh/news'],
		['a cached page', '/'],
		['an article', () => articleUrl],
		['a 404 page', '/en/nothing'],
	]) {
		test(`${name} comes gzip-encoded and decompresses to the identity bytes`, async () => {
			const u = typeof url === 'function' ? url() : url;
			const z = await request(srv, u, { headers: gz });
			assert.ok(z.status === 200 || z.status === 404, `status ${z.status}`);
			assert.equal(z.headers['content-encoding'], 'gzip', `GET ${u} with Accept-Encoding: gzip`);
			assert.match(z.headers.vary || '', /accept-encoding/i);
			const plain = await request(srv, u);
			assert.equal(plain.headers['content-encoding'], undefined, 'no gzip without Accept-Encoding');
			/* a public, cacheable page: shared caches must know the answer depends on Accept-Encoding */
			if (z.status === 200) assert.match(plain.headers.vary || '', /accept-encoding/i, 'the identity answer says Vary: Accept-Encoding too');
			const unz = gunzipSync(z.body);
			if (z.status === 200) assert.ok(unz.equals(plain.body), 'gunzip(gzip body) = identity body');
			else assert.equal(withoutClock(unz.toString()), withoutClock(plain.text)); /* a 404 is rendered each time */
			assert.ok(z.body.length < plain.body.length / 2, 'it is actually compressed');
		});
	}

	test('the stylesheet comes gzip-encoded too', async () => {
		const z = await request(srv, cssUrl, { headers: gz });
		assert.equal(z.headers['content-encoding'], 'gzip');
		const plain = await request(srv, cssUrl);
		assert.ok(gunzipSync(z.body).equals(plain.body));
	});

	test('Accept-Encoding without gzip gets no gzip', async () => {
		for (const ae of ['identity', 'br', 'deflate']) {
			const r = await request(srv, '/', { headers: { 'accept-encoding': ae } });
			assert.equal(r.status, 200);
			assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${ae}`);
			assert.match(r.text, /^<!doctype html>/i);
		}
	});

	test('a 304 to a gzip client has no body', async () => {
		const r = await request(srv, '/', { headers: gz });
		const c = await rawRequest(
			srv,
			`GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nIf-None-Match: ${r.headers.etag}\r\nConnection: close\r\n\r\n`,
		);
		assert.equal(c.status, 304);
		assert.equal(c.body.length, 0);
	});
});

describe('page cache', () => {
	test('the second request of a page is served from the cache with the identical body', async () => {
		const url = '/en/category/' + ((await get200(srv, '/en/')).text.match(/href="\/en\/category\/([a-z0-9-]+)"/) || [])[1];
		const a = await get200(srv, url);
		const b = await get200(srv, url);
		assert.ok(a.body.equals(b.body), 'identical body');
		assert.equal(a.headers.etag, b.headers.etag);
		/* the access log says where an answer came from */
		const rid = b.headers['x-request-id'];
		const line = await poll(() => srv.accessLog().split('\n').find((l) => l.includes(` ${rid} `)), 2000, 20);
		assert.ok(line, `access log line of request ${rid}`);
		assert.match(line, / hit$/, `served from the cache: ${line}`);
	});

	test('query strings are part of the cache key', async () => {
		const p1 = await get200(srv, '/tin-tuc');
		const p2 = await get200(srv, '/tin-tuc?page=2');
		const p2b = await get200(srv, '/tin-tuc?page=2');
		assert.ok(!p1.body.equals(p2.body));
		assert.ok(p2.body.equals(p2b.body));
	});

	test('with --cache_ttl 1 a cached page is rendered again after a second', async () => {
		const short = await startServer(data, { flags: ['--cache_ttl', '1'] });
		try {
			const how = async (r) =>
				(await poll(() => short.accessLog().split('\n').find((l) => l.includes(` ${r.headers['x-request-id']} `)), 2000, 20) || '')
					.split(' ')
					.pop();
			await get200(short, '/en/');
			assert.equal(await how(await get200(short, '/en/')), 'hit', 'second request within the TTL');
			await sleep(1300);
			assert.equal(await how(await get200(short, '/en/')), 'app', 'rendered again after the TTL');
		} finally {
			const r = await short.stop();
			assert.equal(r.code, 0, short.log());
		}
	});

	test('with --page_cache off pages still work, gzip included, and nothing is a cache hit', async () => {
		const off = await startServer(data, { flags: ['--page_cache', 'off'] });
		try {
			for (const u of ['/', '/en/', '/zh/', articleUrl, '/tin-tuc?page=2']) {
				const a = await get200(off, u);
				const b = await get200(off, u);
				assert.equal(a.headers['content-type'], 'text/html; charset=utf-8');
				assert.equal(withoutClock(a.text), withoutClock(b.text), `${u}: the same page twice`);
			}
			const z = await request(off, '/', { headers: { 'accept-encoding': 'gzip' } });
			assert.equal(z.headers['content-encoding'], 'gzip');
			assert.ok(gunzipSync(z.body).equals((await get200(off, '/')).body));
			assert.equal((await request(off, '/khong-co')).status, 404);
			assert.ok(!/ hit$/m.test(off.accessLog()), 'no cache hits with the cache off');
		} finally {
			const r = await off.stop();
			assert.equal(r.code, 0, off.log());
		}
	});
});

test('graceful shutdown: SIGTERM → exit status 0 within 5 s, no sanitizer report', async () => {
	await assertGracefulStop(srv);
});
