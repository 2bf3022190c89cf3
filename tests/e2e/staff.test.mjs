// The staff area in a browser: an editor uploads an image and writes an article, previews and submits it; a
// publisher returns it with a comment; the editor fixes and resubmits; the publisher publishes and the article
// shows on the public site.  Then an article full of XSS payloads (title, lead, body, image caption, tag) is
// published and must show as text, never run, on every public and staff page; and axe-core finds no serious
// or critical violation on the staff pages.  One browser; the editor and the publisher each have a context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPortal, launchBrowser, runAxe, addUser } from './helpers.mjs';

const EDITOR = { login: 'bientap.e2e', password: 'Hoa-sen-noi-tren-ho-2024' };
const PUBLISHER = { login: 'duyet.e2e', password: 'Trang-dong-song-Lam-1990' };

let portal, browser, editorCtx, publisherCtx, tmpDir, jpegPath;
const dialogs = [];

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	await addUser(portal.dataDir, EDITOR.login, 'editor', EDITOR.password, 'Biên tập viên E2E');
	await addUser(portal.dataDir, PUBLISHER.login, 'publisher', PUBLISHER.password, 'Người duyệt E2E');
	// a real JPEG: one of the demo images
	const home = await (await fetch(portal.base + '/')).text();
	const m = /\/media\/[A-Za-z0-9_-]+-960\.jpg/.exec(home);
	assert.ok(m, 'a demo image (/media/…-960.jpg) on the home page');
	const r = await fetch(portal.base + m[0]);
	assert.equal(r.status, 200, `${m[0]}: status`);
	tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cong-e2e-staff-'));
	jpegPath = path.join(tmpDir, 'anh-hoi-nghi.jpg');
	await fsp.writeFile(jpegPath, Buffer.from(await r.arrayBuffer()));
	editorCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	publisherCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	for (const ctx of [editorCtx, publisherCtx])
		ctx.on('page', (p) => p.on('dialog', (d) => {
			dialogs.push(`${d.type()}: ${d.message()} (${p.url()})`);
			d.dismiss().catch(() => {});
		}));
});
after(async () => {
	await browser?.close();
	await portal?.stop();
	if (tmpDir)
		await fsp.rm(tmpDir, { recursive: true, force: true });
});

function newPage(ctx) {
	return ctx.newPage();
}

// Signs in through the form at /dang-nhap; returns the page (now on /admin).
async function login(ctx, who) {
	const page = await newPage(ctx);
	const res = await page.goto(portal.base + '/dang-nhap');
	assert.equal(res.status(), 200, '/dang-nhap: status');
	await page.fill('#login', who.login);
	await page.fill('#password', who.password);
	await Promise.all([page.waitForURL(/\/admin(\/|$)/), page.click('main form button[type=submit]')]);
	assert.equal(await page.locator('#login-error').count(), 0, 'no login error');
	return page;
}

async function status(page) {
	return (await page.locator('.article-facts .status').getAttribute('class')).replace(/.*status-/, '');
}

// Clicks an editor action button (name="then" value=…) and waits for the redirect back to the editor.
async function act(page, value) {
	const [res] = await Promise.all([
		page.waitForNavigation(),
		page.click(`#editor button[name=then][value=${value}]`),
	]);
	const alert = await page.locator('.form-error').allInnerTexts();
	assert.deepEqual(alert, [], `${value}: no error on ${page.url()} (status ${res?.status()})`);
	assert.match(new URL(page.url()).pathname, /^\/admin\/articles\/\d+$/, `${value}: back on the editor`);
}

// Uploads jpegPath in the media library with alt and caption; returns {id, markdown}.
async function upload(page, alt, caption) {
	await page.goto(portal.base + '/admin/media');
	await page.click('details.media-upload > summary');
	await page.setInputFiles('#file', jpegPath);
	await page.fill('#alt', alt);
	await page.fill('#caption', caption);
	await Promise.all([page.waitForNavigation(), page.click('form.media-upload-form button[type=submit]')]);
	assert.equal(new URL(page.url()).pathname, '/admin/media', 'back in the library after the upload');
	assert.equal(await page.locator('#upload-errors').count(), 0, 'no upload error');
	const card = page.locator('li.media-card').filter({ has: page.locator('.media-alt', { hasText: alt }) }).first();
	assert.equal(await card.count(), 1, `the uploaded image (alt ${alt}) is in the library`);
	const id = (await card.getAttribute('id')).replace('media-', '');
	const markdown = await card.locator('.media-snippet').inputValue();
	return { id, markdown };
}

const S = {}; // state shared by the tests below (they run in order)

const TITLE = 'Hội nghị triển khai nhiệm vụ phát triển kinh tế – xã hội năm 2025 của tỉnh';
const TITLE_FIXED = TITLE + ' (đã sửa)';
const CAPTION = 'Quang cảnh hội nghị tại Trung tâm Hành chính tỉnh. Ảnh: Nguyễn Văn Ánh';
const ALT = 'Các đại biểu dự hội nghị trong hội trường lớn';
const COMMENT = 'Đề nghị bổ sung số liệu tăng trưởng và sửa lỗi chính tả ở đoạn hai.';

test('editor: signs in, uploads an image, writes an article, previews it, saves and submits it', async () => {
	const page = await login(editorCtx, EDITOR);
	S.editorPage = page;
	const img = await upload(page, ALT, CAPTION);
	S.image = img;
	assert.match(img.markdown, /^!\[.*\]\(\/media\/[A-Za-z0-9_-]+\.jpg ".*"\)$/, 'Markdown snippet of the image');

	await page.goto(portal.base + '/admin/articles');
	await Promise.all([page.waitForURL(/\/admin\/articles\/new$/), page.click('main .page-head a.button')]);
	await page.fill('#title', TITLE);
	await page.fill('#lead', 'Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị triển khai nhiệm vụ năm 2025.');
	S.body = ['Hội nghị đánh giá kết quả năm 2024 và đề ra **các nhiệm vụ trọng tâm**.', '',
		'## Nhiệm vụ trọng tâm', '',
		'- Đẩy mạnh chuyển đổi số trong cơ quan nhà nước;', '- Cải thiện môi trường đầu tư;',
		'- Bảo đảm an sinh xã hội.', '', img.markdown, '', 'Đoạn hai: hội nghi kết thúc vào buổi chiều.'].join('\n');
	await page.fill('#body', S.body);
	await page.fill('#tags', 'hội nghị, kinh tế xã hội');
	const cats = await page.locator('#category_id option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
	assert.ok(cats.length > 0, 'categories to choose from');
	await page.selectOption('#category_id', cats[0]);
	const cover = page.locator(`#editor input[name=cover_id][value="${img.id}"]`);
	assert.equal(await cover.count(), 1, `the uploaded image ${img.id} is offered as cover`);
	await cover.check();
	if (!(await page.inputValue('#cover_alt')))
		await page.fill('#cover_alt', ALT);
	if (!(await page.inputValue('#cover_caption')))
		await page.fill('#cover_caption', CAPTION);

	// Preview: the public template in a new tab
	const [preview] = await Promise.all([
		editorCtx.waitForEvent('page'),
		page.click('#editor button[formaction$="/preview"]'),
	]);
	await preview.waitForLoadState('load');
	assert.equal((await preview.locator('h1').first().innerText()).trim(), TITLE, 'preview: title');
	const pcaps = await preview.locator('figure figcaption').allInnerTexts();
	assert.ok(pcaps.some((c) => c.trim() === CAPTION), `preview: figure caption shown (got ${JSON.stringify(pcaps)})`);
	assert.equal(await preview.locator('main :is(h2, h3)', { hasText: 'Nhiệm vụ trọng tâm' }).count(), 1, 'preview: heading');
	assert.equal(await preview.locator('main li', { hasText: 'Cải thiện môi trường đầu tư' }).count(), 1, 'preview: list');
	await preview.close();

	await act(page, 'save');
	S.articlePath = new URL(page.url()).pathname;
	assert.equal(await status(page), 'draft', 'saved as a draft');
	assert.equal(await page.inputValue('#title'), TITLE, 'title kept after saving');
	await act(page, 'submit');
	assert.equal(await status(page), 'pending', 'submitted for review');
});

test('publisher: opens the pending article and returns it with a comment', async () => {
	assert.ok(S.articlePath, 'the first test made the article');
	const page = await login(publisherCtx, PUBLISHER);
	S.publisherPage = page;
	await page.goto(portal.base + '/admin/articles?status=pending');
	const link = page.locator('table.article-table a', { hasText: TITLE });
	assert.equal(await link.count(), 1, 'the pending article is listed');
	await Promise.all([page.waitForURL(/\/admin\/articles\/\d+$/), link.click()]);
	assert.equal(new URL(page.url()).pathname, S.articlePath);
	assert.equal(await status(page), 'pending');
	await page.fill('#review_comment', COMMENT);
	await act(page, 'return');
	assert.equal(await status(page), 'returned', 'returned to the author');
});

test('editor: sees the comment, fixes the text and resubmits', async () => {
	assert.ok(S.articlePath);
	const page = S.editorPage ?? await login(editorCtx, EDITOR);
	await page.goto(portal.base + '/admin/articles');
	const row = page.locator('table.article-table tr', { hasText: TITLE });
	assert.equal(await row.count(), 1, 'the article in the editor\'s list');
	assert.equal(await row.locator('.status-returned').count(), 1, 'shown as returned');
	assert.equal(await row.locator('.ed-badge').count(), 1, 'with the "has a comment" badge');
	await Promise.all([page.waitForURL(/\/admin\/articles\/\d+$/), row.locator('a').first().click()]);
	assert.equal((await page.locator('.review-comment p').innerText()).trim(), COMMENT, 'the reviewer\'s comment');
	await page.fill('#title', TITLE_FIXED);
	await page.fill('#body', S.body.replace('hội nghi kết thúc', 'hội nghị kết thúc') +
		'\n\nTăng trưởng kinh tế năm 2024 đạt 8,2%.');
	await act(page, 'submit');
	assert.equal(await status(page), 'pending', 'resubmitted');
	assert.equal(await page.inputValue('#title'), TITLE_FIXED, 'the fixed title was saved');
});

test('publisher: publishes; the article is on the public home page with its image and caption', async () => {
	assert.ok(S.articlePath);
	const page = S.publisherPage;
	await page.goto(portal.base + S.articlePath);
	assert.equal(await page.inputValue('#title'), TITLE_FIXED, 'the publisher sees the fixed text');
	await act(page, 'publish');
	assert.equal(await status(page), 'published');

	const anon = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const pub = await anon.newPage();
	assert.equal((await pub.goto(portal.base + '/')).status(), 200);
	const link = pub.locator('main a', { hasText: TITLE_FIXED }).first();
	assert.equal(await link.count(), 1, 'the published article is linked from the home page');
	await Promise.all([pub.waitForURL((u) => u.pathname !== '/'), link.click()]);
	assert.equal((await pub.locator('h1.article-title').innerText()).trim(), TITLE_FIXED, 'article page: title');
	const fig = pub.locator('figure', { has: pub.locator(`img[src*="${/\/media\/([A-Za-z0-9_-]+)\.jpg/.exec(S.image.markdown)[1]}"]`) });
	assert.ok(await fig.count() >= 1, 'article page: a figure with the uploaded image');
	const caps = (await pub.locator('figure figcaption').allInnerTexts()).map((c) => c.trim());
	assert.ok(caps.includes(CAPTION), `article page: the caption in a figcaption (got ${JSON.stringify(caps)})`);
	assert.equal(await pub.locator('main :is(h2, h3)', { hasText: 'Nhiệm vụ trọng tâm' }).count(), 1, 'article page: heading');
	await anon.close();
});

// ---- XSS -------------------------------------------------------------------------------------------------
const P_IMG = '<img src=x onerror=window.__xss=1>';
const P_SCRIPT = '<script>window.__xss=1</script>';
const P_SVG = '"><svg onload=window.__xss=1>';
const X_TITLE = `Tin thử XSS ${P_IMG} ${P_SVG}`;
const X_LEAD = `Tóm tắt ${P_SCRIPT} ${P_SVG}`;
const X_CAPTION = `Chú thích ${P_SVG} ${P_IMG}`;
const X_TAG = P_SCRIPT;
const X_LINK = 'liên kết độc hại';

// The checks on one page: no script ran, no handler attribute or script element came from the payloads, each
// expected text is shown as text.
async function checkClean(page, where, texts) {
	assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', `${where}: window.__xss`);
	const injected = await page.evaluate(() => {
		const out = [];
		for (const el of document.querySelectorAll('*'))
			for (const a of el.getAttributeNames())
				if (/^on/i.test(a))
					out.push(`<${el.localName} ${a}="${el.getAttribute(a)}">`);
		for (const s of document.scripts) {
			/* a JSON-LD data block carries the title as data and never runs: it must still be valid JSON, so the
			 * payload cannot have ended the block early */
			if (s.type === 'application/ld+json') {
				try { JSON.parse(s.textContent); } catch { out.push(`<script type=ld+json> that is not JSON: ${s.textContent.slice(0, 80)}`); }
				continue;
			}
			if (s.textContent.includes('__xss'))
				out.push(`<script>${s.textContent}</script>`);
		}
		for (const s of document.querySelectorAll('img[src="x"], svg[onload]'))
			out.push(s.outerHTML.slice(0, 120));
		return out;
	});
	assert.deepEqual(injected, [], `${where}: elements made from the payloads`);
	const text = await page.evaluate(() => document.body.innerText + '\n' +
		[...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\n'));
	for (const t of texts)
		assert.ok(text.includes(t), `${where}: the text ${JSON.stringify(t)} is shown as text`);
}

test('XSS: payloads in title, lead, body, caption and tag show as text and never run, on public and staff pages', async () => {
	const page = S.editorPage ?? await login(editorCtx, EDITOR);
	const img = await upload(page, `Ảnh thử XSS ${P_IMG}`, X_CAPTION);
	await checkClean(page, 'media library (editor)', [X_CAPTION]);
	await page.goto(portal.base + '/admin/articles/new');
	await page.fill('#title', X_TITLE);
	await page.fill('#lead', X_LEAD);
	const body = [`Thân bài ${P_IMG}`, '', P_SCRIPT, '', `## Tiêu đề ${P_SVG}`, '',
		`- mục ${P_SCRIPT}`, '', img.markdown, '', `Bấm [${X_LINK}](javascript:window.__xss=1) để thử.`].join('\n');
	await page.fill('#body', body);
	await page.fill('#tags', `${X_TAG}, thử nghiệm`);
	const cats = await page.locator('#category_id option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
	await page.selectOption('#category_id', cats[0]);
	await page.check(`#editor input[name=cover_id][value="${img.id}"]`);
	await page.fill('#cover_caption', X_CAPTION);
	await page.fill('#cover_alt', `Ảnh bìa ${P_IMG}`);
	await act(page, 'submit');
	const xPath = new URL(page.url()).pathname;
	assert.equal(await status(page), 'pending');
	await checkClean(page, 'editor (editor, pending)', [X_TITLE]);

	const pp = S.publisherPage ?? await login(publisherCtx, PUBLISHER);
	await pp.goto(portal.base + xPath);
	await checkClean(pp, 'editor (publisher)', [X_TITLE]);
	await act(pp, 'publish');
	assert.equal(await status(pp), 'published');
	await checkClean(pp, 'editor (publisher, published)', [X_TITLE]);
	await pp.goto(portal.base + '/admin/articles');
	await checkClean(pp, 'article list (publisher)', [X_TITLE]);
	await page.goto(portal.base + '/admin/articles');
	await checkClean(page, 'article list (editor)', [X_TITLE]);

	// public pages, no cookies
	const anon = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const pub = await anon.newPage();
	pub.on('dialog', (d) => {
		dialogs.push(`${d.type()}: ${d.message()} (${pub.url()})`);
		d.dismiss().catch(() => {});
	});
	await pub.goto(portal.base + '/');
	await checkClean(pub, 'home page', [X_TITLE]);
	const link = pub.locator('main a', { hasText: 'Tin thử XSS' }).first();
	assert.equal(await link.count(), 1, 'the XSS article is on the home page');
	await Promise.all([pub.waitForURL((u) => u.pathname !== '/'), link.click()]);
	const articleUrl = pub.url();
	await pub.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
	await checkClean(pub, 'article page', [X_TITLE, X_LEAD, `Thân bài ${P_IMG}`, P_SCRIPT, `Tiêu đề ${P_SVG}`,
		`mục ${P_SCRIPT}`, X_CAPTION, X_TAG]);
	assert.equal((await pub.locator('h1.article-title').innerText()).trim(), X_TITLE, 'article page: the title as text');
	const caps = (await pub.locator('figure figcaption').allInnerTexts()).map((c) => c.trim());
	assert.ok(caps.includes(X_CAPTION), `article page: the payload caption as text (got ${JSON.stringify(caps)})`);
	// the javascript: link is neutralised and clicking it does nothing
	const jl = pub.locator('main a', { hasText: X_LINK });
	assert.equal(await jl.count(), 1, 'the Markdown link is there');
	const href = await jl.getAttribute('href');
	assert.doesNotMatch(href ?? '', /^\s*javascript:/i, `the link's href is neutralised (got ${href})`);
	await jl.click();
	await pub.waitForTimeout(200);
	assert.equal(await pub.evaluate(() => typeof window.__xss), 'undefined', 'clicking the link ran nothing');
	assert.equal(new URL(pub.url()).pathname, new URL(articleUrl).pathname, 'clicking the link stays on the page');

	const catHref = await pub.locator('nav.breadcrumb li:nth-child(2) a').getAttribute('href');
	await pub.goto(new URL(catHref, portal.base).href);
	await checkClean(pub, `category page ${catHref}`, [X_TITLE]);
	await anon.close();
	assert.deepEqual(dialogs, [], 'no dialog opened');
});

// ---- accessibility ---------------------------------------------------------------------------------------
function report(violations) {
	return violations.map((v) => `  ${v.id} [${v.impact}] ${v.help}\n` +
		v.nodes.map((n) => `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n')).join('\n');
}

async function axeCheck(page, name) {
	const { violations } = await runAxe(page);
	const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	const minor = violations.filter((v) => !bad.includes(v));
	if (minor.length)
		console.log(`axe ${name} (${page.url()}), minor/moderate:\n${report(minor)}`);
	assert.equal(bad.length, 0, `axe on ${name} (${page.url()}):\n${report(bad)}`);
}

test('axe: login page, article list, editor and media library have no serious or critical violation', async () => {
	const anon = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const lp = await anon.newPage();
	await lp.goto(portal.base + '/dang-nhap');
	await axeCheck(lp, 'login page');
	await anon.close();

	const page = S.editorPage ?? await login(editorCtx, EDITOR);
	const pages = [['article list', '/admin/articles'], ['new article editor', '/admin/articles/new']];
	if (S.articlePath)
		pages.push(['article editor (own article, now published: read-only)', S.articlePath]);
	pages.push(['media library', '/admin/media']);
	const failures = [];
	for (const [name, p] of pages) {
		const res = await page.goto(portal.base + p);
		assert.equal(res.status(), 200, `${p}: status`);
		if (name === 'media library')
			await page.click('details.media-upload > summary');
		try {
			await axeCheck(page, name);
		} catch (e) {
			failures.push(e.message);
		}
	}
	assert.deepEqual(failures, [], 'axe on staff pages');
});
