// Shared helpers of the HTTP integration tests: a real `cong serve` on a free port, over a demo portal
// of its own for each test file (see initPortal).
//
//   CONG_BIN               the binary under test (default: build/cong of this repository)
//   CONG_HTTP_FRESH_INIT=1 run `cong init --demo` in every test file instead of copying one per run
//   CONG_TEST_PG           a PostgreSQL server's base URL (postgres://USER@HOST:PORT/, see scripts/pg.sh):
//                          every portal gets a database of its own there instead of a SQLite file
//
// Every request helper here uses node:http or raw sockets, never fetch: fetch adds Accept-Encoding and
// decompresses on its own, which would hide exactly what some tests look at.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(ROOT, process.env.CONG_BIN || 'build/cong');
/* ASan builds are several times slower: the generous timeouts below are for them */
const SLOW = /asan/.test(BIN);
export const STARTUP_TIMEOUT_MS = SLOW ? 60000 : 20000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now (listen on port 0, read it, close). */
export function freePort(host = '127.0.0.1') {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, host, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Runs the cong binary to completion.  {code, signal, stdout, stderr} */
export function runCong(args, { input, env, timeout = 120000 } = {}) {
	return new Promise((resolve, reject) => {
		/* env: variables to set; a variable set to undefined is removed */
		const e = { ...process.env, ...env };
		for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
		const p = spawn(BIN, args, { env: e, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '', stderr = '';
		p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
		p.on('error', reject);
		p.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
		p.stdin.on('error', () => {}); /* a command that never reads stdin may close it first */
		p.stdin.end(input ?? '');
	});
}

/** Adds a staff user to a portal with `cong user add` (the password on stdin); fails the test if it does not work. */
export async function addUser(dataDir, { login, role, password, name }) {
	const r = await runCong(['user', 'add', '--data', dataDir, '--login', login, '--role', role, ...(name === undefined ? [] : ['--name', name]), '--password-stdin'], {
		input: `${password}\n`,
	});
	assert.equal(r.code, 0, `cong user add ${login}: ${r.stderr}`);
}

const tempDirs = [];

/** A new empty temporary directory, removed by cleanup(). */
export async function tempDir(tag = 'cong-http-') {
	const d = await mkdtemp(path.join(os.tmpdir(), tag));
	tempDirs.push(d);
	return d;
}

/**
 * Creates a portal (the demo one unless demo is false) in a new temp dir; returns its data dir.
 * `cong init --demo` takes seconds (tens under ASan on a busy machine) and every test file needs its own
 * portal, so the demo portal is created once per test run (per runner process: the files run as its
 * children) and copied for each file.  CONG_HTTP_FRESH_INIT=1 runs `cong init --demo` for every file.
 */
export async function initPortal({ demo = true } = {}) {
	const dir = path.join(await tempDir(), 'data');
	if (demo && !process.env.CONG_HTTP_FRESH_INIT) {
		const template = await demoTemplate();
		await cp(template, dir, { recursive: true });
		if (PG) await writeFile(path.join(dir, 'cong.ini'), `[server]\ndb = ${pgCreateDb(pgDbName(template))}\n`);
		return dir;
	}
	const r = await runCong(['init', '--data', dir, ...pgInitArgs(), ...(demo ? ['--demo'] : [])]);
	if (r.code !== 0) throw new Error(`cong init failed (${r.code}): ${r.stderr}`);
	return dir;
}

const TEMPLATE_PREFIX = 'cong-http-demo-';

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** The data dir of this run's demo portal, created by whichever test file asks first. */
async function demoTemplate() {
	const st = await stat(BIN);
	const key = createHash('sha1')
		.update(`${BIN}|${st.size}|${st.mtimeMs}|${process.env.CONG_SHARE_DIR || ''}|${PG}`)
		.digest('hex')
		.slice(0, 12);
	/* templates of earlier runs whose runner is gone */
	for (const name of await readdir(os.tmpdir())) {
		const m = name.match(/^cong-http-demo-(\d+)-/);
		if (m && Number(m[1]) !== process.ppid && !alive(Number(m[1])))
			await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
	}
	const top = path.join(os.tmpdir(), `${TEMPLATE_PREFIX}${process.ppid}-${key}`);
	const data = path.join(top, 'data'), ready = path.join(top, 'ready'), failed = path.join(top, 'failed');
	let mine = true;
	try {
		await mkdir(top);
	} catch (e) {
		if (e.code !== 'EEXIST') throw e;
		mine = false;
	}
	if (!mine) {
		const deadline = Date.now() + 4 * STARTUP_TIMEOUT_MS + 120000;
		for (;;) {
			if (existsSync(ready)) return data;
			if (existsSync(failed)) throw new Error(await readFile(failed, 'utf8'));
			if (Date.now() > deadline) throw new Error(`no demo portal in ${top} after waiting for it`);
			await sleep(100);
		}
	}
	const r = await runCong(['init', '--data', data, ...pgInitArgs(), '--demo']);
	if (r.code !== 0) {
		const msg = `cong init --demo failed (${r.code}/${r.signal}): ${r.stderr}`;
		await writeFile(failed, msg);
		throw new Error(msg);
	}
	await writeFile(ready, '');
	return data;
}

/* ---- PostgreSQL (CONG_TEST_PG) -------------------------------------------------------------------- */

export const PG = process.env.CONG_TEST_PG || '';
let pgSeq = 0;

function psql(url, query) {
	const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', url, '-c', query], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout.replace(/\n$/, '');
}

/** A new database on the test server (a copy of template when given); its URL. */
export function pgCreateDb(template) {
	const name = `cong_t_${process.pid}_${Date.now()}_${pgSeq++}`;
	psql(`${PG}postgres`, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
	return `${PG}${name}`;
}

/** The database named by a portal's cong.ini. */
function pgUrl(dataDir) {
	const ini = spawnSync('cat', [path.join(dataDir, 'cong.ini')], { encoding: 'utf8' }).stdout || '';
	const m = ini.match(/^db = (.*)$/m);
	if (!m) throw new Error(`${dataDir}/cong.ini names no database`);
	return m[1];
}

function pgDbName(dataDir) {
	return pgUrl(dataDir).split('/').pop();
}

/** cong init's arguments for a portal in a new database of the test server (none for SQLite). */
export function pgInitArgs() {
	return PG ? ['--db', pgCreateDb()] : [];
}

/* The few SQLite idioms the tests use, in PostgreSQL's words; a write also tells the servers (NOTIFY), as a
 * person changing the database by hand is told to in docs/DEPLOY.md. */
function pgDialect(query) {
	let q = query
		.replace(/strftime\('%s',\s*'now'\)/g, 'CAST(floor(extract(epoch FROM now())) AS BIGINT)')
		.replace(/group_concat\(([^,()]+),\s*('[^']*')\)/g, 'string_agg(CAST($1 AS TEXT), $2)');
	if (/^\s*(UPDATE|INSERT|DELETE)\b/i.test(q)) q += '; NOTIFY cong_change';
	return q;
}

/** Runs an SQL statement on a portal's database (the sqlite3 CLI, or psql); returns its trimmed output. */
export function sql(dataDir, query) {
	if (PG) return psql(pgUrl(dataDir), pgDialect(query)).trim();
	const r = spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', path.join(dataDir, 'cong.db'), query], {
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
	return r.stdout.trim();
}

const servers = new Set();

/**
 * Starts `cong serve --data dataDir` on a free port and waits until /healthz answers.
 * options: flags (extra argv, e.g. ['--page_cache', 'off']), host ('127.0.0.1' or '::1').
 * The result: {port, host, base (URL prefix), proc, log() (stderr so far), accessLog() (stdout so far),
 *              stop() → {code, signal, ms}}.
 */
export async function startServer(dataDir, { flags = [], host = '127.0.0.1', scheme = 'http' } = {}) {
	const port = await freePort(host);
	const listen = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
	const proc = spawn(BIN, ['serve', '--data', dataDir, '--listen', listen, ...flags], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '', stdout = '', exited = null;
	proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
	/* the access log goes to stdout: keep reading it (a full pipe would block the server), keep the tail */
	proc.stdout.setEncoding('utf8').on('data', (d) => {
		stdout += d;
		if (stdout.length > 4 << 20) stdout = stdout.slice(-(2 << 20));
	});
	const exitPromise = new Promise((resolve) =>
		proc.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		}),
	);
	const hostPart = host.includes(':') ? `[${host}]` : host;
	const srv = {
		port,
		host,
		base: `${scheme}://${hostPart}:${port}`,
		proc,
		log: () => stderr,
		accessLog: () => stdout,
		exited: () => exited,
		async stop() {
			if (exited) return { ...exited, ms: 0 };
			const t0 = Date.now();
			proc.kill('SIGTERM');
			const r = await Promise.race([exitPromise, sleep(5000).then(() => null)]);
			servers.delete(srv);
			if (!r) {
				proc.kill('SIGKILL');
				await exitPromise;
				return { code: null, signal: 'timeout', ms: Date.now() - t0 };
			}
			return { ...r, ms: Date.now() - t0 };
		},
	};
	servers.add(srv);
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	for (;;) {
		if (exited) throw new Error(`cong serve exited (${exited.code}/${exited.signal}) before it was ready:\n${stderr}`);
		try {
			const r = await request(srv, '/healthz', { timeout: 2000 });
			if (r.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`cong serve not ready after ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`);
		}
		await sleep(50);
	}
	return srv;
}

/** Stops every server still running and removes the temp dirs; for after(). */
export async function cleanup() {
	for (const s of [...servers]) {
		s.proc.kill('SIGKILL');
		servers.delete(s);
	}
	for (const d of tempDirs.splice(0)) await rm(d, { recursive: true, force: true });
}

/**
 * The test that ends a file: SIGTERM to srv, which must exit with status 0 (not by a signal) within 5 s,
 * with no sanitizer report in its log.  Returns stop()'s result.
 */
export async function assertGracefulStop(srv) {
	const r = await srv.stop();
	assert.equal(r.signal, null, `server died of ${r.signal}\n${srv.log()}`);
	assert.equal(r.code, 0, `exit status\n${srv.log()}`);
	assert.ok(r.ms < 5000);
	assert.equal(sanitizerReports(srv.log()), '');
	return r;
}

/** Sanitizer reports in a server's stderr (empty string when there are none). */
export function sanitizerReports(stderr) {
	const m = stderr.match(/(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|WARNING: ThreadSanitizer)[^\n]*/g);
	return m ? m.join('\n') : '';
}

/**
 * One HTTP/1.1 request with node:http on a fresh connection.
 * target: a server from startServer() or a base URL string.  Returns {status, headers, body (Buffer), text}.
 */
export function request(target, urlPath, { method = 'GET', headers = {}, body, timeout = 15000 } = {}) {
	const base = typeof target === 'string' ? target : target.base;
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		/* a TLS test server has a self-signed certificate */
		const mod = u.protocol === 'https:' ? https : http;
		const req = mod.request(
			{
				host: u.hostname.replace(/^\[|\]$/g, ''),
				rejectUnauthorized: false,
				port: u.port,
				path: urlPath,
				method,
				headers,
				agent: false,
				timeout,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const b = Buffer.concat(chunks);
					resolve({ status: res.statusCode, headers: res.headers, body: b, text: b.toString('utf8') });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** GET that fails the test unless the answer is 200; returns the response. */
export async function get200(target, urlPath, opts) {
	const r = await request(target, urlPath, opts);
	if (r.status !== 200) throw new Error(`GET ${urlPath}: expected 200, got ${r.status}`);
	return r;
}

/**
 * Sends raw bytes on a new TCP connection and collects everything the server sends until it closes the
 * connection (or timeout ms pass).  Returns {raw (Buffer), status, headers (lower-case names), body
 * (Buffer, as sent: not de-chunked), closed, error}.
 */
export function rawRequest(target, data, { timeout = 10000, host } = {}) {
	const port = typeof target === 'object' ? target.port : target;
	const h = host || (typeof target === 'object' ? target.host : '127.0.0.1');
	return new Promise((resolve) => {
		const chunks = [];
		let error = null, done = false;
		const sock = net.connect({ port, host: h });
		const finish = (closed) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			resolve({ ...parseRaw(Buffer.concat(chunks)), closed, error });
		};
		const timer = setTimeout(() => finish(false), timeout);
		sock.on('data', (c) => chunks.push(c));
		sock.on('error', (e) => (error = e));
		sock.on('close', () => finish(true));
		sock.on('connect', () => sock.write(data, () => {}));
	});
}

/** Splits a raw HTTP/1.x response into status, headers and body. */
export function parseRaw(raw) {
	const at = raw.indexOf('\r\n\r\n');
	if (at < 0) return { raw, status: 0, headers: {}, body: Buffer.alloc(0) };
	const lines = raw.subarray(0, at).toString('latin1').split('\r\n');
	const status = Number((lines[0].match(/^HTTP\/1\.\d (\d{3})/) || [])[1] || 0);
	const headers = {};
	for (const l of lines.slice(1)) {
		const i = l.indexOf(':');
		if (i > 0) {
			const k = l.slice(0, i).trim().toLowerCase();
			const v = l.slice(i + 1).trim();
			headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
		}
	}
	return { raw, status, headers, body: raw.subarray(at + 4) };
}

/* ---- HTML helpers: good enough for the server's own templates, which these tests know ------------- */

/** Decodes the few entities the template escaper produces. */
export function unescapeHtml(s) {
	return s
		.replace(/&quot;/g, '"')
		.replace(/&#0?39;/g, "'")
		.replace(/&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Every href="…" in the page, in order, unescaped. */
export function hrefs(html) {
	return [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => unescapeHtml(m[1]));
}

/** Unique article links of a page in a language ('vi' → /tin-tuc/…, 'en' → /en/news/…, 'zh' → /zh/news/…). */
export function articleLinks(html, lang = 'vi') {
	const re = lang === 'vi' ? /^\/tin-tuc\/[^/?#]+$/ : new RegExp(`^/${lang}/news/[^/?#]+$`);
	return [...new Set(hrefs(html).filter((h) => re.test(h)))];
}

/** The article cards of a list page: [{url, title}] from <h3 class="card-title"><a href=…>title</a>. */
export function cardLinks(html) {
	return [...html.matchAll(/<h[23] class="card-title"><a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({
		url: unescapeHtml(m[1]),
		title: unescapeHtml(m[2]),
	}));
}

/** The language switch of a page: {vi: url, en: url, zh: url} from <nav class="langs">. */
export function langSwitch(html) {
	const nav = html.match(/<nav class="langs"[\s\S]*?<\/nav>/);
	if (!nav) return null;
	const out = {};
	for (const m of nav[0].matchAll(/<a href="([^"]*)"[^>]*\blang="([a-z]+)"/g)) out[m[2]] = unescapeHtml(m[1]);
	return out;
}

/** The text of the first <h1> (tags stripped, entities decoded). */
export function h1(html) {
	const m = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/);
	return m ? unescapeHtml(m[1].replace(/<[^>]*>/g, '')).trim() : null;
}

/** The lang attribute of <html>. */
export function htmlLang(html) {
	const m = html.match(/<html\b[^>]*\blang="([^"]*)"/);
	return m ? m[1] : null;
}

/** Folds a title the way the slug contract says: diacritics off, đ → d, lowercase, runs of others → '-'. */
export function foldSlug(s) {
	return s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** Polls fn() (async) until it returns a truthy value or ms pass; returns the last value. */
export async function poll(fn, ms, every = 100) {
	const deadline = Date.now() + ms;
	let v;
	for (;;) {
		v = await fn();
		if (v || Date.now() > deadline) return v;
		await sleep(every);
	}
}

/* ---- a small browser: cookies, the login form, CSRF tokens, forms ------------------------------------ */

/** The cookies a response sets, as {name: value}; a cookie being deleted has the value ''. */
export function setCookies(res) {
	const out = {};
	for (const c of [res.headers['set-cookie'] || []].flat()) {
		const m = c.match(/^([^=;\s]+)=([^;]*)/);
		if (m) out[m[1]] = m[2];
	}
	return out;
}

/**
 * Applies a response's Set-Cookie headers to a cookie jar (a Map name → value): a cookie with an empty
 * value or Max-Age=0 is removed, any other is set.  Returns res.
 */
export function keepCookies(jar, res) {
	for (const c of [res.headers['set-cookie'] || []].flat()) {
		const [pair, ...attrs] = c.split(';');
		const i = pair.indexOf('=');
		const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
		if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') jar.delete(name);
		else jar.set(name, value);
	}
	return res;
}

/** The Cookie request header for a jar (a Map or a plain object); cookies with an empty value are left out. */
export function cookieHeader(jar) {
	return (jar instanceof Map ? [...jar] : Object.entries(jar))
		.filter(([, v]) => v !== '')
		.map(([k, v]) => `${k}=${v}`)
		.join('; ');
}

/** The value of the first csrf field of a page (entities decoded), or null. */
export function csrfOf(html) {
	const m = html.match(/name="csrf" value="([^"]+)"/);
	return m ? unescapeHtml(m[1]) : null;
}

/** An application/x-www-form-urlencoded body from {name: value}; undefined and null values are left out. */
export function formBody(fields) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) p.append(k, v);
	return p.toString();
}

/** The value of attribute `name` of an HTML start tag (unescaped), or null. */
function attr(tag, name) {
	const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
	return m ? unescapeHtml(m[1]) : null;
}

/**
 * The fields of the form whose action is `action` (without one: the first form with a csrf field), as a
 * browser sends them: enabled inputs (checkboxes and radios only when checked; no button values),
 * textareas (less the newline right after <textarea>, which the HTML parser drops), the selected option
 * of each enabled select (else its first).  Throws when there is no such form.
 */
export function formFields(html, action) {
	const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
	const f = forms.find((m) => (action ? attr(m[1], 'action') === action : /name="csrf"/.test(m[2])));
	if (!f) throw new Error(`no form with action ${action}`);
	const fields = {};
	for (const m of f[2].matchAll(/<input\b[^>]*>/g)) {
		const name = attr(m[0], 'name');
		if (!name || /\sdisabled\b/.test(m[0])) continue;
		const type = attr(m[0], 'type') || 'text';
		if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(m[0])) continue;
		fields[name] = attr(m[0], 'value') ?? '';
	}
	for (const m of f[2].matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g))
		fields[attr(m[1], 'name')] = unescapeHtml(m[2].replace(/^\r?\n/, ''));
	for (const m of f[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
		if (/\sdisabled\b/.test(m[1])) continue;
		const sel = m[2].match(/<option\b[^>]*\sselected[^>]*>/) || m[2].match(/<option\b[^>]*>/);
		fields[attr(m[1], 'name')] = sel ? attr(sel[0], 'value') : '';
	}
	return fields;
}

/**
 * A browser without scripts: a cookie jar (this.jar, a Map name → value) over request() to one server.
 * Every request sends the jar's cookies and keeps what the response sets.
 */
export class Browser {
	/** target: a server from startServer() or a base URL string. */
	constructor(target) {
		this.target = target;
		this.jar = new Map();
	}
	/** The Cookie header for the jar. */
	cookie() {
		return cookieHeader(this.jar);
	}
	/** Keeps the cookies a response sets; returns it. */
	keep(res) {
		return keepCookies(this.jar, res);
	}
	/** Any request (request()'s options) with the jar's cookies; headers given here win over the Cookie header. */
	async request(path, { headers = {}, ...opts } = {}) {
		return this.keep(await request(this.target, path, { ...opts, headers: { cookie: this.cookie(), ...headers } }));
	}
	async get(path, headers = {}) {
		return this.request(path, { headers });
	}
	/** POSTs a urlencoded form: fields are {name: value} (for URLSearchParams) or an encoded body string. */
	async post(path, fields = {}, headers = {}) {
		const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
		return this.request(path, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers },
			body,
		});
	}
	/**
	 * Signs in through the login form at path: GETs it (a 200 that leaves a cong_login cookie in the jar),
	 * POSTs its csrf token with login and password; returns the POST's response (303 when it worked).
	 */
	async login(login, password, path = '/dang-nhap') {
		const page = await this.request(path);
		assert.equal(page.status, 200);
		assert.ok(this.jar.get('cong_login'), 'the login page sets its cong_login cookie');
		const body = new URLSearchParams({ csrf: csrfOf(page.text), login, password }).toString();
		return this.request(path, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
			body,
		});
	}
}

/**
 * A signed-in staff session: a Browser that remembers the CSRF token of the last 200 page it got
 * (this.csrf) and adds it to the forms it posts.
 */
export class StaffSession extends Browser {
	csrf = null;
	async get(path, headers = {}) {
		const res = await super.get(path, headers);
		const t = csrfOf(res.text);
		if (t && res.status === 200) this.csrf = t;
		return res;
	}
	/**
	 * POSTs fields (undefined and null ones left out) with the session's CSRF token unless fields has its own;
	 * csrf: false sends none at all.  headers: extra request headers.
	 */
	async post(path, fields, { csrf = true, headers = {} } = {}) {
		const body = { ...fields };
		if (csrf === true && body.csrf === undefined) body.csrf = this.csrf;
		if (csrf === false) delete body.csrf;
		return super.post(path, formBody(body), headers);
	}
}

/**
 * Signs in through the login form and returns a StaffSession with the session cookie and the CSRF token
 * of the dashboard (/admin); fails the test when any step does not work.
 */
export async function signIn(target, login, password) {
	const s = new StaffSession(target);
	const r = await s.login(login, password);
	assert.equal(r.status, 303, `login of ${login}: ${r.text.slice(0, 200)}`);
	assert.ok(s.jar.get('cong'), 'a session cookie after login');
	await s.get('/admin'); /* the session's CSRF token */
	assert.ok(s.csrf, 'a CSRF token on the dashboard');
	return s;
}
