// `cong migrate-db`: a demo portal made on SQLite, moved to PostgreSQL, proved table by table; then the same
// site served from each database answers the same bytes.  A second move into a portal is refused; a move
// that fails commits nothing and can be run again; a table the move does not know stops it before the
// target is touched.  Runs when CONG_TEST_PG names the test server (scripts/pg.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { PG, articleLinks, cleanup, get200, hrefs, pgCreateDb, request, runCong, signIn, sql, startServer, tempDir } from '../http/helpers.mjs';

const skip = PG ? false : 'needs CONG_TEST_PG (a PostgreSQL server, see scripts/pg.sh)';
const noPg = { CONG_TEST_PG: undefined, CONG_DB: undefined, CONG_DATABASE_URL: undefined };
/* tables the move leaves out: ephemeral ones, and the search index (rebuilt) with FTS5's own tables */
const NOT_MOVED = /^(sessions|login_throttle|search_dirty|article_search(_\w+)?|sqlite_\w+)$/;

let src, pgDir, url, moved, adminPw, sqliteSrv, pgSrv;

function sqlite(dir, query) {
	const r = spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', path.join(dir, 'cong.db'), query], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
	return r.stdout.trim();
}

function psql(dbUrl, query) {
	const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', dbUrl, '-c', query], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout.trim();
}

const migrate = (...args) => runCong(['migrate-db', ...args], { env: noPg });

/** A consistent copy of the source portal in a new data dir (cong backup: the source may be serving). */
async function copyOfSource() {
	const dir = path.join(await tempDir(), 'data');
	await mkdir(path.join(dir, 'media'), { recursive: true });
	const r = await runCong(['backup', '--data', src, '--to', path.join(dir, 'cong.db')], { env: noPg });
	assert.equal(r.code, 0, r.stderr);
	return dir;
}

before(async () => {
	if (!PG) return;
	src = path.join(await tempDir(), 'sqlite');
	const init = await runCong(['init', '--data', src, '--demo'], { env: noPg });
	assert.equal(init.code, 0, init.stderr);
	adminPw = init.stdout.match(/password: (\S+)/)[1];
	/* something in the tables the demo leaves empty: an editor's autosave, a revision, an audit entry, a session */
	sqlite(src, `INSERT INTO autosaves (user_id, article_id, data, saved_at) VALUES (1, 0, '{"title":"Nháp chưa lưu"}', 5);
		INSERT INTO article_revisions (article_id, revision, title, lead, body, category_id, status, saved_by, saved_at)
			SELECT id, 1, title, lead, body, category_id, status, 1, 7 FROM articles WHERE id = (SELECT min(id) FROM articles);
		INSERT INTO audit_log (at, user_id, login, action, object_type, object_id, detail, ip)
			VALUES (8, 1, 'admin', 'article.update', 'article', 1, 'tiêu đề', '127.0.0.1'), (9, NULL, '', 'login.fail', '', NULL, '', '');
		INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES ('hash', 1, 'csrf', 1, 1);`);
	url = pgCreateDb();
	moved = await migrate('--from', `sqlite:${src}`, '--to', url);
	pgDir = await tempDir();
	await writeFile(path.join(pgDir, 'cong.ini'), `[server]\ndb = ${url}\nmedia_dir = ${path.join(src, 'media')}\n`);
});
after(async () => {
	await sqliteSrv?.stop();
	await pgSrv?.stop();
	await cleanup();
});

test('every table is moved and proved: same rows, same checksum', { skip }, () => {
	assert.equal(moved.code, 0, `${moved.stdout}\n${moved.stderr}`);
	/* every table of the source has its line: the ones copied, and schema_migrations (compared) */
	const tables = sqlite(src, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split('\n').filter((t) => !NOT_MOVED.test(t));
	for (const t of ['settings', 'users', 'articles', 'media', 'audit_log', 'autosaves', 'article_revisions', 'schema_migrations'])
		assert.ok(tables.includes(t), t);
	for (const t of tables) {
		const m = moved.stdout.match(new RegExp(`^${t}\\s+(\\d+)\\s+([0-9a-f]{32})\\s+ok$`, 'm'));
		assert.ok(m, `a line for ${t}:\n${moved.stdout}`);
		assert.equal(m[1], sqlite(src, `SELECT count(*) FROM ${t}`), `rows of ${t}`);
		assert.equal(psql(url, `SELECT count(*) FROM ${t}`), m[1], `rows of ${t} on PostgreSQL`);
	}
	assert.doesNotMatch(moved.stdout, /DIFFERENT/);
	assert.match(moved.stdout, /not moved: sessions \(1 rows\)/);
	assert.equal(psql(url, 'SELECT count(*) FROM sessions'), '0');
	assert.equal(psql(url, 'SELECT string_agg(version || name, \',\' ORDER BY version) FROM schema_migrations'),
		sqlite(src, "SELECT group_concat(version || name, ',') FROM (SELECT * FROM schema_migrations ORDER BY version)"));
	/* the search index was built on PostgreSQL */
	assert.equal(psql(url, 'SELECT count(*) FROM article_search'), sqlite(src, 'SELECT count(*) FROM articles'));
	assert.match(moved.stdout, new RegExp(`media_dir = ${path.join(src, 'media').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test('the site served from PostgreSQL answers what it answered from SQLite', { skip }, async () => {
	sqliteSrv = await startServer(src);
	pgSrv = await startServer(pgDir);
	const home = (await get200(sqliteSrv, '/')).text;
	const article = articleLinks(home)[0];
	const category = hrefs(home).find((h) => /^\/chuyen-muc\/[^/?#]+$/.test(h));
	const enArticle = articleLinks((await get200(sqliteSrv, '/en/')).text, 'en')[0];
	const image = hrefs(home).concat([...home.matchAll(/src="([^"]+)"/g)].map((m) => m[1])).find((h) => /^\/media\/[^/]+\.jpg$/.test(h));
	assert.ok(article && category && enArticle && image, 'links found on the home pages');
	const paths = ['/', '/en/', '/zh/', article, enArticle, category, '/tim-kiem?q=hoi+nghi&sort=date', '/rss.xml', '/en/atom.xml',
		'/sitemap.xml', '/so-do-cong', '/api/v1/articles', '/api/v1/categories', `/api/v1/search?q=hoi+nghi&sort=date`, image];
	for (const p of paths) {
		const a = await request(sqliteSrv, p), b = await request(pgSrv, p);
		assert.equal(a.status, 200, p);
		assert.equal(b.status, a.status, p);
		assert.ok(a.body.equals(b.body), `${p}: the bodies differ`);
	}
	/* by relevance: the same matches; their order is each backend's own ranking (FTS5's bm25, ts_rank) */
	const hits = async (srv) => {
		const r = JSON.parse((await get200(srv, '/api/v1/search?q=hoi+nghi&limit=50')).text);
		return { total: r.total, ids: r.items.map((i) => i.id).sort((x, y) => x - y) };
	};
	const [hs, hp] = [await hits(sqliteSrv), await hits(pgSrv)];
	assert.ok(hs.total > 0);
	assert.deepEqual(hp, hs);
	const page = async (srv) => (await get200(srv, '/tim-kiem?q=hoi+nghi')).text.match(/(\d+) kết quả/)?.[1];
	assert.equal(await page(pgSrv), await page(sqliteSrv));
});

test('the administrator signs in on PostgreSQL with the same password; new rows get new ids', { skip }, async () => {
	pgSrv ??= await startServer(pgDir);
	const s = await signIn(pgSrv, 'admin', adminPw);
	assert.equal((await s.get('/admin')).status, 200);
	const maxTag = Number(sqlite(src, 'SELECT max(id) FROM tags'));
	sql(pgDir, "INSERT INTO tags (lang, slug, name) VALUES ('vi', 'sau-khi-chuyen', 'Sau khi chuyển')");
	assert.ok(Number(sql(pgDir, "SELECT id FROM tags WHERE slug = 'sau-khi-chuyen'")) > maxTag);
});

test('a second move into the same database is refused and changes nothing', { skip }, async () => {
	const state = `SELECT (SELECT count(*) FROM settings) || '/' || (SELECT count(*) FROM articles) || '/' ||
		(SELECT count(*) FROM schema_migrations) || '/' || (SELECT max(applied_at) FROM schema_migrations) || '/' ||
		(SELECT md5(string_agg(key || '=' || value, ',' ORDER BY key)) FROM settings)`;
	const before = psql(url, state);
	const r = await migrate('--from', src, '--to', url);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /already holds a portal: its table 'settings' has \d+ rows; nothing changed/);
	assert.doesNotMatch(r.stderr, /can be run again/);
	assert.equal(psql(url, state), before);
});

test('a move that fails commits nothing, and runs again once the cause is fixed', { skip }, async () => {
	const dir = await copyOfSource();
	/* a reference SQLite let through (its shell does not check foreign keys); PostgreSQL does check */
	sqlite(dir, 'UPDATE articles SET author_id = 999 WHERE id = (SELECT max(id) FROM articles)');
	const target = pgCreateDb();
	let r = await migrate('--from', dir, '--to', target);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /cannot copy row \d+ of 'articles'.*foreign key/);
	assert.match(r.stderr, /no row was committed.*can be run again/);
	assert.equal(psql(target, 'SELECT count(*) FROM settings'), '0');
	assert.equal(psql(target, 'SELECT count(*) FROM users'), '0');
	sqlite(dir, 'UPDATE articles SET author_id = NULL WHERE author_id = 999');
	r = await migrate('--from', dir, '--to', target);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(psql(target, 'SELECT count(*) FROM articles'), sqlite(dir, 'SELECT count(*) FROM articles'));
});

test('a table the move does not know stops it before the target is touched', { skip }, async () => {
	const dir = await copyOfSource();
	sqlite(dir, 'CREATE TABLE ghi_chu (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO ghi_chu (note) VALUES (\'x\')');
	const target = pgCreateDb();
	const r = await migrate('--from', dir, '--to', target);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /does not know, 'ghi_chu'/);
	assert.equal(psql(target, "SELECT to_regclass('schema_migrations') IS NULL"), 't');
});

test('--media-to copies the images; it must be a new or empty directory', { skip }, async () => {
	const media = path.join(await tempDir(), 'media');
	const r = await migrate('--from', `sqlite:${src}`, '--to', pgCreateDb(), '--media-to', media);
	assert.equal(r.code, 0, r.stderr);
	const want = (await readdir(path.join(src, 'media'))).filter((f) => !f.startsWith('.')).sort();
	assert.deepEqual((await readdir(media)).sort(), want);
	assert.match(r.stdout, new RegExp(`copied ${want.length} image files`));
	assert.ok((await readFile(path.join(media, want[0]))).equals(await readFile(path.join(src, 'media', want[0]))));
	assert.match(r.stdout, new RegExp(`media_dir = ${media.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	const again = await migrate('--from', src, '--to', pgCreateDb(), '--media-to', media);
	assert.equal(again.code, 2);
	assert.match(again.stderr, /must be a new or empty directory/);
});

test('a database that sorts text by its own collation (ICU, Vietnamese) is proved all the same', { skip }, async (t) => {
	const name = `cong_t_icu_${process.pid}_${Date.now()}`;
	try {
		psql(`${PG}postgres`, `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8'`);
	} catch (e) {
		t.skip(`no ICU collation on this server: ${e.message}`);
		return;
	}
	const r = await migrate('--from', src, '--to', `${PG}${name}`);
	assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
	assert.match(r.stdout, /^settings\s+\d+\s+[0-9a-f]{32}\s+ok$/m);
});

test('mistakes: no --from, a SQLite target, --help', { skip }, async () => {
	let r = await migrate('--to', url);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /--from and --to are required/);
	r = await migrate('--from', src, '--to', '/tmp/other.db');
	assert.equal(r.code, 2);
	assert.match(r.stderr, /PostgreSQL URL/);
	r = await migrate('--from', '/nonexistent/cong-data', '--to', url);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /\/nonexistent\/cong-data/);
	r = await runCong(['migrate-db', '--help']);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /usage: cong migrate-db --from/);
});
