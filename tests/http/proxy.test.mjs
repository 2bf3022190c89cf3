// Behind a reverse proxy (docs/DEPLOY.md): with trusted_proxies, the client's address is the last one of
// X-Forwarded-For — in the access log and for everything keyed on the address (login throttling, the API
// rate limit) — and from anyone else the header is ignored, so a client cannot pick its own address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, initPortal, request, sleep, startServer } from './helpers.mjs';

let dir, trusting, plain;

before(async () => {
	dir = await initPortal();
	trusting = await startServer(dir, { flags: ['--trusted_proxies', '10.9.9.9, 127.0.0.1'] });
	plain = await startServer(dir);
});
after(async () => {
	await trusting?.stop();
	await plain?.stop();
	await cleanup();
});

/* The access log line of the request with this path (written within a second). */
async function logged(srv, marker) {
	for (let i = 0; i < 40; i++) {
		const line = srv.accessLog().split('\n').find((l) => l.includes(marker));
		if (line) return line;
		await sleep(100);
	}
	assert.fail(`no access log line for ${marker}`);
}

test('a trusted proxy: the last X-Forwarded-For address is the client', async () => {
	await request(trusting, '/?p=1', { headers: { 'x-forwarded-for': '198.51.100.4, 203.0.113.7' } });
	assert.match(await logged(trusting, '/?p=1'), / 203\.0\.113\.7 "GET/);
	await request(trusting, '/?p=2', { headers: { 'x-forwarded-for': '2001:db8::5' } });
	assert.match(await logged(trusting, '/?p=2'), / 2001:db8::5 "GET/);
});

test('not an address, or no header: the connection\'s address', async () => {
	await request(trusting, '/?p=3', { headers: { 'x-forwarded-for': '203.0.113.7, <script>' } });
	assert.match(await logged(trusting, '/?p=3'), / 127\.0\.0\.1 "GET/);
	await request(trusting, '/?p=4');
	assert.match(await logged(trusting, '/?p=4'), / 127\.0\.0\.1 "GET/);
});

test('without trusted_proxies the header is ignored', async () => {
	await request(plain, '/?p=5', { headers: { 'x-forwarded-for': '203.0.113.7' } });
	assert.match(await logged(plain, '/?p=5'), / 127\.0\.0\.1 "GET/);
});

test('the API rate limit counts the forwarded client, not the proxy', async () => {
	/* two clients behind the same proxy: one using up its minute does not stop the other */
	let n = 0; /* a new URL each time: a page cache hit is answered before any limit counts */
	const call = (ip) => request(trusting, `/api/v1/categories?n=${n++}`, { headers: { 'x-forwarded-for': ip } });
	let limited = false;
	for (let i = 0; i < 130 && !limited; i++) limited = (await call('203.0.113.50')).status === 429;
	assert.ok(limited, 'one client reaches the limit');
	assert.equal((await call('203.0.113.51')).status, 200, 'another client behind the same proxy is not limited');
});
