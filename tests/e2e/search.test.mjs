// Searching from the header on a phone (390×844): type a query without diacritics into the header's
// search box, submit, and land on the results page with the accented article first, words highlighted;
// then narrow it with the filters and follow a result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, launchBrowser, watchErrors } from './helpers.mjs';

let portal, browser, context;

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
		deviceScaleFactor: 2 });
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

test('search from the header on a phone', async () => {
	const page = await context.newPage();
	const errors = await watchErrors(page);
	await page.goto(portal.base + '/');

	const box = page.locator('header .site-tools input[name="q"]');
	await box.waitFor({ state: 'visible' });
	const bb = await box.boundingBox();
	assert.ok(bb && bb.x >= 0 && bb.x + bb.width <= 390, `the search box fits the screen: ${JSON.stringify(bb)}`);
	assert.ok(bb.height >= 32, 'the search box is big enough to tap');
	assert.equal(await box.getAttribute('type'), 'search');
	/* the login link is still there */
	assert.equal(await page.locator('header .site-tools a.login-link').count(), 1);
	/* no horizontal scrolling because of the form */
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `page wider than the viewport by ${overflow}px`);

	await box.tap();
	await box.fill('hoi nghi ban chap hanh');
	await Promise.all([page.waitForURL((u) => u.pathname === '/tim-kiem'), box.press('Enter')]);
	assert.equal(new URL(page.url()).searchParams.get('q'), 'hoi nghi ban chap hanh');

	const first = page.locator('ol.search-results > li').first();
	const title = (await first.locator('.card-title').innerText()).trim();
	assert.match(title, /^Hội nghị Ban Chấp hành/);
	assert.ok(await first.locator('.card-title mark').count() >= 3, 'the matched words are highlighted');
	assert.match(await page.locator('.search-count').innerText(), /\d+ kết quả/);
	/* the query stays in both boxes */
	assert.equal(await page.locator('#search-q').inputValue(), 'hoi nghi ban chap hanh');
	assert.equal(await box.inputValue(), 'hoi nghi ban chap hanh');

	/* narrow with the filters: newest first */
	await page.locator('.search-filters summary').tap();
	await page.locator('#search-sort').selectOption('date');
	await Promise.all([page.waitForURL((u) => u.searchParams.get('sort') === 'date'),
		page.locator('.search-full button[type="submit"]').tap()]);
	assert.ok(await page.locator('ol.search-results > li').count() >= 1);

	/* follow the first result */
	const link = page.locator('ol.search-results > li .card-title a').first();
	const href = await link.getAttribute('href');
	await Promise.all([page.waitForURL((u) => u.pathname === href), link.tap()]);
	assert.match(href, /^\/tin-tuc\//);
	assert.deepEqual(errors, []);
	await page.close();
});

test('a query with no results offers suggestions', async () => {
	const page = await context.newPage();
	await page.goto(portal.base + '/en/');
	const box = page.locator('header .site-tools input[name="q"]');
	await box.fill('river xyzzyqq');
	await Promise.all([page.waitForURL((u) => u.pathname === '/en/search'), box.press('Enter')]);
	assert.match(await page.locator('.search-none').innerText(), /No articles match/);
	const sugg = page.locator('.search-suggestions a').first();
	assert.equal((await sugg.innerText()).trim(), 'river');
	await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'river'), sugg.tap()]);
	assert.ok(await page.locator('ol.search-results > li').count() >= 1);
	await page.close();
});
