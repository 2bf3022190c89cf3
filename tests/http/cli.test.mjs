// The command line as an administrator uses it: help, mistakes, init, serve's start-up errors, user add.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cleanup, freePort, initPortal, pgInitArgs, runCong, sql, tempDir } from './helpers.mjs';

let data;

before(async () => {
	data = await initPortal({ demo: false }); /* a bare portal is enough here, and takes no time */
});
after(cleanup);

describe('help', () => {
	test('cong --help exits 0 and lists the commands', async () => {
		const r = await runCong(['--help']);
		assert.equal(r.code, 0);
		for (const c of ['serve', 'init', 'user']) assert.match(r.stdout, new RegExp(`^\\s+${c}\\s`, 'm'), `lists ${c}`);
	});

	test('cong help serve and cong serve --help list the settings', async () => {
		for (const args of [['serve', '--help'], ['help', 'serve']]) {
			const r = await runCong(args);
			assert.equal(r.code, 0, args.join(' '));
			for (const s of ['listen', 'page_cache', 'cache_ttl', 'max_body_kb', 'req_timeout', 'threads', 'workers', 'access_log'])
				assert.match(r.stdout, new RegExp(`^\\s+${s}\\s`, 'm'), `${args.join(' ')} lists ${s}`);
		}
	});

	test('cong init --help and cong user --help describe their options', async () => {
		const i = await runCong(['init', '--help']);
		assert.equal(i.code, 0);
		assert.match(i.stdout, /--demo/);
		const u = await runCong(['user', '--help']);
		assert.equal(u.code, 0);
		assert.match(u.stdout, /--password-stdin/);
	});

	test('cong bogus exits non-zero and names the unknown command', async () => {
		const r = await runCong(['bogus']);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /bogus/);
	});

	test('cong with no command exits non-zero with the usage', async () => {
		const r = await runCong([]);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /usage/i);
	});
});

describe('serve start-up errors', () => {
	test('cong serve --data /nonexistent exits non-zero and names the directory', async () => {
		const r = await runCong(['serve', '--data', '/nonexistent/cong-data', '--listen', '127.0.0.1:1']);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /\/nonexistent\/cong-data/);
		assert.match(r.stderr, /does not exist|no such/i);
	});

	test('cong serve on a directory that is not a portal says so', async () => {
		const empty = await tempDir();
		const r = await runCong(['serve', '--data', empty, '--listen', '127.0.0.1:1']);
		assert.notEqual(r.code, 0);
		assert.ok(r.stderr.includes(empty), r.stderr);
		assert.match(r.stderr, /cong init/);
	});

	test('cong serve without --data exits non-zero', async () => {
		const r = await runCong(['serve', '--listen', '127.0.0.1:1'], { env: { CONG_DATA: undefined } });
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /data/);
	});

	test('cong serve on a port already in use exits non-zero with "cannot listen"', async () => {
		const port = await freePort();
		const blocker = net.createServer();
		await new Promise((r) => blocker.listen(port, '127.0.0.1', r));
		try {
			const r = await runCong(['serve', '--data', data, '--listen', `127.0.0.1:${port}`], { timeout: 30000 });
			assert.notEqual(r.code, 0, 'exits non-zero');
			assert.equal(r.signal, null, `it ended by itself, not by the test's timeout: ${r.stderr}`);
			assert.match(r.stderr, /cannot listen/);
			assert.ok(r.stderr.includes(String(port)), 'names the address');
		} finally {
			await new Promise((r) => blocker.close(r));
		}
	});

	for (const [name, args, re] of [
		['an unknown setting', ['--no_such_setting', '1'], /no_such_setting/],
		['a setting out of range', ['--max_body_kb', '0'], /max_body_kb/],
		['a number that is not one', ['--req_timeout', 'soon'], /req_timeout/],
		['a bad boolean', ['--page_cache', 'maybe'], /page_cache/],
		['a bad listen address', ['--listen', 'not-an-address'], /listen|address/],
	]) {
		test(`cong serve with ${name} exits non-zero and names it`, async () => {
			const listen = args[0] === '--listen' ? [] : ['--listen', '127.0.0.1:1'];
			const r = await runCong(['serve', '--data', data, ...listen, ...args], { timeout: 30000 });
			assert.notEqual(r.code, 0, `${args.join(' ')}: exit status`);
			assert.equal(r.signal, null, `it ended by itself: ${r.stderr}`);
			assert.match(r.stderr, re);
		});
	}
});

describe('init', () => {
	test('cong init on an existing portal refuses and changes nothing', async () => {
		const before = sql(data, "SELECT login || ':' || password_hash FROM users ORDER BY id");
		const r = await runCong(['init', '--data', data]);
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /already/);
		assert.ok(r.stderr.includes(data));
		assert.equal(sql(data, "SELECT login || ':' || password_hash FROM users ORDER BY id"), before);
	});

	test('cong init in a new directory prints the admin password once and creates the database', async () => {
		const dir = path.join(await tempDir(), 'fresh');
		const r = await runCong(['init', '--data', dir, ...pgInitArgs()]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /login:\s+admin/);
		assert.match(r.stdout, /password:\s+\S{10,}/);
		assert.equal(sql(dir, "SELECT role FROM users WHERE login='admin'"), 'admin');
	});

	test('cong init without --data exits non-zero', async () => {
		const r = await runCong(['init'], { env: { CONG_DATA: undefined } });
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /--data/);
	});
});

describe('user add', () => {
	const add = (args, input) => runCong(['user', 'add', '--data', data, ...args, '--password-stdin'], { input });

	test('a good password on stdin adds the account with its role', async () => {
		const r = await add(['--login', 'editor1', '--role', 'editor'], 'Sông-Lam-bien-tap-2026\n');
		assert.equal(r.code, 0, r.stderr);
		assert.equal(sql(data, "SELECT role FROM users WHERE login='editor1'"), 'editor');
		const hash = sql(data, "SELECT password_hash FROM users WHERE login='editor1'");
		assert.ok(!hash.includes('Sông-Lam-bien-tap-2026'), 'the password is not stored as is');
		assert.match(hash, /^\$argon2id\$/);
	});

	test('a short password is refused and nothing is added', async () => {
		const r = await add(['--login', 'editor2', '--role', 'editor'], 'short1\n');
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /password/i);
		assert.equal(sql(data, "SELECT count(*) FROM users WHERE login='editor2'"), '0');
	});

	test('a password containing the login, or a common one, is refused', async () => {
		let r = await add(['--login', 'editor3', '--role', 'editor'], 'my-editor3-password\n');
		assert.notEqual(r.code, 0);
		r = await add(['--login', 'editor3', '--role', 'editor'], 'password123\n');
		assert.notEqual(r.code, 0);
		assert.equal(sql(data, "SELECT count(*) FROM users WHERE login='editor3'"), '0');
	});

	test('a bad role is refused', async () => {
		const r = await add(['--login', 'editor4', '--role', 'superuser'], 'Sông-Lam-bien-tap-2026\n');
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /superuser|role/);
		assert.equal(sql(data, "SELECT count(*) FROM users WHERE login='editor4'"), '0');
	});

	test('a login that is taken is refused', async () => {
		const r = await add(['--login', 'admin', '--role', 'editor'], 'Sông-Lam-bien-tap-2026\n');
		assert.notEqual(r.code, 0);
		assert.match(r.stderr, /taken|exists/);
		assert.equal(sql(data, "SELECT role FROM users WHERE login='admin'"), 'admin');
	});

	test('a bad login is refused', async () => {
		const r = await add(['--login', 'Bad Login!', '--role', 'editor'], 'Sông-Lam-bien-tap-2026\n');
		assert.notEqual(r.code, 0);
	});

	test('no password on stdin is refused', async () => {
		const r = await add(['--login', 'editor5', '--role', 'editor'], '');
		assert.notEqual(r.code, 0);
		assert.equal(sql(data, "SELECT count(*) FROM users WHERE login='editor5'"), '0');
	});
});
