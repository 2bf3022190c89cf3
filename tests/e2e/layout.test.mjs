// Layout and robustness: phone viewport, keyboard skip link, JavaScript disabled, print stylesheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, launchBrowser, articleLinks } from './helpers.mjs';

let portal, browser, articlePath, categoryPath;

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	// the featured article of the home page: it has a cover figure, a table and share links
	[articlePath] = await articleLinks(portal.base, '/');
	const home = await (await fetch(portal.base + '/')).text();
	categoryPath = /<a class="card-cat" href="([^"]+)"/.exec(home)[1];
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

test('phone viewport (390×844): no horizontal scroll, main menu reachable, readable text', async () => {
	const context = await browser.newContext(PHONE);
	const page = await context.newPage();
	for (const p of ['/', articlePath, categoryPath, '/en/', '/zh/']) {
		await page.goto(portal.base + p);
		const { scrollWidth, innerWidth } = await page.evaluate(() => ({
			scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
		}));
		assert.ok(scrollWidth <= innerWidth, `${p}: no horizontal scroll (scrollWidth ${scrollWidth} > innerWidth ${innerWidth})`);
		const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
		assert.ok(fontSize >= 16, `${p}: body font-size ${fontSize}px ≥ 16px`);
	}

	// every item of the main menu can be brought into view and is large enough to tap; the last one works
	await page.goto(portal.base + '/');
	const menu = page.locator('header nav.menu');
	assert.ok(await menu.isVisible(), 'the main menu is visible on a phone');
	const links = menu.locator('a');
	const n = await links.count();
	assert.ok(n >= 2, 'the main menu has links');
	for (let i = 0; i < n; i++) {
		const a = links.nth(i);
		await a.scrollIntoViewIfNeeded();
		assert.ok(await a.isVisible(), `menu link ${i + 1} is visible`);
		const box = await a.boundingBox();
		assert.ok(box.x >= 0 && box.x + box.width <= 390 + 0.5,
			`menu link ${i + 1} ("${await a.innerText()}") fits in the viewport once scrolled to: x=${box.x} w=${box.width}`);
		assert.ok(box.height >= 24, `menu link ${i + 1} is at least 24px tall (${box.height})`);
	}
	const last = links.nth(n - 1);
	const href = new URL(await last.getAttribute('href'), portal.base).pathname;
	await Promise.all([page.waitForURL((u) => u.pathname === href), last.tap()]);
	const current = await page.locator('header nav.menu a[aria-current="page"]').getAttribute('href');
	assert.equal(new URL(current, portal.base).pathname, href,
		'after tapping a menu item it is marked aria-current="page"');
	await context.close();
});

test('keyboard: the first Tab focuses the skip link, which is visible and moves focus to #main', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	for (const p of ['/', articlePath]) {
		await page.goto(portal.base + p);
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => ({
			cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),
			text: document.activeElement.textContent.trim(),
		}));
		assert.equal(focused.href, '#main', `${p}: the first Tab focuses the skip link (focused: ${JSON.stringify(focused)})`);
		const skip = page.locator('a.skip-link');
		assert.ok(focused.text.length > 0, 'the skip link has text');
		// visible: inside the viewport, not clipped, opaque (after its slide-in transition, which reduced-motion users skip)
		await page.waitForTimeout(250);
		const vis = await skip.evaluate((el) => {
			const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
			return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: r.width, h: r.height,
				opacity: cs.opacity, visibility: cs.visibility, clip: cs.clipPath, iw: innerWidth, ih: innerHeight };
		});
		const box = await skip.boundingBox();
		assert.ok(box && box.y >= 0 && box.x >= 0 && box.y + box.height <= vis.ih && box.width > 10 && box.height > 10,
			`${p}: the focused skip link is inside the viewport: ${JSON.stringify(box)}`);
		assert.ok(vis.visibility === 'visible' && Number(vis.opacity) > 0.9 && (vis.clip === 'none' || !vis.clip),
			`${p}: the focused skip link is visible: ${JSON.stringify(vis)}`);
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => location.hash === '#main');
		const target = await page.evaluate(() => ({
			hash: location.hash, id: document.activeElement.id, tag: document.activeElement.tagName,
			cls: document.activeElement.className,
			inMain: document.getElementById('main').contains(document.activeElement),
		}));
		// Following the link also makes #main the sequential focus starting point: the next Tab lands inside main.
		await page.keyboard.press('Tab');
		const next = await page.evaluate(() => document.getElementById('main').contains(document.activeElement)
			? 'main' : `${document.activeElement.tagName}.${document.activeElement.className}`);
		assert.equal(target.hash, '#main');
		assert.equal(target.id, 'main', `${p}: activating the skip link moves focus to #main (focused after Enter: ${JSON.stringify(target)}; next Tab focused ${next === 'main' ? 'an element inside #main' : next})`);
		assert.equal(next, 'main', `${p}: after the skip link, the next Tab focuses an element inside #main (got ${next})`);
	}
	await context.close();
});

test('JavaScript disabled: home and article still render their content', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await page.goto(portal.base + '/');
	assert.ok(await page.locator('main .featured .featured-title a').isVisible(), 'home: the featured article is shown');
	assert.ok(await page.locator('main .list-latest .card').count() >= 3, 'home: the latest articles are listed');
	assert.ok(await page.locator('header nav.menu a').first().isVisible(), 'home: the main menu is shown');
	assert.ok(await page.locator('header nav.langs a[hreflang="en"]').isVisible(), 'home: the language switch is shown');
	assert.ok(await page.locator('footer.site-footer').isVisible(), 'home: the footer is shown');
	assert.ok(await page.locator('main img.featured-img').evaluate((i) => i.complete && i.naturalWidth > 0), 'home: images load');

	await page.goto(portal.base + articlePath);
	assert.ok(await page.locator('main h1').isVisible(), 'article: the h1 is shown');
	const prose = (await page.locator('main .prose').innerText()).trim();
	assert.ok(prose.length > 200, 'article: the body is shown');
	assert.ok(await page.locator('main article figure figcaption').first().isVisible(), 'article: the figure caption is shown');
	await context.close();
});

test('print: on an article the main menu and share links are hidden', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await page.goto(portal.base + articlePath);
	assert.ok(await page.locator('.share a').count() > 0, 'the article has share links');
	const display = () => page.evaluate(() => ({
		menu: getComputedStyle(document.querySelector('nav.menu')).display,
		share: getComputedStyle(document.querySelector('.share')).display,
		h1: getComputedStyle(document.querySelector('main h1')).display,
		prose: getComputedStyle(document.querySelector('main .prose')).display,
	}));
	const screen = await display();
	assert.notEqual(screen.menu, 'none', 'on screen the menu is shown');
	assert.notEqual(screen.share, 'none', 'on screen the share links are shown');
	await page.emulateMedia({ media: 'print' });
	const print = await display();
	assert.equal(print.menu, 'none', 'print: nav.menu has display none');
	assert.equal(print.share, 'none', 'print: .share has display none');
	assert.notEqual(print.h1, 'none', 'print: the title is printed');
	assert.notEqual(print.prose, 'none', 'print: the body is printed');
	await context.close();
});
