// What the server does with changes made to its database by someone else (the sqlite3 CLI here):
// changed slugs keep their old URLs working with a 301, the page cache is dropped; and page views are
// written back to the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
	articleLinks,
	assertGracefulStop,
	cleanup,
	get200,
	h1,
	initPortal,
	langSwitch,
	poll,
	request,
	sleep,
	sql,
	startServer,
} from './helpers.mjs';

let data, srv;

before(async () => {
	data = await initPortal();
	srv = await startServer(data);
});
after(cleanup);

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Waits (up to ms) until GET url answers the given status; returns the last response. */
async function waitStatus(url, status, ms = 3000) {
	let r;
	await poll(async () => (r = await request(srv, url)).status === status, ms, 100);
	return r;
}

/** Follows redirects from url (at most 5); returns the list of [url, status]. */
async function chain(url) {
	const seen = [];
	for (let i = 0; i < 6; i++) {
		const r = await request(srv, url);
		seen.push([url, r.status]);
		if (r.status !== 301 && r.status !== 302) return seen;
		url = r.headers.location;
	}
	return seen;
}

/** Waits (up to 3 s: the server drops its page cache within ~1 s of a commit) until the redirect chain
 * from url is the expected one, then asserts it. */
async function waitChain(url, expected, ms = 3000) {
	let got;
	await poll(async () => JSON.stringify((got = await chain(url))) === JSON.stringify(expected), ms, 100);
	assert.deepEqual(got, expected, `redirects from ${url}`);
}

describe('old slugs redirect', () => {
	let id, slug, title, newSlug;

	before(async () => {
		/* an article the home page shows, so the home page can be checked too */
		const home = await get200(srv, '/');
		const urls = articleLinks(home.text, 'vi');
		slug = urls[urls.length - 1].split('/').pop();
		id = sql(data, `SELECT id FROM articles WHERE lang='vi' AND slug=${q(slug)}`);
		assert.match(id, /^\d+$/);
		newSlug = `moi-${slug}`.slice(0, 90);
	});

	test('after an external UPDATE of the slug the old URL answers 301 to the new one', async () => {
		const before = await get200(srv, `/tin-tuc/${slug}`); /* now in the page cache */
		title = h1(before.text);
		sql(data, `UPDATE articles SET slug=${q(newSlug)} WHERE id=${id}`);
		const r = await waitStatus(`/tin-tuc/${slug}`, 301);
		assert.equal(r.status, 301, 'the old URL redirects within 3 s of the commit');
		assert.equal(r.headers.location, `/tin-tuc/${newSlug}`);
		const now = await get200(srv, `/tin-tuc/${newSlug}`);
		assert.equal(h1(now.text), title);
	});

	test('the home page links the new URL, not the old one', async () => {
		const home = await get200(srv, '/');
		const urls = articleLinks(home.text, 'vi');
		assert.ok(urls.includes(`/tin-tuc/${newSlug}`), 'new URL on the home page');
		assert.ok(!urls.includes(`/tin-tuc/${slug}`), 'old URL gone from the home page');
	});

	test('a slug changed back and forth does not loop', async () => {
		/* back: the original slug is the article's own again; the one in between redirects to it */
		sql(data, `UPDATE articles SET slug=${q(slug)} WHERE id=${id}`);
		const r = await waitStatus(`/tin-tuc/${slug}`, 200);
		assert.equal(r.status, 200, 'the original URL is the page again');
		assert.equal(h1(r.text), title);
		await waitChain(`/tin-tuc/${newSlug}`, [[`/tin-tuc/${newSlug}`, 301], [`/tin-tuc/${slug}`, 200]]);
		await waitChain(`/tin-tuc/${slug}`, [[`/tin-tuc/${slug}`, 200]]);

		/* and forth again */
		sql(data, `UPDATE articles SET slug=${q(newSlug)} WHERE id=${id}`);
		await waitChain(`/tin-tuc/${slug}`, [[`/tin-tuc/${slug}`, 301], [`/tin-tuc/${newSlug}`, 200]]);
		await waitChain(`/tin-tuc/${newSlug}`, [[`/tin-tuc/${newSlug}`, 200]]);
	});

	test('three renames: every old slug leads to the current URL in one hop', async () => {
		const third = `ba-${slug}`.slice(0, 90);
		sql(data, `UPDATE articles SET slug=${q(third)} WHERE id=${id}`);
		for (const old of [slug, newSlug]) await waitChain(`/tin-tuc/${old}`, [[`/tin-tuc/${old}`, 301], [`/tin-tuc/${third}`, 200]]);
		await waitChain(`/tin-tuc/${third}`, [[`/tin-tuc/${third}`, 200]]);
	});

	test('an English article: the old /en/news URL redirects under /en, and its translations follow', async () => {
		const en = sql(
			data,
			"SELECT a.id || '|' || a.slug || '|' || v.slug FROM articles a JOIN articles v ON v.group_id = a.group_id AND v.lang='vi'" +
				" WHERE a.lang='en' AND a.status='published' AND a.published_at <= strftime('%s','now') ORDER BY a.id LIMIT 1",
		);
		const [enId, enSlug, viSlug] = en.split('|');
		assert.ok(enId && enSlug && viSlug, 'the demo has an English translation');
		await get200(srv, `/en/news/${enSlug}`);
		await get200(srv, `/tin-tuc/${viSlug}`);
		const renamed = `renamed-${enSlug}`.slice(0, 90);
		sql(data, `UPDATE articles SET slug=${q(renamed)} WHERE id=${enId}`);
		const r = await waitStatus(`/en/news/${enSlug}`, 301);
		assert.equal(r.status, 301);
		assert.equal(r.headers.location, `/en/news/${renamed}`);
		/* the same slug is not an old slug in another language */
		assert.equal((await request(srv, `/zh/news/${enSlug}`)).status, 404);
		const vi = await get200(srv, `/tin-tuc/${viSlug}`);
		assert.equal(langSwitch(vi.text).en, `/en/news/${renamed}`, 'the Vietnamese original switches to the renamed translation');
	});

	test('an unpublished article\'s old slug does not redirect', async () => {
		const row = sql(
			data,
			"SELECT id || '|' || slug FROM articles WHERE lang='vi' AND status='published' AND id <> " + id + ' ORDER BY id DESC LIMIT 1',
		);
		const [uid, uslug] = row.split('|');
		sql(data, `UPDATE articles SET slug=${q('an-' + uslug)}, status='unpublished' WHERE id=${uid}`);
		const r = await waitStatus(`/tin-tuc/${uslug}`, 404);
		assert.equal(r.status, 404);
		assert.equal((await request(srv, `/tin-tuc/an-${uslug}`)).status, 404);
	});
});

describe('old category slugs redirect', () => {
	test('a renamed category answers its old URL with 301 to the new one, in its language only', async () => {
		const id = sql(data, "SELECT category_id FROM category_i18n WHERE lang = 'vi' AND slug = 'kinh-te'");
		assert.ok(id, 'the demo has the category kinh-te');
		sql(data, `UPDATE category_i18n SET slug = 'kinh-te-dau-tu' WHERE lang = 'vi' AND category_id = ${id}`);
		const r = await waitStatus('/chuyen-muc/kinh-te', 301);
		assert.equal(r.headers.location, '/chuyen-muc/kinh-te-dau-tu');
		await get200(srv, '/chuyen-muc/kinh-te-dau-tu');
		const en = sql(data, `SELECT slug FROM category_i18n WHERE lang = 'en' AND category_id = ${id}`);
		await get200(srv, `/en/category/${en}`);
		assert.equal((await request(srv, '/en/category/kinh-te')).status, 404, 'the Vietnamese old slug is not an English URL');
		/* taken back: no redirect loop */
		sql(data, `UPDATE category_i18n SET slug = 'kinh-te' WHERE lang = 'vi' AND category_id = ${id}`);
		await waitStatus('/chuyen-muc/kinh-te', 200);
		assert.equal((await waitStatus('/chuyen-muc/kinh-te-dau-tu', 301)).headers.location, '/chuyen-muc/kinh-te');
	});
});

describe('page views', () => {
	test('reading an article N times adds N to its views in the database within ~6 s', async () => {
		/* the oldest article: not on the home page, not touched by the tests above */
		const row = sql(
			data,
			"SELECT id || '|' || slug || '|' || views FROM articles WHERE lang='vi' AND status='published'" +
				" AND published_at <= strftime('%s','now') ORDER BY published_at, id LIMIT 1",
		);
		const [id, slug, views0] = row.split('|');
		const N = 7;
		for (let i = 0; i < N; i++) await get200(srv, `/tin-tuc/${slug}`); /* one miss, then cache hits */
		const t0 = Date.now();
		const views = await poll(() => {
			const v = Number(sql(data, `SELECT views FROM articles WHERE id=${id}`));
			return v >= Number(views0) + N ? v : 0;
		}, 7000, 250);
		assert.equal(views, Number(views0) + N, `views after ${Date.now() - t0} ms`);
		/* nothing more is counted without more reading */
		await sleep(300);
		assert.equal(Number(sql(data, `SELECT views FROM articles WHERE id=${id}`)), Number(views0) + N);
	});

});

test('graceful shutdown: SIGTERM → exit status 0 within 5 s, no sanitizer report', async () => {
	await assertGracefulStop(srv);
});
