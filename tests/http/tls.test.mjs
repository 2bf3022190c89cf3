// TLS and HTTP/2: with a certificate configured the server speaks HTTPS, offers h2 through ALPN, sends HSTS,
// and the session cookie takes the __Host- form with Secure.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http2 from 'node:http2';
import https from 'node:https';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { cleanup, initPortal, runCong, startServer, tempDir } from './helpers.mjs';

let data, srv, cert, key;

before(async () => {
	data = await initPortal();
	const d = await tempDir('cong-tls-');
	cert = path.join(d, 'cert.pem');
	key = path.join(d, 'key.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
		'-subj', '/CN=localhost'], { stdio: 'ignore' });
	srv = await startServer(data, { flags: ['--tls_cert', cert, '--tls_key', key], scheme: 'https' });
});
after(async () => {
	await srv?.stop();
	await cleanup();
});

function get1(urlPath, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = https.request({ host: '127.0.0.1', port: srv.port, path: urlPath, method, headers, agent: false,
			rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, (res) => {
			const alpn = res.socket?.alpnProtocol;
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), alpn }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

test('HTTPS with HTTP/1.1: the pages, HSTS and the security headers', async () => {
	const r = await get1('/');
	assert.equal(r.status, 200);
	assert.match(r.text, /<html lang="vi"/);
	assert.match(r.headers['strict-transport-security'] || '', /max-age=\d+/);
	assert.match(r.headers['content-security-policy'], /default-src 'self'/);
});

test('HTTP/2 is chosen through ALPN and serves the same page', async () => {
	const client = http2.connect(`https://127.0.0.1:${srv.port}`, { rejectUnauthorized: false });
	try {
		assert.equal(await new Promise((res) => client.on('connect', () => res(client.alpnProtocol))), 'h2');
		const body = await new Promise((resolve, reject) => {
			const s = client.request({ ':path': '/en/' });
			let status;
			const chunks = [];
			s.on('response', (h) => (status = h[':status']));
			s.on('data', (c) => chunks.push(c));
			s.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
			s.on('error', reject);
			s.end();
		});
		assert.equal(body.status, 200);
		assert.match(body.text, /<html lang="en"/);
	} finally {
		client.close();
	}
});

test('over TLS the sign-in cookies are Secure, and the session cookie is __Host-', async () => {
	const pw = 'Mat-khau-TLS-2026';
	const add = await runCong(['user', 'add', '--data', data, '--login', 'tls1', '--role', 'editor', '--password-stdin'], { input: pw + '\n' });
	assert.equal(add.code, 0, add.stderr);
	const r = await get1('/dang-nhap');
	const cookies = [r.headers['set-cookie'] || []].flat();
	assert.ok(cookies.length > 0, 'the login form sets its CSRF cookie');
	for (const c of cookies) assert.match(c, /;\s*Secure/i, `Secure: ${c}`);
	const pre = cookies[0].split(';')[0];
	const csrf = r.text.match(/name="csrf" value="([^"]+)"/)[1];
	const body = new URLSearchParams({ csrf, login: 'tls1', password: pw }).toString();
	const login = await get1('/dang-nhap', { method: 'POST', body,
		headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } });
	assert.equal(login.status, 303, login.text.slice(0, 200));
	const session = [login.headers['set-cookie'] || []].flat().find((c) => c.startsWith('__Host-cong='));
	assert.ok(session, `a __Host-cong session cookie: ${login.headers['set-cookie']}`);
	assert.match(session, /;\s*Secure/i);
	assert.match(session, /;\s*HttpOnly/i);
	assert.match(session, /;\s*Path=\//);
	assert.doesNotMatch(session, /Domain=/i, 'a __Host- cookie has no Domain');
});
