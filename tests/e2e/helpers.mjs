// Shared helpers of the browser end-to-end tests (tests/e2e/*.test.mjs).
//
// startPortal()  picks a free port, makes a demo data dir with `$CONG_BIN init --demo` (default build/cong),
//                starts `cong serve` on it and waits for /healthz; stop() kills the server and removes the dir.
// launchBrowser() starts Debian's chromium (/usr/bin/chromium) through playwright-core.
//
// `cong init --demo` renders ~300 images and takes several seconds.  When the files run under `node --test`
// (one child process per file, all children of the same runner), the first file inits one demo dir and the
// others copy it (a copy is a few milliseconds), so the suite pays for one init.  Each file still gets its
// own copy and its own server.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const execFileP = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONG_BIN = process.env.CONG_BIN || path.join(ROOT, 'build', 'cong');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
// The README's pictures are refreshed with `make screenshots` (UPDATE_SCREENSHOTS=1); an ordinary test run
// writes its screenshots under build/ so that running the tests leaves the work tree clean.
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
	? path.join(ROOT, 'docs', 'screenshots')
	: path.join(ROOT, 'build', 'screenshots');

export const LAUNCH_OPTIONS = {
	executablePath: CHROMIUM,
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
		'--disable-sync', '--no-first-run', '--disable-quic'],
};

export function launchBrowser() {
	return chromium.launch(LAUNCH_OPTIONS);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function initDemo(dir) {
	try {
		await execFileP(CONG_BIN, ['init', '--data', dir, '--demo'], { maxBuffer: 16 << 20, timeout: 120_000 });
	} catch (e) {
		throw new Error(`${CONG_BIN} init --data ${dir} --demo failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
	}
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

// A demo data dir made once per `node --test` run (keyed by the runner's pid and the binary's mtime), or null
// when this file runs on its own.
async function sharedDemo() {
	if (!process.env.NODE_TEST_CONTEXT)
		return null;
	const st = fs.statSync(CONG_BIN);
	const base = path.join(os.tmpdir(), `cong-e2e-demo-${process.ppid}-${Math.trunc(st.mtimeMs)}`);
	// dirs left by runs whose runner has gone
	for (const name of fs.readdirSync(os.tmpdir())) {
		const m = /^cong-e2e-demo-(\d+)-/.exec(name);
		if (m && Number(m[1]) !== process.ppid && !alive(Number(m[1])))
			await fsp.rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
	}
	const ready = path.join(base, 'ready');
	try {
		fs.mkdirSync(base);
	} catch (e) {
		if (e.code !== 'EEXIST')
			throw e;
		for (let i = 0; i < 1200 && !fs.existsSync(ready); i++) {
			if (fs.existsSync(path.join(base, 'failed')))
				return null;
			await sleep(100);
		}
		return fs.existsSync(ready) ? path.join(base, 'data') : null;
	}
	try {
		await initDemo(path.join(base, 'data'));
	} catch (e) {
		fs.writeFileSync(path.join(base, 'failed'), String(e));
		throw e;
	}
	fs.writeFileSync(ready, '');
	return path.join(base, 'data');
}

// Starts a demo portal; returns {base, port, dataDir, log(), stop()}.
export async function startPortal() {
	if (!fs.existsSync(CONG_BIN))
		throw new Error(`${CONG_BIN} not found: run make first or set CONG_BIN`);
	const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'cong-e2e-'));
	const dataDir = path.join(tmp, 'data');
	const shared = await sharedDemo();
	if (shared)
		await fsp.cp(shared, dataDir, { recursive: true });
	else
		await initDemo(dataDir);

	let lastErr;
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const out = [];
		const child = spawn(CONG_BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`],
			{ stdio: ['ignore', 'pipe', 'pipe'] });
		const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => out.push(d));
		const log = () => Buffer.concat(out).toString('utf8');
		let gone = null;
		exited.then((r) => { gone = r; });
		const deadline = Date.now() + 15_000;
		let ok = false;
		while (!gone && Date.now() < deadline) {
			try {
				const r = await fetch(`${base}/healthz`);
				if (r.ok) {
					ok = true;
					break;
				}
			} catch { /* not listening yet */ }
			await sleep(50);
		}
		if (ok) {
			const stop = async () => {
				if (!gone) {
					child.kill('SIGTERM');
					const t = setTimeout(() => child.kill('SIGKILL'), 5000);
					await exited;
					clearTimeout(t);
				}
				await fsp.rm(tmp, { recursive: true, force: true });
			};
			return { base, port, dataDir, log, stop };
		}
		if (!gone) {
			child.kill('SIGKILL');
			await exited;
		}
		lastErr = new Error(`cong serve on port ${port} did not become ready:\n${log()}`);
	}
	await fsp.rm(tmp, { recursive: true, force: true });
	throw lastErr;
}

// Today's date in the portal's time zone (Viet Nam, UTC+7, no DST), as {d, m, y}.
export function todayVN() {
	const t = new Date(Date.now() + 7 * 3600 * 1000);
	return { d: t.getUTCDate(), m: t.getUTCMonth() + 1, y: t.getUTCFullYear() };
}

// Fetches a page's HTML (no browser) and returns where its language switch leads {vi, en, zh}.
export async function alternates(base, urlPath) {
	const html = await (await fetch(base + urlPath)).text();
	const out = {};
	// the targets of the header's language switch (site-relative): a translation, or that language's home
	for (const m of html.matchAll(/<a href="([^"]*)" lang="([a-z-]+)" hreflang="[a-z-]+"/g))
		out[m[2]] = new URL(m[1], base).pathname;
	return out;
}

// Article links (site-relative, unique) found on an HTML page of the portal.
export async function articleLinks(base, urlPath) {
	const html = await (await fetch(base + urlPath)).text();
	const seen = new Set();
	for (const m of html.matchAll(/<h[23] class="(?:card|featured)-title"[^>]*>\s*<a href="([^"]+)"/g))
		seen.add(m[1]);
	return [...seen];
}

// Records console errors (Chromium reports CSP violations and failed loads there too), uncaught page errors,
// and `securitypolicyviolation` events, which a listener installed before any of the page's own code collects.
// Call before the first navigation; read the list after the pages have been visited (see cspViolations).
export async function watchErrors(page) {
	const errors = [];
	await page.addInitScript(() => {
		window.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
		});
	});
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push(`console.error: ${m.text()} (${m.location()?.url ?? ''})`);
	});
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	return errors;
}

// The CSP violations that the page now shown has reported.
export function cspViolations(page) {
	return page.evaluate(() => window.__cspViolations ?? ['(the securitypolicyviolation listener did not run)']);
}

// Runs axe-core in a page without weakening its CSP: the source is evaluated through the DevTools
// protocol, which CSP does not govern.
let axeSource;
export async function runAxe(page, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']) {
	axeSource ??= await fsp.readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axeSource);
	return page.evaluate((runOnly) => window.axe.run(document, {
		runOnly: { type: 'tag', values: runOnly },
		resultTypes: ['violations'],
	}), tags);
}

// Adds a staff user to a portal's data dir with `$CONG_BIN user add` (the password goes on standard input);
// role is 'admin', 'editor' or 'publisher'.  Resolves when the user exists; rejects with cong's message.
export function addUser(dataDir, login, role, password, name) {
	return new Promise((resolve, reject) => {
		const args = ['user', 'add', '--data', dataDir, '--login', login, '--role', role, '--password-stdin'];
		if (name)
			args.push('--name', name);
		const child = execFile(CONG_BIN, args, { timeout: 30_000 }, (err, stdout, stderr) => {
			if (err)
				reject(new Error(`cong user add ${login} failed: ${err.message}\n${stdout}${stderr}`));
			else
				resolve();
		});
		child.stdin.end(password + '\n');
	});
}
