// Public pages as a reader meets them: home pages in three languages, lists and pagination, articles,
// language switches, URLs, localized errors, methods, HEAD and media.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
	articleLinks,
	assertGracefulStop,
	cardLinks,
	cleanup,
	foldSlug,
	get200,
	h1,
	hrefs,
	htmlLang,
	initPortal,
	langSwitch,
	rawRequest,
	request,
	sql,
	startServer,
	unescapeHtml,
} from './helpers.mjs';

let data, srv;
const page = {}; /* home pages by language, fetched once */

before(async () => {
	data = await initPortal();
	srv = await startServer(data);
	for (const [lang, path] of [['vi', '/'], ['en', '/en/'], ['zh', '/zh/']]) page[lang] = await get200(srv, path);
});
after(cleanup);

const HTML = 'text/html; charset=utf-8';

describe('home pages', () => {
	const cases = [
		{ lang: 'vi', path: '/', ui: 'Tin mới nhất', notUi: 'Latest news' },
		{ lang: 'en', path: '/en/', ui: 'Latest news', notUi: 'Tin mới nhất' },
		{ lang: 'zh', path: '/zh/', ui: '最新消息', notUi: 'Tin mới nhất' },
	];
	for (const c of cases) {
		test(`${c.path} answers 200 text/html in ${c.lang} with ${c.lang} UI text`, () => {
			const r = page[c.lang];
			assert.equal(r.status, 200);
			assert.equal(r.headers['content-type'], HTML);
			assert.equal(htmlLang(r.text), c.lang);
			assert.ok(r.text.includes(c.ui), `${c.path} should show "${c.ui}"`);
			assert.ok(!r.text.includes(c.notUi), `${c.path} should not show "${c.notUi}"`);
			assert.ok(articleLinks(r.text, c.lang).length >= 3, `${c.path} should link to articles in ${c.lang}`);
		});
	}

	test('every home page has the language switch to /, /en/ and /zh/', () => {
		for (const lang of ['vi', 'en', 'zh']) {
			const sw = langSwitch(page[lang].text);
			assert.deepEqual(sw, { vi: '/', en: '/en/', zh: '/zh/' }, `language switch on the ${lang} home`);
		}
	});

	test('the English home page does not show Vietnamese article titles', () => {
		const viTitles = cardLinks(page.vi.text).map((c) => c.title);
		assert.ok(viTitles.length > 0);
		for (const t of viTitles) assert.ok(!page.en.text.includes(`>${t}<`), `English home shows Vietnamese title "${t}"`);
	});

	for (const [from, to] of [['/en', '/en/'], ['/zh', '/zh/']]) {
		test(`${from} redirects 301 to ${to}`, async () => {
			const r = await request(srv, from);
			assert.equal(r.status, 301);
			assert.equal(r.headers.location, to);
		});
	}

	test('a trailing slash is dropped with a 301 (one URL per page)', async () => {
		const r = await request(srv, '/tin-tuc/');
		assert.equal(r.status, 301);
		assert.equal(r.headers.location, '/tin-tuc');
	});
});

describe('lists and pagination', () => {
	test('every category in the menu of each language answers 200 with its name in <h1>', async () => {
		for (const lang of ['vi', 'en', 'zh']) {
			const re = lang === 'vi' ? /^\/chuyen-muc\/[a-z0-9-]+$/ : new RegExp(`^/${lang}/category/[a-z0-9-]+$`);
			const cats = [...new Set(hrefs(page[lang].text).filter((h) => re.test(h)))];
			assert.ok(cats.length >= 3, `the ${lang} home links to categories`);
			for (const c of cats) {
				const r = await get200(srv, c);
				assert.equal(r.headers['content-type'], HTML);
				assert.equal(htmlLang(r.text), lang);
				assert.ok(h1(r.text), `${c} has an <h1>`);
			}
		}
	});

	test('the news list pages: ?page=2 works and shows other articles than page 1', async () => {
		const p1 = await get200(srv, '/tin-tuc');
		const p2 = await get200(srv, '/tin-tuc?page=2');
		const a1 = cardLinks(p1.text).map((c) => c.url), a2 = cardLinks(p2.text).map((c) => c.url);
		assert.ok(a1.length > 0 && a2.length > 0, 'both pages list articles');
		for (const u of a2) assert.ok(!a1.includes(u), `${u} is on page 1 and page 2`);
		assert.ok(p1.text.includes('href="/tin-tuc?page=2"'), 'page 1 links to page 2');
		const en = await get200(srv, '/en/news');
		assert.equal(htmlLang(en.text), 'en');
	});

	for (const q of ['?page=999', '?page=abc', '?page=0', '?page=-1', '?page=2x']) {
		test(`/tin-tuc${q} is 404`, async () => {
			const r = await request(srv, `/tin-tuc${q}`);
			assert.equal(r.status, 404);
			assert.equal(r.headers['content-type'], HTML);
		});
	}

	test('a category with more than one page paginates; one page past the end is 404', async () => {
		const total = Number(sql(data, "SELECT count(*) FROM articles WHERE lang='vi' AND status='published'"));
		const last = Math.ceil(total / 12);
		assert.ok(last >= 2, 'the demo has more than one page of Vietnamese news');
		await get200(srv, `/tin-tuc?page=${last}`);
		assert.equal((await request(srv, `/tin-tuc?page=${last + 1}`)).status, 404);
	});

	test('/?page=2 sends the reader to the news list', async () => {
		const r = await request(srv, '/?page=2');
		assert.equal(r.status, 301);
		assert.equal(r.headers.location, '/tin-tuc?page=2');
	});

	test('an unknown category is 404', async () => {
		assert.equal((await request(srv, '/chuyen-muc/khong-co-chuyen-muc-nay')).status, 404);
		assert.equal((await request(srv, '/en/category/no-such-category')).status, 404);
	});
});

describe('articles', () => {
	test('an article from the home page: title in <h1>, figure with figcaption, related articles', async () => {
		const links = articleLinks(page.vi.text, 'vi');
		assert.ok(links.length > 0);
		let checked = 0;
		for (const url of links) {
			const r = await get200(srv, url);
			assert.equal(r.headers['content-type'], HTML);
			assert.equal(htmlLang(r.text), 'vi');
			const title = h1(r.text);
			assert.ok(title && title.length > 5, `${url} has its title in <h1>`);
			/* the title in <h1> is the one the home page links with */
			const card = cardLinks(page.vi.text).find((c) => c.url === url);
			if (card) assert.equal(title, card.title);
			const tt = r.text.match(/<title>([^<]*)<\/title>/);
			assert.ok(tt && unescapeHtml(tt[1]).startsWith(title), 'the <title> starts with the article title');
			const fig = r.text.match(/<figure\b[^>]*>([\s\S]*?)<\/figure>/);
			if (!fig) continue; /* an article without a picture: try the next */
			assert.match(fig[1], /<img\b[^>]*\bsrc="\/media\/[^"]+\.jpg"/);
			assert.match(fig[1], /<img\b[^>]*\balt="[^"]+"/, 'the cover picture has an alt text');
			assert.match(fig[1], /<figcaption>[^<]+<\/figcaption>/);
			const related = r.text.match(/<aside[^>]*aria-labelledby="h-related"[\s\S]*?<\/aside>/);
			assert.ok(related, 'has a related articles block');
			assert.ok(related[0].includes('Tin liên quan'));
			const rel = articleLinks(related[0], 'vi');
			if (rel.length === 0) continue; /* alone in its category: try the next */
			assert.ok(!rel.includes(url), 'an article is not related to itself');
			for (const u of rel.slice(0, 2)) await get200(srv, u);
			checked++;
			break;
		}
		assert.equal(checked, 1, 'found an article with a figure and related articles');
	});

	test('a translated article: the switch goes to its translations, and they switch back', async () => {
		let checked = 0;
		for (const url of articleLinks(page.en.text, 'en')) {
			const r = await get200(srv, url);
			assert.equal(htmlLang(r.text), 'en');
			const sw = langSwitch(r.text);
			if (sw.vi === '/' || sw.zh === '/zh/') continue; /* not translated into both */
			assert.match(sw.vi, /^\/tin-tuc\/[a-z0-9-]+$/);
			assert.match(sw.zh, /^\/zh\/news\/[a-z0-9-]+$/);
			for (const [lang, target] of [['vi', sw.vi], ['zh', sw.zh]]) {
				const t = await get200(srv, target);
				assert.equal(htmlLang(t.text), lang, `${target} is in ${lang}`);
				const back = langSwitch(t.text);
				assert.equal(back.en, url, `${target} switches back to ${url}`);
			}
			const vi = langSwitch((await get200(srv, sw.vi)).text);
			assert.equal(vi.zh, sw.zh, 'the Vietnamese original switches to the same Chinese translation');
			checked++;
		}
		assert.ok(checked >= 1, 'the English home links to an article translated into vi and zh');
	});

	test('an untranslated article switches to the /en/ and /zh/ home pages', async () => {
		const slug = sql(
			data,
			"SELECT slug FROM articles a WHERE lang='vi' AND status='published' AND published_at <= strftime('%s','now')" +
				' AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.group_id = a.group_id AND b.id <> a.id) ORDER BY id LIMIT 1',
		);
		assert.ok(slug, 'the demo has an untranslated article');
		const r = await get200(srv, `/tin-tuc/${slug}`);
		const sw = langSwitch(r.text);
		assert.equal(sw.en, '/en/');
		assert.equal(sw.zh, '/zh/');
	});

	test('an article is not found in a language it was not written in', async () => {
		const url = articleLinks(page.vi.text, 'vi')[0];
		const slug = url.split('/').pop();
		const exists = sql(data, `SELECT count(*) FROM articles WHERE lang='en' AND slug='${slug.replace(/'/g, "''")}'`);
		if (exists === '0') assert.equal((await request(srv, `/en/news/${slug}`)).status, 404);
		/* the Vietnamese path word does not exist under /en */
		assert.equal((await request(srv, `/en/tin-tuc/${slug}`)).status, 404);
	});

	test('a draft article is not visible', async () => {
		const slug = 'ban-nhap-chua-dang-bai-kiem-thu';
		sql(
			data,
			'INSERT INTO articles (lang, category_id, slug, title, status, published_at, created_at, updated_at)' +
				` SELECT 'vi', id, '${slug}', 'Bản nháp chưa đăng', 'draft', strftime('%s','now') - 3600, 0, 0 FROM categories LIMIT 1`,
		);
		assert.equal((await request(srv, `/tin-tuc/${slug}`)).status, 404);
	});
});

describe('URLs', () => {
	test('every article URL is ASCII lowercase words joined by dashes', async () => {
		const urls = new Set();
		for (const lang of ['vi', 'en', 'zh']) {
			for (const u of articleLinks(page[lang].text, lang)) urls.add(u);
			const list = await get200(srv, lang === 'vi' ? '/tin-tuc' : `/${lang}/news`);
			for (const u of articleLinks(list.text, lang)) urls.add(u);
		}
		assert.ok(urls.size >= 20);
		for (const u of urls) assert.match(u, /^(\/en\/news|\/zh\/news|\/tin-tuc)\/[a-z0-9]+(-[a-z0-9]+)*$/, u);
	});

	test('a Vietnamese slug is its title folded: diacritics dropped, Đ → d', async () => {
		const cards = [];
		for (let p = 1; ; p++) {
			const r = await request(srv, p === 1 ? '/tin-tuc' : `/tin-tuc?page=${p}`);
			if (r.status !== 200) break;
			cards.push(...cardLinks(r.text));
		}
		assert.ok(cards.length >= 20);
		let withD = 0;
		for (const { url, title } of cards) {
			const slug = url.split('/').pop();
			const folded = foldSlug(title);
			/* the whole folded title, or a prefix of it cut at a word boundary; "-2"… when taken */
			const ok = (sl) => sl === folded || (folded.startsWith(sl) && folded[sl.length] === '-');
			assert.ok(ok(slug) || ok(slug.replace(/-\d+$/, '')), `slug "${slug}" is not the folded title "${title}" (${folded})`);
			if (/^Đ/.test(title)) {
				assert.match(slug, /^d/, `"${title}" should give a slug starting with d`);
				withD++;
			}
		}
		assert.ok(withD >= 1, 'the demo has a title starting with Đ');
	});
});

describe('errors and methods', () => {
	const notFound = [
		{ path: '/khong-co', lang: 'vi', text: 'Không tìm thấy trang' },
		{ path: '/en/nothing', lang: 'en', text: 'Page not found' },
		{ path: '/zh/nothing', lang: 'zh', text: '页面未找到' },
		{ path: '/tin-tuc/khong-co-bai-nay', lang: 'vi', text: 'Không tìm thấy trang' },
		{ path: '/en/news/no-such-article', lang: 'en', text: 'Page not found' },
	];
	for (const c of notFound) {
		test(`${c.path} is a 404 page in ${c.lang}`, async () => {
			const r = await request(srv, c.path);
			assert.equal(r.status, 404);
			assert.equal(r.headers['content-type'], HTML);
			assert.equal(htmlLang(r.text), c.lang);
			assert.ok(r.text.includes(c.text), `404 page should say "${c.text}"`);
		});
	}

	test('POST / is 405 with Allow: GET, HEAD', async () => {
		const r = await request(srv, '/', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
		assert.equal(r.status, 405);
		assert.ok(r.headers.allow, 'has an Allow header');
		const allowed = r.headers.allow.split(',').map((s) => s.trim());
		assert.ok(allowed.includes('GET') && allowed.includes('HEAD'), `Allow: ${r.headers.allow}`);
		assert.ok(!allowed.includes('POST'));
		assert.equal(r.headers['content-type'], HTML);
	});

	test('DELETE on an article is 405 in English under /en', async () => {
		const url = articleLinks(page.en.text, 'en')[0];
		const r = await request(srv, url, { method: 'DELETE' });
		assert.equal(r.status, 405);
		assert.equal(htmlLang(r.text), 'en');
	});

	for (const p of ['/%zz', '/%00', '/tin-tuc/abc%00def', '/%e']) {
		test(`${p} is 400`, async () => {
			const r = await request(srv, p);
			assert.equal(r.status, 400);
			assert.equal(r.headers['content-type'], HTML);
		});
	}
});

describe('HEAD and media', () => {
	test('HEAD / returns the headers of GET and no body', async () => {
		const get = await get200(srv, '/');
		const r = await rawRequest(srv, `HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-type'], HTML);
		assert.equal(r.body.length, 0, 'no body after the headers');
		assert.ok(r.headers.etag);
		assert.equal(r.headers.etag, get.headers.etag);
		if (r.headers['content-length'] !== undefined) assert.equal(Number(r.headers['content-length']), get.body.length);
	});

	test('HEAD on an article, a static file and a 404 sends no body either', async () => {
		const url = articleLinks(page.vi.text, 'vi')[1];
		for (const [p, st] of [[url, 200], ['/static/css/site.css', 200], ['/khong-co', 404]]) {
			const r = await rawRequest(srv, `HEAD ${p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
			assert.equal(r.status, st);
			assert.equal(r.body.length, 0, `HEAD ${p}: no body`);
		}
	});

	test('after a HEAD on a keep-alive connection the next response starts right after its headers', async () => {
		const r = await rawRequest(
			srv,
			'HEAD /en/ HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
		);
		assert.equal(r.status, 200);
		const next = r.body.toString('latin1');
		assert.match(next.slice(0, 40), /^HTTP\/1\.1 200 /, `the bytes after the HEAD response's headers: ${JSON.stringify(next.slice(0, 60))}`);
		assert.ok(next.endsWith('\r\n\r\nok\n'), 'then the /healthz answer');
	});

	test('the pictures of the home page are served as image/jpeg, every srcset width too', async () => {
		const html = page.vi.text;
		const srcs = [...html.matchAll(/\bsrc="(\/media\/[^"]+\.jpg)"/g)].map((m) => m[1]);
		const sets = [...html.matchAll(/\bsrcset="([^"]+)"/g)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+/)[0]));
		const all = [...new Set([...srcs, ...sets])];
		assert.ok(srcs.length >= 3, 'the home page shows pictures');
		for (const u of all.slice(0, 12)) {
			const r = await get200(srv, u);
			assert.equal(r.headers['content-type'], 'image/jpeg', u);
			assert.ok(r.body.length > 500, `${u} has a body`);
			assert.deepEqual([...r.body.subarray(0, 3)], [0xff, 0xd8, 0xff], `${u} is a JPEG`);
		}
	});

	test('a missing media file is 404', async () => {
		const r = await request(srv, '/media/0000000000000000-480.jpg');
		assert.equal(r.status, 404);
	});

	test('the static pages (Giới thiệu, Liên hệ) answer in their language', async () => {
		const pages = [...new Set(hrefs(page.vi.text).filter((h) => /^\/trang\/[a-z0-9-]+$/.test(h)))];
		assert.ok(pages.length >= 1);
		for (const p of pages) {
			const r = await get200(srv, p);
			assert.equal(htmlLang(r.text), 'vi');
			assert.ok(h1(r.text));
		}
	});
});

test('graceful shutdown: SIGTERM → exit status 0 within 5 s, no sanitizer report', async () => {
	await assertGracefulStop(srv);
	assert.match(srv.log(), /stopped/);
});
