// axe-core (WCAG 2.0/2.1 A and AA) on the main kinds of page: no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, launchBrowser, runAxe, articleLinks } from './helpers.mjs';

let portal, browser, context, pages;

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const home = await (await fetch(portal.base + '/')).text();
	const [article] = await articleLinks(portal.base, '/');
	pages = {
		'home': '/',
		'category page': /<a class="card-cat" href="([^"]+)"/.exec(home)[1],
		'article page': article,
		'English home': '/en/',
		'Chinese home': '/zh/',
		'404 page': '/khong-co-trang-nay-e2e',
	};
});
after(async () => {
	await browser?.close();
	await portal?.stop();
});

function report(violations) {
	return violations.map((v) => `  ${v.id} [${v.impact}] ${v.help}\n` +
		v.nodes.map((n) => `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n')).join('\n');
}

for (const name of ['home', 'category page', 'article page', 'English home', 'Chinese home', '404 page']) {
	test(`axe: ${name} has no serious or critical WCAG 2.1 A/AA violation`, async () => {
		const page = await context.newPage();
		const res = await page.goto(portal.base + pages[name]);
		assert.equal(res.status(), name === '404 page' ? 404 : 200, `${pages[name]}: status`);
		const { violations } = await runAxe(page);
		const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		const minor = violations.filter((v) => !bad.includes(v));
		if (minor.length)
			console.log(`axe ${name} (${pages[name]}), minor/moderate:\n${report(minor)}`);
		assert.equal(bad.length, 0, `axe on ${name} (${pages[name]}):\n${report(bad)}`);
		await page.close();
	});
}
