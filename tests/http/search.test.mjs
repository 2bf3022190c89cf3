// Full-text search (issue 4): /tim-kiem, /en/search, /zh/search on the demo portal.  Matching without
// diacritics and with đ/d, Chinese, phrases, exclusions, ranking, filters, sorting, pagination,
// suggestions, the index staying in step with publishing, and hostile queries that must still give 200.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cleanup, get200, initPortal, poll, request, sanitizerReports, sql, startServer, unescapeHtml } from './helpers.mjs';

let data, srv;

before(async () => {
	data = await initPortal();
	srv = await startServer(data);
});
after(async () => {
	const log = srv.log();
	await cleanup();
	assert.equal(sanitizerReports(log), '');
});

const enc = encodeURIComponent;

/** The results of a search page: {total, hits: [{url, title, titleHtml, snippet, category, datetime}], html}. */
function parse(html) {
	const m = html.match(/class="search-count"[^>]*>(\d+) /);
	const hits = [];
	for (const h of html.matchAll(/<article class="card card-noimg search-hit">([\s\S]*?)<\/article>/g)) {
		const a = h[1].match(/<h3 class="card-title"><a href="([^"]+)"[^>]*>([\s\S]*?)<\/a><\/h3>/);
		const cat = h[1].match(/class="card-cat" href="([^"]+)">([^<]*)</);
		const dt = h[1].match(/<time datetime="([^"]+)"/);
		const sn = h[1].match(/<p class="search-snippet">([\s\S]*?)<\/p>/);
		hits.push({
			url: unescapeHtml(a[1]),
			titleHtml: a[2],
			title: unescapeHtml(a[2].replace(/<[^>]*>/g, '')),
			category: cat && { url: unescapeHtml(cat[1]), name: unescapeHtml(cat[2]) },
			datetime: dt && dt[1],
			snippet: sn ? sn[1] : '',
		});
	}
	return { total: m ? Number(m[1]) : null, hits, html };
}

async function search(q, params = '', path = '/tim-kiem') {
	const r = await get200(srv, `${path}?q=${enc(q)}${params}`);
	assert.match(r.headers['content-type'], /^text\/html/);
	return parse(r.text);
}

const urls = (res) => res.hits.map((h) => h.url);

describe('matching Vietnamese', () => {
	test('a query without diacritics finds the accented title, first', async () => {
		const r = await search('hoi nghi ban chap hanh dang bo');
		assert.ok(r.total >= 1);
		assert.match(r.hits[0].title, /^Hội nghị Ban Chấp hành Đảng bộ tỉnh/);
		assert.match(r.hits[0].titleHtml, /<mark>Hội<\/mark> <mark>nghị<\/mark> <mark>Ban<\/mark>/);
	});

	test('accents and case do not matter, in either direction', async () => {
		const plain = await search('hoi nghi');
		assert.ok(plain.total >= 3);
		for (const q of ['Hội nghị', 'HỘI NGHỊ', 'HOI NGHI', 'Hội Nghị', 'hoi nghị']) {
			const r = await search(q);
			assert.equal(r.total, plain.total, q);
			assert.deepEqual(urls(r), urls(plain), q);
		}
	});

	test('NFD input (decomposed accents) finds the same', async () => {
		const nfd = 'Hội nghị'.normalize('NFD');
		assert.deepEqual(urls(await search(nfd)), urls(await search('hoi nghi')));
	});

	test('đ and d are the same letter on both sides', async () => {
		const d = await search('doi thoai dat dai');
		assert.ok(d.total >= 1);
		assert.match(d.hits[0].title, /đối thoại.*đất đai/);
		assert.match(d.hits[0].titleHtml, /<mark>đối<\/mark> <mark>thoại<\/mark>/);
		assert.deepEqual(urls(await search('đối thoại đất đai')), urls(d));
		assert.deepEqual(urls(await search('ĐỐI THOẠI ĐẤT ĐAI')), urls(d));
		assert.deepEqual(urls(await search('Đoi thoai Đat đai')), urls(d));
	});

	test('the title weighs more than the body', async () => {
		const r = await search('giai ngan von dau tu cong');
		assert.match(r.hits[0].title, /giải ngân vốn đầu tư công/i);
	});

	test('snippets come from the accented text, escaped, with the words marked', async () => {
		const r = await search('dat dai');
		const withMark = r.hits.filter((h) => /<mark>[Đđ]ất<\/mark>/.test(h.snippet) || /<mark>[Đđ]ai<\/mark>/.test(h.snippet));
		assert.ok(withMark.length >= 1, 'a snippet marks đất/đai');
		for (const h of r.hits) assert.doesNotMatch(h.snippet.replace(/<\/?mark>/g, ''), /<|>/);
	});
});

describe('phrases and exclusions', () => {
	test('a quoted phrase matches the words in order only', async () => {
		const words = await search('ban chap hanh');
		const phrase = await search('"ban chap hanh"');
		assert.ok(phrase.total >= 1);
		assert.ok(phrase.total <= words.total);
		assert.equal((await search('"hanh chap ban"')).total, 0);
		assert.equal((await search('"chấp hành ban"')).total, 0);
	});

	test('-word leaves out the articles with that word', async () => {
		const all = await search('hoi nghi');
		const without = await search('hoi nghi -dang');
		const withWord = await search('hoi nghi dang');
		assert.ok(withWord.total >= 1 && without.total >= 1);
		assert.equal(without.total + withWord.total, all.total);
		const sans = await search('hoi nghi -"ban chap hanh"');
		assert.ok(!urls(sans).some((u) => urls(withWord).includes(u) && /ban-chap-hanh/.test(u)));
	});

	test('only exclusions: a page that asks for words', async () => {
		const r = await get200(srv, `/tim-kiem?q=${enc('-dang')}`);
		assert.match(r.text, /class="empty"/);
	});
});

describe('Chinese', () => {
	test('a two-character word is found inside running text', async () => {
		const r = await search('经济', '', '/zh/search');
		assert.ok(r.total >= 1);
		assert.ok(r.hits.some((h) => h.title.includes('经济')));
		assert.match(r.html, /<mark>经济<\/mark>/);
		for (const h of r.hits) assert.match(h.url, /^\/zh\/news\//);
	});

	test('longer words, single characters, and words that are not there', async () => {
		assert.ok((await search('地理标志', '', '/zh/search')).hits.some((h) => h.title.includes('地理标志')));
		assert.ok((await search('茶', '', '/zh/search')).hits.some((h) => h.title.includes('千云茶')));
		assert.equal((await search('志标理地', '', '/zh/search')).total, 0);
	});
});

describe('filters, sorting and pages', () => {
	test('the language defaults to the page language; lang= and lang=all change it', async () => {
		const vi = await search('song lam');
		assert.ok(vi.total > 0);
		for (const u of urls(vi)) assert.match(u, /^\/tin-tuc\//);
		const en = await search('song lam', '', '/en/search');
		assert.ok(en.total > 0);
		for (const u of urls(en)) assert.match(u, /^\/en\/news\//);
		const enFromVi = await search('song lam', '&lang=en');
		assert.equal(enFromVi.total, en.total);
		const all = await search('song lam', '&lang=all');
		assert.ok(all.total >= vi.total + en.total);
	});

	test('a category filter keeps that category and its children', async () => {
		const r = await search('tinh', '&cat=kinh-te');
		assert.ok(r.total > 0);
		const all = await search('tinh');
		assert.ok(r.total < all.total);
		for (const h of r.hits) assert.match(h.category.url, /\/chuyen-muc\/(kinh-te|nong-nghiep-nong-thon)$/);
	});

	test('sort by date is newest first; relevance is the default', async () => {
		const r = await search('tinh', '&sort=date');
		const dates = r.hits.map((h) => h.datetime);
		assert.deepEqual([...dates].sort().reverse(), dates);
		assert.match(r.html, /<option value="date" selected>/);
	});

	test('a date range', async () => {
		const all = await search('tinh', '&sort=date');
		const newest = all.hits[0].datetime.slice(0, 10);
		const r = await search('tinh', `&from=${newest}&to=${newest}&sort=date`);
		assert.ok(r.total >= 1 && r.total < all.total);
		for (const h of r.hits) assert.equal(h.datetime.slice(0, 10), newest);
		assert.equal((await search('tinh', '&to=2000-01-01')).total, 0);
		/* a malformed date is ignored, not an error */
		assert.equal((await search('tinh', '&from=2026-13-45&to=yesterday')).total, (await search('tinh')).total);
	});

	test('pagination keeps the query and the filters', async () => {
		const p1 = await search('tinh', '&sort=date');
		assert.ok(p1.total > 10);
		const next = p1.html.match(/<a href="([^"]+)" rel="next">/);
		assert.ok(next);
		const u = unescapeHtml(next[1]);
		assert.match(u, /^\/tim-kiem\?q=tinh&sort=date&page=2$/);
		const p2 = parse((await get200(srv, u)).text);
		assert.equal(p2.total, p1.total);
		assert.equal(p2.hits.length, Math.min(10, p1.total - 10));
		for (const x of urls(p2)) assert.ok(!urls(p1).includes(x));
		/* past the end: an empty page, still 200 */
		assert.equal((await search('tinh', '&page=99')).hits.length, 0);
	});
});

describe('no results', () => {
	test('suggests the same words without the filters', async () => {
		const r = await search('hoi nghi', '&to=2000-01-01');
		assert.equal(r.total, 0);
		assert.match(r.html, /class="search-none"/);
		const links = [...r.html.matchAll(/<ul class="search-suggestions">([\s\S]*?)<\/ul>/g)][0][1];
		assert.match(unescapeHtml(links), /href="\/tim-kiem\?q=hoi%20nghi&lang=all"/);
	});

	test('suggests fewer words', async () => {
		const r = await search('hoi nghi xyzzyqq');
		assert.equal(r.total, 0);
		assert.match(unescapeHtml(r.html), /href="\/tim-kiem\?q=hoi%20nghi">hoi nghi<\/a>/);
	});
});

describe('the index follows publishing', () => {
	const now = () => Math.floor(Date.now() / 1000);

	test('an unpublished article disappears at once', async () => {
		const first = (await search('doi thoai dat dai')).hits[0];
		const slug = first.url.split('/').pop();
		sql(data, `UPDATE articles SET status = 'unpublished' WHERE lang = 'vi' AND slug = '${slug}'`);
		const gone = await poll(async () => !urls(await search('doi thoai dat dai')).includes(first.url), 5000);
		assert.ok(gone, 'the unpublished article is still listed');
		sql(data, `UPDATE articles SET status = 'published' WHERE lang = 'vi' AND slug = '${slug}'`);
		assert.ok(await poll(async () => urls(await search('doi thoai dat dai')).includes(first.url), 5000));
	});

	test('a draft or a future article never appears; a new published one does', async () => {
		const ins = (slug, title, status, at) =>
			sql(
				data,
				`INSERT INTO articles (lang, category_id, slug, title, body, status, published_at, created_at, updated_at)` +
					` VALUES ('vi', 1, '${slug}', '${title}', 'Nội dung thử nghiệm', '${status}', ${at}, ${now()}, ${now()})`,
			);
		ins('ban-nhap-tim-kiem', 'Bản nháp quýtđộc', 'draft', now() - 60);
		ins('hen-gio-tim-kiem', 'Hẹn giờ quýtđộc', 'scheduled', now() + 86400);
		ins('moi-dang-tim-kiem', 'Tin mới quýtđộc', 'published', now() - 60);
		const found = await poll(async () => (await search('quytdoc')).total === 1, 5000);
		assert.ok(found);
		assert.deepEqual(urls(await search('quytdoc')), ['/tin-tuc/moi-dang-tim-kiem']);
		assert.equal((await search('quytdoc', '&lang=all')).total, 1);
		/* an edited title is searchable under its new words, not the old ones */
		sql(data, `UPDATE articles SET title = 'Tin đã sửa xoàixanh' WHERE slug = 'moi-dang-tim-kiem'`);
		assert.ok(await poll(async () => (await search('xoai xanh')).total === 0 && (await search('xoaixanh')).total === 1, 5000));
		/* the page cache may hold the old answer until the server notices the external write (≤ 1 s) */
		assert.ok(await poll(async () => (await search('quytdoc')).total === 0, 5000));
		sql(data, `DELETE FROM articles WHERE slug IN ('ban-nhap-tim-kiem', 'hen-gio-tim-kiem', 'moi-dang-tim-kiem')`);
		assert.ok(await poll(async () => (await search('xoaixanh')).total === 0, 5000));
	});
});

describe('hostile queries give a normal page', () => {
	const bad = [
		'"', '""', '"hoi nghi', 'hoi" nghi"', '*', '^hoi', 'title:hoi', 'hoi AND', 'OR', 'NOT nghi', 'NEAR(hoi nghi)',
		'(hoi', 'hoi)', 'a + b', '-', '--', '- -', '-"', "'; DROP TABLE articles; --", '\u0000', 'hoi\u0001\u0002nghi',
		'%', '\\', '\u200b', '🙂', 'x'.repeat(10 * 1024), 'hoi nghi '.repeat(1200), '"'.repeat(5000),
		'<script>alert(1)</script>',
	];
	for (const q of bad)
		test(`q=${JSON.stringify(q.slice(0, 30))}${q.length > 30 ? `… (${q.length})` : ''}`, async () => {
			const r = await request(srv, `/tim-kiem?q=${enc(q)}&cat=${enc(q.slice(0, 100))}&from=${enc(q.slice(0, 50))}&page=${enc(q.slice(0, 9))}`);
			assert.equal(r.status, 200);
			assert.doesNotMatch(r.text, /<script>alert/);
		});

	test('raw bytes, broken percent-escapes and invalid UTF-8', async () => {
		for (const raw of ['%ff%fe', '%C3%28', '%E1%BB', '%zz', '%00hoi', 'hoi%0d%0anghi', '%22%2A%3A%5E%28']) {
			const r = await request(srv, `/tim-kiem?q=${raw}`);
			assert.ok(r.status === 200 || r.status === 400, `${raw}: ${r.status}`);
			assert.notEqual(r.status, 500);
		}
		for (const p of ['/en/search?q=%22', '/zh/search?q=%E7%BB', '/tim-kiem?lang=xx&sort=zz&page=-1&cat=%00']) {
			assert.equal((await request(srv, p)).status, 200, p);
		}
	});
});

describe('the search form', () => {
	test('every page header has a search form for its language, next to the sign-in link', async () => {
		for (const [path, action, login] of [
			['/', '/tim-kiem', '/dang-nhap'],
			['/en/', '/en/search', '/en/login'],
			['/zh/', '/zh/search', '/zh/login'],
			['/tin-tuc', '/tim-kiem', '/dang-nhap'],
		]) {
			const html = (await get200(srv, path)).text;
			const tools = html.match(/<div class="site-tools">([\s\S]*?)<\/div>/)[1];
			assert.match(tools, new RegExp(`<form class="search-form" role="search" action="${action}" method="get">`));
			assert.match(tools, /<input id="site-search"[^>]* name="q"/);
			assert.match(tools, new RegExp(`<a class="login-link" href="${login}">`));
		}
	});

	test('the results page keeps the query in its form and links the other languages', async () => {
		const r = await search('hội nghị');
		assert.match(r.html, /<input id="search-q" type="search" name="q" value="hội nghị"/);
		assert.match(r.html, /hreflang="en"[^>]*href="\/en\/search\?q=h%E1%BB%99i%20ngh%E1%BB%8B"|href="\/en\/search\?q=h%E1%BB%99i%20ngh%E1%BB%8B"/);
	});
});
