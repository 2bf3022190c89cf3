// Screenshots for the README (docs/screenshots/*.png with UPDATE_SCREENSHOTS=1, else under build/screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, launchBrowser, articleLinks, SCREENSHOT_DIR } from './helpers.mjs';

let portal, browser, articlePath;

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	[articlePath] = await articleLinks(portal.base, '/');
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

const MAX_BYTES = 1_000_000;

async function shoot(name, urlPath, viewport) {
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce' });
	const page = await context.newPage();
	await page.goto(portal.base + urlPath, { waitUntil: 'load' });
	// every image in the viewport (lazy ones included) decoded before the shot
	await page.evaluate(() => Promise.all([...document.images]
		.filter((i) => i.getBoundingClientRect().top < innerHeight)
		.map((i) => i.decode().catch(() => {}))));
	const file = path.join(SCREENSHOT_DIR, name);
	await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
	await context.close();
	const { size } = fs.statSync(file);
	assert.ok(size > 10_000, `${name} is a real picture (${size} bytes)`);
	assert.ok(size < MAX_BYTES, `${name} stays small (${size} bytes < ${MAX_BYTES})`);
	return size;
}

test('screenshots: home (desktop 1280×900, phone 390×844) and article (desktop)', async () => {
	const sizes = {
		'home-desktop.png': await shoot('home-desktop.png', '/', { width: 1280, height: 900 }),
		'home-phone.png': await shoot('home-phone.png', '/', { width: 390, height: 844 }),
		'article-desktop.png': await shoot('article-desktop.png', articlePath, { width: 1280, height: 900 }),
	};
	console.log(`screenshots in ${path.relative(process.cwd(), SCREENSHOT_DIR) || '.'}: ${JSON.stringify(sizes)}`);
});
