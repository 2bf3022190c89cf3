// The server under load and under abuse: many concurrent requests, oversized paths, headers and bodies,
// a slowloris client, and listening on IPv6.  After every abuse the server must still answer.
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';

import {
	articleLinks,
	assertGracefulStop,
	cleanup,
	get200,
	htmlLang,
	initPortal,
	rawRequest,
	request,
	sanitizerReports,
	startServer,
} from './helpers.mjs';

let data, srv, home;

before(async () => {
	data = await initPortal();
	/* a short request timeout for the slowloris test; everything else does not care */
	srv = await startServer(data, { flags: ['--req_timeout', '2'] });
	home = await get200(srv, '/');
});
after(cleanup);

/** The server still answers a normal request. */
async function stillServing(s = srv) {
	const r = await request(s, '/healthz', { timeout: 5000 });
	assert.equal(r.status, 200, 'the server still answers');
	assert.equal(s.exited(), null, `the server exited: ${s.log()}`);
}

describe('load', () => {
	test('200 concurrent requests all succeed', async () => {
		const urls = [
			'/', '/en/', '/zh/', '/tin-tuc', '/tin-tuc?page=2',
			...articleLinks(home.text, 'vi').slice(0, 10),
			(home.text.match(/<link rel="stylesheet" href="([^"]+)"/) || [])[1],
			(home.text.match(/\bsrc="(\/media\/[^"]+\.jpg)"/) || [])[1],
		];
		const reqs = Array.from({ length: 200 }, (_, i) =>
			request(srv, urls[i % urls.length], { timeout: 30000, headers: i % 2 ? { 'accept-encoding': 'gzip' } : {} }),
		);
		const res = await Promise.allSettled(reqs);
		const failed = res
			.map((r, i) => [r, urls[i % urls.length]])
			.filter(([r]) => r.status !== 'fulfilled' || r.value.status !== 200)
			.map(([r, u]) => `${u}: ${r.status === 'fulfilled' ? r.value.status : r.reason.message}`);
		assert.deepEqual(failed, [], `${failed.length} of 200 failed`);
		await stillServing();
	});

	test('100 requests pipelined on one keep-alive connection all get answers, in order', async () => {
		const paths = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? '/' : i % 3 === 1 ? '/khong-co' : '/healthz'));
		const reqs = paths.map((p, i) => `GET ${p} HTTP/1.1\r\nHost: localhost\r\n${i === paths.length - 1 ? 'Connection: close\r\n' : ''}\r\n`);
		const r = await rawRequest(srv, reqs.join(''), { timeout: 20000 });
		const statuses = [...r.raw.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
		assert.deepEqual(statuses, paths.map((p) => (p === '/khong-co' ? 404 : 200)));
	});
});

describe('abuse', () => {
	test('a 20 KB path is refused with a 4xx and the server keeps serving', async () => {
		for (const p of [`/${'a'.repeat(20 * 1024)}`, `/tin-tuc/${'b'.repeat(20 * 1024)}`, `/en/${'%41'.repeat(7000)}`]) {
			const r = await rawRequest(srv, `GET ${p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
			assert.ok(r.status >= 400 && r.status < 500, `status ${r.status} for a ${p.length}-byte path`);
		}
		await stillServing();
	});

	test('a request with 100 headers gets an answer (any 4xx is fine) and the server keeps serving', async () => {
		let hdrs = '';
		for (let i = 0; i < 100; i++) hdrs += `X-Header-${i}: value-${i}\r\n`;
		const r = await rawRequest(srv, `GET / HTTP/1.1\r\nHost: localhost\r\n${hdrs}Connection: close\r\n\r\n`);
		assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `status ${r.status}`);
		await stillServing();
	});

	test('a 64 KB header value and 1000 headers do not crash the server', async () => {
		await rawRequest(srv, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'x'.repeat(65536)}\r\nConnection: close\r\n\r\n`);
		let many = '';
		for (let i = 0; i < 1000; i++) many += `X-${i}: ${i}\r\n`;
		await rawRequest(srv, `GET / HTTP/1.1\r\nHost: localhost\r\n${many}Connection: close\r\n\r\n`);
		await stillServing();
	});

	test('no path reaches the database or other files of the data directory', async () => {
		for (const p of ['/media/../cong.db', '/media/%2e%2e/cong.db', '/media/..%2fcong.db', '/static/../cong.db',
			'/%2e%2e/cong.db', '/media/%2e%2e%2fcong.db', '/cong.db', '/media/../../etc/passwd']) {
			const r = await rawRequest(srv, `GET ${p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
			assert.ok(r.status >= 300 && r.status < 500, `${p}: status ${r.status}`);
			assert.ok(!r.body.includes('SQLite format 3'), `${p} served the database`);
			assert.ok(!r.body.includes('root:x:0:0'), `${p} served /etc/passwd`);
		}
	});

	test('garbage, a bare newline and a truncated request line do not crash the server', async () => {
		const junk = ['\x00\x01\x02\xff\r\n\r\n', '\r\n\r\n', 'GET', 'GET / HTTP/9.9\r\n\r\n', 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n'];
		await Promise.all(junk.map((j) => rawRequest(srv, Buffer.from(j, 'latin1'), { timeout: 3000 })));
		await stillServing();
	});

	test('clients that vanish in the middle of a request or a response do not hurt the server', async () => {
		const socks = [];
		for (let i = 0; i < 20; i++) {
			const s = net.connect(srv.port, '127.0.0.1');
			s.on('error', () => {});
			s.write(i % 2 ? 'GET /tin-tuc HTTP/1.1\r\nHost: x\r\n\r\n' : 'GET / HTTP/1.1\r\nHo');
			socks.push(s);
		}
		await new Promise((r) => setTimeout(r, 20));
		for (const s of socks) s.destroy();
		await stillServing();
	});

	test('a slowloris client sending headers slowly is disconnected by the request timeout', async () => {
		const t0 = Date.now();
		const sock = net.connect(srv.port, '127.0.0.1');
		sock.on('error', () => {});
		let received = '';
		sock.on('data', (d) => (received += d.toString('latin1')));
		const closed = new Promise((resolve) => sock.on('close', () => resolve(Date.now() - t0)));
		sock.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
		let n = 0;
		const drip = setInterval(() => {
			if (!sock.destroyed) sock.write(`X-Slow-${n++}: ${'z'.repeat(8)}\r\n`);
		}, 300);
		/* meanwhile other clients are served */
		const other = await request(srv, '/', { timeout: 3000 });
		assert.equal(other.status, 200, 'another client is served during the slowloris');
		const ms = await Promise.race([closed, new Promise((r) => setTimeout(() => r(null), 8000))]);
		clearInterval(drip);
		sock.destroy();
		assert.ok(ms !== null, 'the slow client was not disconnected within 8 s');
		assert.ok(ms <= 5500, `disconnected after ${ms} ms (req_timeout 2 s)`);
		assert.ok(!/^HTTP\/1\.1 200/.test(received), 'the slow request was not answered as if complete');
		await stillServing();
	});

	test('a client that opens a connection and sends nothing is disconnected too', async () => {
		const t0 = Date.now();
		const sock = net.connect(srv.port, '127.0.0.1');
		sock.on('error', () => {});
		const ms = await Promise.race([
			new Promise((resolve) => sock.on('close', () => resolve(Date.now() - t0))),
			new Promise((r) => setTimeout(() => r(null), 8000)),
		]);
		sock.destroy();
		assert.ok(ms !== null && ms <= 5500, `idle connection closed after ${ms} ms`);
	});
});

describe('request bodies', () => {
	let small;
	before(async () => {
		small = await startServer(data, { flags: ['--max_body_kb', '16'] });
	});

	for (const [path, lang, text] of [
		['/', 'vi', 'Yêu cầu quá lớn'],
		['/en/', 'en', 'Request too large'],
		['/zh/', 'zh', '请求内容过大'],
	]) {
		test(`a 64 KB POST to ${path} with max_body_kb 16 is a localized 413 page (${lang})`, async () => {
			const body = 'a'.repeat(64 * 1024);
			const r = await rawRequest(
				small,
				`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
			);
			assert.equal(r.status, 413, r.raw.subarray(0, 200).toString());
			assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
			const html = r.body.toString('utf8');
			assert.equal(htmlLang(html), lang);
			assert.ok(html.includes(text), `413 page should say "${text}"`);
			assert.ok(r.headers['content-security-policy']?.includes("frame-ancestors 'none'"));
			assert.equal(r.headers['x-content-type-options'], 'nosniff');
		});
	}

	test('a chunked body over the limit is refused with 413 too', async () => {
		const chunk = 'b'.repeat(8192);
		let body = '';
		for (let i = 0; i < 8; i++) body += `${(8192).toString(16)}\r\n${chunk}\r\n`;
		body += '0\r\n\r\n';
		const r = await rawRequest(small, `POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
		assert.equal(r.status, 413);
		await stillServing(small);
	});

	test('a small POST body under the limit still gets its 405', async () => {
		const r = await request(small, '/', { method: 'POST', body: 'x=1' });
		assert.equal(r.status, 405);
	});

	test('the small-body server shuts down cleanly', async () => {
		await stillServing(small);
		const r = await small.stop();
		assert.equal(r.code, 0, small.log());
		assert.equal(sanitizerReports(small.log()), '');
	});
});

function hasIPv6Loopback() {
	return Object.values(os.networkInterfaces()).some((l) => l?.some((a) => a.family === 'IPv6' && a.address === '::1'));
}

describe('IPv6', () => {
	test('a server listening on [::1]:PORT answers', async (t) => {
		if (!hasIPv6Loopback()) {
			t.skip('no ::1 on this machine');
			return;
		}
		const v6 = await startServer(data, { host: '::1' });
		try {
			const r = await get200(v6, '/');
			assert.equal(htmlLang(r.text), 'vi');
			const en = await get200(v6, '/en/');
			assert.equal(htmlLang(en.text), 'en');
			/* it listens on ::1 only: IPv4 on the same port is someone else's business */
			assert.equal(v6.host, '::1');
		} finally {
			const r = await v6.stop();
			assert.equal(r.code, 0, v6.log());
		}
	});
});

test('graceful shutdown: SIGTERM → exit status 0 within 5 s, no sanitizer report', async () => {
	await assertGracefulStop(srv);
});

test('graceful shutdown waits for a request in flight', async () => {
	const s = await startServer(data);
	/* SIGTERM a few ms after a request went out */
	const pending = request(s, '/tin-tuc?page=2', { timeout: 10000 });
	await new Promise((r) => setTimeout(r, 5));
	const stopped = s.stop();
	const r = await pending.catch((e) => ({ status: 0, error: e }));
	const st = await stopped;
	assert.equal(st.code, 0, s.log());
	/* either it was answered in full or it never got in: never a half answer */
	if (r.status) assert.equal(r.status, 200);
});

describe('memory held by request bodies', () => {
	test('past max_queued_body_mb a request with a body gets a localized 503 with Retry-After; smaller ones pass', async () => {
		const s = await startServer(data, { flags: ['--max_queued_body_mb', '1', '--max_body_kb', '4096'] });
		try {
			const big = await request(s, '/en/', { method: 'POST', body: Buffer.alloc(1536 << 10, 0x61),
				headers: { 'content-type': 'application/octet-stream' } });
			assert.equal(big.status, 503);
			assert.equal(big.headers['retry-after'], '5');
			assert.match(big.headers['content-type'], /text\/html/);
			assert.match(big.text, /<html lang="en"/);
			assert.match(big.text, /busy/i);
			const small = await request(s, '/en/', { method: 'POST', body: Buffer.alloc(256 << 10, 0x61),
				headers: { 'content-type': 'application/octet-stream' } });
			assert.equal(small.status, 405, 'a body within the budget reaches the application');
			await stillServing(s);
		} finally {
			await s.stop();
		}
	});
});
