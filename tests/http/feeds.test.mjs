// Feeds, sitemaps and page metadata as machines read them: RSS 2.0 and Atom checked with a real parser
// (Debian's python3-feedparser), sitemap.xml and its index checked by xmllint against the sitemaps.org
// schema, robots.txt, the HTML site map, and an article's JSON-LD, Open Graph and Dublin Core.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
	ROOT,
	articleLinks,
	cleanup,
	get200,
	h1,
	hrefs,
	initPortal,
	poll,
	request,
	sanitizerReports,
	sql,
	startServer,
	tempDir,
	unescapeHtml,
} from './helpers.mjs';

const XSD = path.join(ROOT, 'tests/http/fixtures/sitemap.xsd');
/* Debian's feedparser lives in the system Python; a pyenv or venv python3 first in PATH may not have it */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

let data, srv, base, tmp;

before(async () => {
	data = await initPortal();
	srv = await startServer(data);
	base = sql(data, "SELECT value FROM settings WHERE key = 'site.base_url'");
	tmp = await tempDir('cong-feeds-');
});
after(async () => {
	const reports = srv ? sanitizerReports(srv.log()) : '';
	await cleanup();
	assert.equal(reports, '', 'sanitizer reports');
});

/** Parses a feed with feedparser; returns what the tests look at. */
function parseFeed(xml) {
	const script = `
import sys, json, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": int(bool(d.bozo)), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "link": d.feed.get("link"), "language": d.feed.get("language"),
  "links": [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in d.feed.get("links", [])],
  "entries": [{"title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
               "guidislink": e.get("guidislink"), "published": e.get("published"),
               "published_parsed": list(e.published_parsed) if e.get("published_parsed") else None,
               "updated_parsed": list(e.updated_parsed) if e.get("updated_parsed") else None,
               "tags": [t.get("term") for t in e.get("tags", [])], "summary": e.get("summary"),
               "author": e.get("author")} for e in d.entries]}))
`;
	const r = spawnSync(PYTHON, ['-c', script], { input: xml, encoding: 'utf8', maxBuffer: 64 << 20 });
	if (r.status !== 0) throw new Error(`feedparser failed: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

/** xmllint --schema on a document; returns {ok, out}. */
async function validateSitemap(xml, name) {
	const file = path.join(tmp, name);
	await writeFile(file, xml);
	const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
	return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const locs = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => unescapeHtml(m[1]));

/** Titles of the latest visible articles of lang (optionally of a category and its children), newest first. */
function latestTitles(lang, categoryId, limit = 30) {
	const cat = categoryId
		? ` AND (category_id = ${categoryId} OR category_id IN (SELECT id FROM categories WHERE parent_id = ${categoryId}))`
		: '';
	const out = sql(
		data,
		`SELECT title FROM articles WHERE lang = '${lang}' AND status = 'published' AND published_at <= strftime('%s','now')${cat}` +
			` ORDER BY published_at DESC, id DESC LIMIT ${limit}`,
	);
	return out ? out.split('\n') : [];
}

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('RSS and Atom feeds', () => {
	const cases = [
		{ path: '/rss.xml', lang: 'vi', kind: 'rss' },
		{ path: '/atom.xml', lang: 'vi', kind: 'atom' },
		{ path: '/en/rss.xml', lang: 'en', kind: 'rss' },
		{ path: '/en/atom.xml', lang: 'en', kind: 'atom' },
		{ path: '/zh/rss.xml', lang: 'zh', kind: 'rss' },
		{ path: '/zh/atom.xml', lang: 'zh', kind: 'atom' },
		{ path: '/tin-tuc/feed/rss.xml', lang: 'vi', kind: 'rss' },
		{ path: '/en/news/feed/atom.xml', lang: 'en', kind: 'atom' },
	];
	for (const c of cases) {
		test(`${c.path} is a valid ${c.kind} feed of the latest ${c.lang} articles`, async () => {
			const r = await get200(srv, c.path);
			assert.equal(r.headers['content-type'], `application/${c.kind}+xml; charset=utf-8`);
			assert.match(r.headers['cache-control'] || '', /public, max-age=\d+/);
			assert.ok(r.headers.etag, 'an ETag like pages');
			const f = parseFeed(r.body);
			assert.equal(f.bozo, 0, `feedparser: ${f.error}`);
			assert.equal(f.version, c.kind === 'rss' ? 'rss20' : 'atom10');
			const titles = latestTitles(c.lang);
			assert.ok(titles.length > 0);
			assert.equal(f.entries.length, Math.min(30, titles.length));
			assert.deepEqual(f.entries.map((e) => e.title), titles, 'titles, newest first, diacritics intact');
			const self = f.links.find((l) => l.rel === 'self');
			assert.equal(self?.href, `${base}${c.path}`, 'rel=self is the absolute feed URL');
			for (const e of f.entries) {
				assert.ok(e.link.startsWith(`${base}/`), `absolute link: ${e.link}`);
				const want = c.lang === 'vi' ? '/tin-tuc/' : `/${c.lang}/news/`;
				assert.ok(e.link.startsWith(`${base}${want}`), `${c.lang} article link: ${e.link}`);
				assert.equal(e.id, e.link, 'guid / id is the permalink');
				assert.ok(e.published_parsed, 'a parsed date');
				assert.ok(e.tags.length >= 1, 'a category');
				assert.ok(e.author, 'an author');
			}
			if (c.kind === 'rss') {
				assert.equal(f.language, c.lang === 'zh' ? 'zh-CN' : c.lang);
				for (const m of r.text.matchAll(/<pubDate>([^<]*)<\/pubDate>/g)) assert.match(m[1], RFC822);
				assert.equal((r.text.match(/<guid isPermaLink="true">/g) || []).length, f.entries.length);
			} else {
				for (const m of r.text.matchAll(/<(updated|published)>([^<]*)<\/\1>/g)) assert.match(m[2], RFC3339);
			}
		});
	}

	test('a Vietnamese title keeps its diacritics byte for byte', async () => {
		const f = parseFeed((await get200(srv, '/rss.xml')).body);
		assert.ok(f.entries.some((e) => /[ạảãàáâậầấẩẫăắằặẳẵđêệểễềếôộổỗồốơờớợởỡưứừựửữ]/i.test(e.title)));
		assert.ok(f.title.includes('Cổng') || /[ổộơư]/.test(f.title), `site name: ${f.title}`);
	});

	test('a category feed lists only that category and its subcategories, per language', async () => {
		const [id, slug] = sql(
			data,
			"SELECT c.id, ci.slug FROM categories c JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = 'vi'" +
				" WHERE c.parent_id IS NULL AND EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) ORDER BY c.id LIMIT 1",
		).split('|');
		for (const kind of ['rss', 'atom']) {
			const r = await get200(srv, `/chuyen-muc/${slug}/feed/${kind}.xml`);
			assert.equal(r.headers['content-type'], `application/${kind}+xml; charset=utf-8`);
			const f = parseFeed(r.body);
			assert.equal(f.bozo, 0, f.error);
			assert.deepEqual(f.entries.map((e) => e.title), latestTitles('vi', id));
			assert.equal(f.links.find((l) => l.rel === 'self')?.href, `${base}/chuyen-muc/${slug}/feed/${kind}.xml`);
		}
		const en = sql(data, `SELECT slug FROM category_i18n WHERE category_id = ${id} AND lang = 'en'`);
		const f = parseFeed((await get200(srv, `/en/category/${en}/feed/atom.xml`)).body);
		assert.equal(f.bozo, 0, f.error);
		assert.deepEqual(f.entries.map((e) => e.title), latestTitles('en', id));
	});

	test('an unknown category, or a category slug of another language, answers 404', async () => {
		assert.equal((await request(srv, '/chuyen-muc/khong-co/feed/rss.xml')).status, 404);
		const en = sql(data, "SELECT slug FROM category_i18n WHERE lang = 'en' AND slug NOT IN (SELECT slug FROM category_i18n WHERE lang = 'vi') LIMIT 1");
		assert.equal((await request(srv, `/chuyen-muc/${en}/feed/rss.xml`)).status, 404);
		assert.equal((await request(srv, '/en/tin-tuc/feed/rss.xml')).status, 404);
	});

	test('every page links its language\'s feeds in <head>, and category pages their category\'s', async () => {
		for (const [page, prefix] of [['/', ''], ['/en/', '/en'], ['/zh/', '/zh'], ['/trang/gioi-thieu', '']]) {
			const r = await request(srv, page);
			const head = r.text.slice(0, r.text.indexOf('</head>'));
			assert.match(head, new RegExp(`<link rel="alternate" type="application/rss\\+xml" title="[^"]+" href="${prefix}/rss.xml">`), page);
			assert.match(head, new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="${prefix}/atom.xml">`), page);
		}
		const slug = sql(data, "SELECT slug FROM category_i18n WHERE lang = 'en' ORDER BY category_id LIMIT 1");
		const r = await get200(srv, `/en/category/${slug}`);
		const head = r.text.slice(0, r.text.indexOf('</head>'));
		const feeds = [...head.matchAll(/<link rel="alternate" type="application\/(?:rss|atom)\+xml"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
		assert.ok(feeds.includes(`/en/category/${slug}/feed/rss.xml`) && feeds.includes(`/en/category/${slug}/feed/atom.xml`), feeds.join(' '));
		for (const f of feeds) assert.equal((await request(srv, f)).status, 200, f);
		const all = await get200(srv, '/tin-tuc');
		for (const m of all.text.matchAll(/<link rel="alternate" type="application\/(?:rss|atom)\+xml"[^>]*href="([^"]+)"/g))
			assert.equal((await request(srv, m[1])).status, 200, m[1]);
	});
});

describe('sitemap.xml and robots.txt', () => {
	test('/sitemap.xml validates against the sitemaps.org schema and lists every public URL', async () => {
		const r = await get200(srv, '/sitemap.xml');
		assert.match(r.headers['content-type'], /^application\/xml; charset=utf-8$/);
		const v = await validateSitemap(r.text, 'sitemap.xml');
		assert.ok(v.ok, v.out);
		assert.match(r.text, /<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9" xmlns:xhtml="http:\/\/www\.w3\.org\/1999\/xhtml">/);
		const list = locs(r.text);
		assert.equal(new Set(list).size, list.length, 'no URL twice');
		for (const u of list) assert.ok(u.startsWith(`${base}/`), u);
		for (const home of ['/', '/en/', '/zh/', '/tin-tuc', '/en/news', '/zh/news']) assert.ok(list.includes(`${base}${home}`), home);
		const visible = Number(sql(data, "SELECT count(*) FROM articles WHERE status = 'published' AND published_at <= strftime('%s','now')"));
		const cats = Number(sql(data, 'SELECT count(*) FROM category_i18n'));
		const pages = Number(sql(data, 'SELECT count(*) FROM pages'));
		assert.equal(list.length, 6 + cats + pages + visible);
		for (const row of sql(data, "SELECT lang, slug FROM pages").split('\n')) {
			const [lang, slug] = row.split('|');
			assert.ok(list.includes(`${base}${lang === 'vi' ? '/trang/' : `/${lang}/page/`}${slug}`), row);
		}
		assert.ok(list.includes(`${base}/chuyen-muc/${sql(data, "SELECT slug FROM category_i18n WHERE lang = 'vi' LIMIT 1")}`));
		assert.equal((r.text.match(/<lastmod>/g) || []).length >= visible, true, 'lastmod on articles');
		for (const m of r.text.matchAll(/<lastmod>([^<]*)<\/lastmod>/g)) assert.match(m[1], RFC3339);
	});

	test('a translated article lists its translations as xhtml:link hreflang alternates, itself included', async () => {
		const row = sql(
			data,
			"SELECT a.slug, e.slug FROM articles a JOIN articles e ON e.group_id = a.group_id AND e.lang = 'en'" +
				" WHERE a.lang = 'vi' AND a.status = 'published' AND e.status = 'published' AND a.published_at <= strftime('%s','now')" +
				" AND e.published_at <= strftime('%s','now') LIMIT 1",
		);
		assert.ok(row, 'the demo has a translated article');
		const [vi, en] = row.split('|');
		const xml = (await get200(srv, '/sitemap.xml')).text;
		const entry = xml.match(new RegExp(`<url><loc>${base.replace(/[.]/g, '\\.')}/tin-tuc/${vi}</loc>[\\s\\S]*?</url>`));
		assert.ok(entry, 'the article is listed');
		assert.ok(entry[0].includes(`<xhtml:link rel="alternate" hreflang="en" href="${base}/en/news/${en}"/>`), entry[0]);
		assert.ok(entry[0].includes(`<xhtml:link rel="alternate" hreflang="vi" href="${base}/tin-tuc/${vi}"/>`), entry[0]);
	});

	test('robots.txt allows everything but the staff area and the sign-in pages, and names the sitemap', async () => {
		const r = await get200(srv, '/robots.txt');
		assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
		const lines = r.text.split('\n');
		assert.ok(lines.includes('User-agent: *'));
		assert.ok(lines.includes('Allow: /'));
		for (const p of ['/admin', '/en/admin', '/zh/admin', '/dang-nhap', '/en/login', '/zh/login'])
			assert.ok(lines.includes(`Disallow: ${p}`), p);
		assert.ok(!lines.includes('Disallow: /'), 'the public site stays crawlable');
		assert.ok(lines.includes(`Sitemap: ${base}/sitemap.xml`));
		assert.equal((await request(srv, '/en/robots.txt')).status, 404);
	});
});

describe('the HTML site map', () => {
	for (const [p, lang, title] of [['/so-do-cong', 'vi', 'Sơ đồ cổng'], ['/en/sitemap', 'en', 'Site map'], ['/zh/sitemap', 'zh', '网站地图']]) {
		test(`${p} lists sections, the category tree and static pages, and every link works`, async () => {
			const r = await get200(srv, p);
			assert.equal(h1(r.text), title);
			const main = r.text.slice(r.text.indexOf('<main'), r.text.indexOf('</main>'));
			const links = [...new Set(hrefs(main).filter((h) => h.startsWith('/')))];
			const cats = sql(data, `SELECT slug FROM category_i18n WHERE lang = '${lang}'`).split('\n');
			const catBase = lang === 'vi' ? '/chuyen-muc/' : `/${lang}/category/`;
			for (const s of cats) assert.ok(links.includes(`${catBase}${s}`), `category ${s}`);
			const pages = sql(data, `SELECT slug FROM pages WHERE lang = '${lang}'`).split('\n').filter(Boolean);
			for (const s of pages) assert.ok(links.includes(`${lang === 'vi' ? '/trang/' : `/${lang}/page/`}${s}`), `page ${s}`);
			assert.ok(/<ul class="sitemap-tree">[\s\S]*<li><a [^>]*>[^<]*<\/a>\s*<ul>/.test(main), 'subcategories nested under their parent');
			for (const l of links) assert.equal((await request(srv, l)).status, 200, l);
		});
	}
});

describe('article metadata', () => {
	let art, html, head;
	before(async () => {
		const home = await get200(srv, '/');
		const url = articleLinks(home.text, 'vi')[0];
		const slug = url.split('/').pop();
		art = sql(data, `SELECT id, title, lead, author FROM articles WHERE lang = 'vi' AND slug = '${slug}'`).split('|');
		art.url = url;
		html = (await get200(srv, url)).text;
		head = html.slice(0, html.indexOf('</head>'));
	});

	const meta = (attr, name) => {
		const m = head.match(new RegExp(`<meta ${attr}="${name.replace(/[.]/g, '\\.')}" content="([^"]*)">`));
		return m ? unescapeHtml(m[1]) : null;
	};

	test('schema.org NewsArticle JSON-LD parses and has the fields', () => {
		const m = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
		assert.ok(m, 'a JSON-LD block');
		const ld = JSON.parse(m[1]);
		assert.equal(ld['@context'], 'https://schema.org');
		assert.equal(ld['@type'], 'NewsArticle');
		assert.equal(ld.headline, art[1]);
		assert.equal(ld.description, art[2]);
		assert.match(ld.datePublished, RFC3339);
		assert.match(ld.dateModified, RFC3339);
		assert.equal(ld.inLanguage, 'vi');
		assert.equal(ld.mainEntityOfPage['@id'], `${base}${art.url}`);
		assert.equal(ld.author.name, art[3]);
		assert.ok(ld.publisher.name);
		assert.equal(ld.publisher.logo.url, `${base}/static/img/emblem.svg`);
		assert.ok(ld.image[0].startsWith(`${base}/media/`), 'absolute image');
	});

	test('Open Graph tags', () => {
		assert.equal(meta('property', 'og:type'), 'article');
		assert.equal(meta('property', 'og:title'), art[1]);
		assert.equal(meta('property', 'og:description'), art[2]);
		assert.equal(meta('property', 'og:url'), `${base}${art.url}`);
		assert.ok(meta('property', 'og:image')?.startsWith(`${base}/media/`));
		assert.equal(meta('property', 'og:locale'), 'vi_VN');
		assert.ok(meta('property', 'og:site_name'));
		assert.match(meta('property', 'article:published_time'), RFC3339);
	});

	test('og:locale follows the language', async () => {
		for (const [lang, locale] of [['en', 'en_US'], ['zh', 'zh_CN']]) {
			const r = await get200(srv, `/${lang}/`);
			const url = articleLinks(r.text, lang)[0];
			const a = (await get200(srv, url)).text;
			assert.ok(a.includes(`<meta property="og:locale" content="${locale}">`), lang);
		}
	});

	test('Dublin Core: title, creator, date, description, publisher, identifier, language, type', () => {
		assert.equal(meta('name', 'DC.title'), art[1]);
		assert.equal(meta('name', 'DC.creator'), art[3]);
		assert.match(meta('name', 'DC.date'), RFC3339);
		assert.equal(meta('name', 'DC.description'), art[2]);
		assert.ok(meta('name', 'DC.publisher'));
		assert.equal(meta('name', 'DC.identifier'), `${base}${art.url}`);
		assert.equal(meta('name', 'DC.language'), 'vi');
		assert.equal(meta('name', 'DC.type'), 'Text');
		assert.ok(head.includes(`<link rel="canonical" href="${base}${art.url}">`));
	});
});

/* The tests below change the database: they run last. */
describe('feeds follow the content', () => {
	test('markup in a title is escaped in feeds and cannot break out of the JSON-LD script', async () => {
		const id = sql(data, "SELECT id FROM articles WHERE lang = 'vi' AND status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1");
		const evil = `Tin <b>"đặc biệt"</b> & 'nháy' </script><script>alert(1)</script>`;
		sql(data, `UPDATE articles SET title = '${evil.replace(/'/g, "''")}' WHERE id = ${id}`);
		const feed = await poll(async () => {
			const f = parseFeed((await get200(srv, '/rss.xml')).body);
			return f.entries[0]?.title === evil ? f : null;
		}, 2000);
		assert.ok(feed, 'the new title is in the feed within 2 s');
		assert.equal(feed.bozo, 0, feed.error);
		const atom = parseFeed((await get200(srv, '/atom.xml')).body);
		assert.equal(atom.bozo, 0, atom.error);
		assert.equal(atom.entries[0].title, evil);
		const slug = sql(data, `SELECT slug FROM articles WHERE id = ${id}`);
		const page = (await get200(srv, `/tin-tuc/${slug}`)).text;
		const scripts = page.match(/<script\b[^>]*>/g) || [];
		assert.deepEqual(scripts, ['<script type="application/ld+json">'], 'only the JSON-LD data block');
		const ld = JSON.parse(page.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)[1]);
		assert.equal(ld.headline, evil);
	});

	test('an unpublished article leaves the feeds and the sitemap within 2 s', async () => {
		const [id, slug, cat] = sql(
			data,
			"SELECT a.id, a.slug, ci.slug FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = a.lang" +
				" WHERE a.lang = 'vi' AND a.status = 'published' ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
		).split('|');
		const url = `${base}/tin-tuc/${slug}`;
		const listed = async () => {
			const [rss, atom, catRss, sm] = await Promise.all(
				['/rss.xml', '/atom.xml', `/chuyen-muc/${cat}/feed/rss.xml`, '/sitemap.xml'].map((p) => get200(srv, p)),
			);
			return [rss, atom, catRss, sm].map((r) => r.text.includes(url));
		};
		assert.deepEqual(await listed(), [true, true, true, true]);
		sql(data, `UPDATE articles SET status = 'unpublished' WHERE id = ${id}`);
		const gone = await poll(async () => (await listed()).every((x) => !x), 2000);
		assert.ok(gone, `still listed: ${JSON.stringify(await listed())}`);
		const f = parseFeed((await get200(srv, '/rss.xml')).body);
		assert.equal(f.bozo, 0);
		assert.deepEqual(f.entries.map((e) => e.title), latestTitles('vi'));
	});

	test('past the page size, /sitemap.xml becomes an index of /sitemap-N.xml parts that together list every URL', async () => {
		const full = locs((await get200(srv, '/sitemap.xml')).text);
		const size = 25;
		sql(data, `INSERT INTO settings (key, value) VALUES ('sitemap.page_size', '${size}')`);
		try {
			const index = await poll(async () => {
				const r = await get200(srv, '/sitemap.xml');
				return r.text.includes('<sitemapindex') ? r.text : null;
			}, 2000);
			assert.ok(index, 'a sitemap index within 2 s');
			const v = await validateSitemap(index, 'index.xml');
			assert.ok(v.ok, v.out);
			const parts = locs(index);
			assert.equal(parts.length, Math.ceil(full.length / size));
			const all = [];
			for (const [i, p] of parts.entries()) {
				assert.equal(p, `${base}/sitemap-${i + 1}.xml`);
				const r = await get200(srv, `/sitemap-${i + 1}.xml`);
				const pv = await validateSitemap(r.text, `part-${i + 1}.xml`);
				assert.ok(pv.ok, pv.out);
				const l = locs(r.text);
				assert.ok(l.length <= size && l.length > 0);
				all.push(...l);
			}
			assert.deepEqual(all, full, 'the parts are the whole list, in order, without overlap');
			for (const bad of [`/sitemap-${parts.length + 1}.xml`, '/sitemap-0.xml', '/sitemap-01.xml', '/sitemap-1.txt', '/sitemap-x.xml'])
				assert.equal((await request(srv, bad)).status, 404, bad);
		} finally {
			sql(data, "DELETE FROM settings WHERE key = 'sitemap.page_size'");
		}
		const back = await poll(async () => (await get200(srv, '/sitemap.xml')).text.includes('<urlset') || null, 2000);
		assert.ok(back, 'a plain urlset again');
		assert.equal((await request(srv, '/sitemap-1.xml')).status, 404, 'no parts without an index');
	});
});
