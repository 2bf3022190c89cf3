// A reader's journey: home → featured article → the language switch there and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, launchBrowser, todayVN, alternates, articleLinks, ROOT } from './helpers.mjs';

let portal, browser, context;
// The demo province's name, from the demo's own site.ini ("Cổng Thông tin điện tử tỉnh Sông Lam" → "Sông Lam").
const siteIni = fs.readFileSync(path.join(ROOT, 'demo', 'site.ini'), 'utf8');
const siteNameVi = /^name_vi\s*=\s*(.+)$/m.exec(siteIni)[1].trim();
const province = /tỉnh\s+(.+)$/i.exec(siteNameVi)[1];

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

const pathOf = (page) => new URL(page.url()).pathname;
const htmlLang = (page) => page.locator('html').getAttribute('lang');
const langLink = (page, code) => page.locator(`header nav.langs a[hreflang="${code}"]`);
const hrefPath = async (locator) => new URL(await locator.getAttribute('href'), portal.base).pathname;

// On an article: English and back.  With an English translation: English article (lang=en) → 中文 → Tiếng Việt,
// ending on the article we started from.  Without one: the English link leads to the English home page.
async function languageRoundTrip(page, articlePath) {
	if (pathOf(page) !== articlePath)
		await page.goto(portal.base + articlePath);
	const h1vi = (await page.locator('main h1').first().innerText()).trim();
	const enHref = await hrefPath(langLink(page, 'en'));
	const translated = enHref !== '/en/';

	await Promise.all([page.waitForURL((u) => u.pathname === enHref), langLink(page, 'en').click()]);
	assert.equal(await htmlLang(page), 'en', `${enHref}: <html lang="en">`);
	if (!translated) {
		assert.equal(pathOf(page), '/en/', 'an untranslated article switches to the English home page');
		return { translated };
	}
	assert.match(pathOf(page), /^\/en\/./, 'the English link leads to an English article');
	const h1en = (await page.locator('main h1').first().innerText()).trim();
	assert.ok(h1en.length > 0, 'the English article has an h1');
	assert.notEqual(h1en, h1vi, 'the English article has its own (translated) title');

	// 中文 when the article has a Chinese translation too (from the Chinese home there is no way back to it)
	const zhHref = await hrefPath(langLink(page, 'zh'));
	if (zhHref !== '/zh/') {
		await Promise.all([page.waitForURL((u) => u.pathname === zhHref), langLink(page, 'zh').click()]);
		assert.equal(await htmlLang(page), 'zh', `${zhHref}: <html lang="zh">`);
		assert.ok((await page.locator('main h1').first().innerText()).trim().length > 0, 'the Chinese article has an h1');
	}

	const viHref = await hrefPath(langLink(page, 'vi'));
	await Promise.all([page.waitForURL((u) => u.pathname === viHref), langLink(page, 'vi').click()]);
	assert.equal(pathOf(page), articlePath, 'Tiếng Việt leads back to the article we started from');
	assert.equal(await htmlLang(page), 'vi');
	assert.equal((await page.locator('main h1').first().innerText()).trim(), h1vi);
	return { translated, chinese: zhHref !== '/zh/' };
}

test('reader journey: home header, featured article, language switch and back', async () => {
	const page = await context.newPage();
	const res = await page.goto(portal.base + '/');
	assert.equal(res.status(), 200);
	assert.equal(await htmlLang(page), 'vi');

	// header: emblem, province name, today's date
	const header = page.locator('header.site-header');
	const emblem = header.locator('img.brand-emblem');
	assert.ok(await emblem.isVisible(), 'the emblem is visible in the header');
	assert.ok(await emblem.evaluate((img) => img.complete && img.naturalWidth > 0), 'the emblem image loaded');
	const brand = header.locator('.brand');
	const brandText = (await brand.innerText()).trim();
	assert.ok(brandText.toLocaleLowerCase('vi').includes(province.toLocaleLowerCase('vi')),
		`the header's brand (.brand) shows the province name "${province}"; its text is "${brandText}"`);
	const { d, m, y } = todayVN();
	const dd = String(d).padStart(2, '0'), mm = String(m).padStart(2, '0');
	const today = header.locator('.today time');
	assert.ok(await today.isVisible(), "today's date is visible in the header");
	assert.match(await today.innerText(), new RegExp(`\\b${dd}/${mm}/${y}\\b`), `the header shows today's date ${dd}/${mm}/${y}`);
	assert.match(await today.getAttribute('datetime'), new RegExp(`^${y}-${mm}-${dd}`));

	// the featured article
	const featured = page.locator('main .featured .featured-title a');
	const title = (await featured.innerText()).trim();
	const href = await hrefPath(featured);
	await Promise.all([page.waitForURL((u) => u.pathname === href), featured.click()]);
	const h1 = page.locator('main h1');
	assert.equal(await h1.count(), 1, 'the article page has exactly one h1');
	assert.equal((await h1.innerText()).trim(), title, 'the h1 is the title of the featured article');
	const figure = page.locator('main article figure').first();
	assert.ok(await figure.isVisible(), 'the article shows a figure');
	assert.ok((await figure.locator('figcaption').innerText()).trim().length > 0, 'the figure has a figcaption');
	assert.ok(await figure.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the figure image loaded');

	await languageRoundTrip(page, href);
	await page.close();
});

test('language switch: an article with an English translation leads to it, via 中文 back to the original', async () => {
	const links = await articleLinks(portal.base, '/');
	let found;
	for (const l of links) {
		const alt = await alternates(portal.base, l);
		if (alt.en && alt.en !== '/en/' && alt.zh && alt.zh !== '/zh/') {
			found = l;
			break;
		}
	}
	assert.ok(found, 'the demo has an article with English and Chinese translations linked from the home page');
	const page = await context.newPage();
	await page.goto(portal.base + found);
	const r = await languageRoundTrip(page, found);
	assert.deepEqual(r, { translated: true, chinese: true });
	await page.close();
});

test('language switch: an article without an English translation leads to the English home page', async () => {
	const links = await articleLinks(portal.base, '/');
	let found;
	for (const l of links) {
		const alt = await alternates(portal.base, l);
		if (alt.en === '/en/') {
			found = l;
			break;
		}
	}
	assert.ok(found, 'the demo has an article without an English translation');
	const page = await context.newPage();
	await page.goto(portal.base + found);
	assert.equal(await page.locator('head link[rel="alternate"][hreflang="en"]').count(), 0,
		'an untranslated article declares no English alternate to search engines');
	const r = await languageRoundTrip(page, found);
	assert.equal(r.translated, false);
	await page.close();
});

test('an article names itself for its own language (hreflang alternate and current language link)', async () => {
	const [first] = await articleLinks(portal.base, '/');
	const page = await context.newPage();
	await page.goto(portal.base + first);
	const self = await page.locator('head link[rel="alternate"][hreflang="vi"]').getAttribute('href');
	assert.equal(new URL(self, portal.base).pathname, first,
		`<link rel="alternate" hreflang="vi"> of the Vietnamese article ${first} points to the article itself, not to ${self}`);
	const current = page.locator('header nav.langs a[aria-current]');
	assert.equal(await current.getAttribute('hreflang'), 'vi');
	assert.equal(new URL(await current.getAttribute('href'), portal.base).pathname, first,
		'the current-language link (aria-current) of an article points to the article itself');
	await page.close();
});
