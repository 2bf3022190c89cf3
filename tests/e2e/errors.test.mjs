// No console errors, uncaught exceptions or CSP violations on the home and article pages (the portal's CSP is
// strict: default-src 'self', no inline script or style).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, launchBrowser, watchErrors, cspViolations, articleLinks, alternates } from './helpers.mjs';

let portal, browser, paths;

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	const links = await articleLinks(portal.base, '/');
	paths = ['/', links[0], links[links.length - 1]];
	const alt = await alternates(portal.base, links[0]);
	for (const l of [alt.en, alt.zh])
		if (l && !/^\/(en|zh)\/$/.test(l))
			paths.push(l);
	paths.push('/en/', '/zh/');
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
	test(`no console errors, page errors or CSP violations on home and article pages (${label})`, async () => {
		const context = await browser.newContext({ viewport });
		const page = await context.newPage();
		const errors = await watchErrors(page);
		const failed = [];
		page.on('response', (r) => {
			if (r.status() >= 400)
				failed.push(`${r.status()} ${r.url()}`);
		});
		for (const p of paths) {
			const res = await page.goto(portal.base + p, { waitUntil: 'load' });
			assert.equal(res.status(), 200, `${p}: status`);
			// scroll so that the lazy images further down load too, and wait for every image to settle
			await page.evaluate(async () => {
				window.scrollTo(0, document.scrollingElement.scrollHeight);
				await new Promise(requestAnimationFrame);
				await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
			});
			const csp = await cspViolations(page);
			assert.deepEqual(csp, [], `${p}: CSP violations`);
		}
		assert.deepEqual(errors, [], `console errors / page errors on ${paths.join(', ')}`);
		assert.deepEqual(failed, [], 'failed subresource requests');
		await context.close();
	});
}
