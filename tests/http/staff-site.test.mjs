// The admin pages for site settings, categories and menus (src/admin/site.c): what an administrator changes
// shows on the public pages at once (the page cache is invalidated), bad input is refused with the input
// kept and the errors tied to their fields, only admins get in, CSRF is enforced, and what admins type is
// escaped wherever it is shown.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addUser, cleanup, formBody, formFields, h1, initPortal, request, sanitizerReports, signIn, sql, startServer, unescapeHtml } from './helpers.mjs';

let data, srv;
const users = {
	admin: { login: 'site-admin', role: 'admin', password: 'Hoa-sen-no-muon-2026' },
	editor: { login: 'site-editor', role: 'editor', password: 'Bien-tap-vien-chu-dao' },
	publisher: { login: 'site-publisher', role: 'publisher', password: 'Nguoi-duyet-bai-cham-chi' },
};
const as = {}; /* signed-in sessions by role */

/** The links of the public main menu: [{label, url}]. */
function menuLinks(html) {
	const nav = html.match(/<nav class="menu"[\s\S]*?<\/nav>/);
	if (!nav) return [];
	return [...nav[0].matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ url: unescapeHtml(m[1]), label: unescapeHtml(m[2]) }));
}

const footer = (html) => (html.match(/<footer class="site-footer">[\s\S]*?<\/footer>/) || [''])[0];
const setting = (key) => sql(data, `SELECT value FROM settings WHERE key = '${key}'`);
const audits = (action) => sql(data, `SELECT count(*) FROM audit_log WHERE action = '${action}'`);
const catId = (slug) => Number(sql(data, `SELECT category_id FROM category_i18n WHERE lang = 'vi' AND slug = '${slug}'`) || 0);

before(async () => {
	data = await initPortal();
	for (const u of Object.values(users)) await addUser(data, u);
	srv = await startServer(data);
	for (const role of Object.keys(users)) as[role] = await signIn(srv, users[role].login, users[role].password);
});
after(async () => {
	const log = srv ? srv.log() : '';
	await cleanup();
	assert.equal(sanitizerReports(log), '', 'no sanitizer reports in the server log');
});

/* ---- site settings ------------------------------------------------------------------------------------ */

describe('site settings', () => {
	test('the settings page shows every setting in three languages, labelled', async () => {
		const r = await as.admin.get('/admin/settings');
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		const f = formFields(r.text, '/admin/settings');
		for (const l of ['vi', 'en', 'zh'])
			for (const k of ['name', 'agency', 'responsible', 'address', 'license']) assert.ok(`site.${k}.${l}` in f, `field site.${k}.${l}`);
		for (const k of ['site.phone', 'site.email', 'site.base_url']) assert.ok(k in f, `field ${k}`);
		assert.equal(f['site.name.en'], 'Song Lam Province Web Portal');
		/* every input has a label */
		for (const m of r.text.matchAll(/<input\b[^>]*\sid="([^"]+)"[^>]*>/g)) {
			if (/type="hidden"/.test(m[0])) continue;
			assert.ok(r.text.includes(`<label for="${m[1]}"`), `a label for #${m[1]}`);
		}
		assert.ok(r.text.includes('name="security.require_2fa_admins"'), 'the two-factor checkbox');
	});

	test('a new English site name shows on the English home page at once (the cache is invalidated)', async () => {
		/* the English home is in the page cache */
		const before1 = await request(srv, '/en/');
		const before2 = await request(srv, '/en/');
		assert.ok(before2.text.includes('Song Lam Province Web Portal'));
		const auditsBefore = Number(audits('settings.change'));

		const page = await as.admin.get('/admin/settings');
		const f = formFields(page.text, '/admin/settings');
		f['site.name.en'] = 'Song Lam Open Government Portal';
		f['site.agency.en'] = 'Song Lam Provincial Digital Office';
		const r = await as.admin.post('/admin/settings', f);
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/admin/settings');

		const after = await request(srv, '/en/');
		assert.equal(after.status, 200);
		assert.ok(after.text.includes('Song Lam Open Government Portal'), 'the new name on /en/ right away');
		assert.ok(!after.text.includes('Song Lam Province Web Portal'), 'the old name is gone');
		assert.ok(footer(after.text).includes('Song Lam Provincial Digital Office'), 'the footer names the new agency');
		assert.match(after.text, /<title>Song Lam Open Government Portal<\/title>/);
		assert.ok(before1.status === 200);
		/* other languages keep theirs */
		const vi = await request(srv, '/');
		assert.ok(vi.text.includes('Cổng Thông tin điện tử tỉnh Sông Lam'));

		assert.equal(setting('site.name.en'), 'Song Lam Open Government Portal');
		assert.equal(Number(audits('settings.change')), auditsBefore + 1);
		const detail = sql(data, "SELECT detail FROM audit_log WHERE action = 'settings.change' ORDER BY id DESC LIMIT 1");
		assert.equal(detail, 'site.name.en, site.agency.en', 'the audit names the keys that changed, and only them');

		/* the flash after the redirect */
		const next = await as.admin.get('/admin/settings');
		assert.match(next.text, /role="status"[^>]*>Đã lưu cấu hình\./);
	});

	test('saving the form unchanged changes nothing and writes no audit line', async () => {
		const n = Number(audits('settings.change'));
		const page = await as.admin.get('/admin/settings');
		const r = await as.admin.post('/admin/settings', formFields(page.text, '/admin/settings'));
		assert.equal(r.status, 303);
		assert.equal(Number(audits('settings.change')), n);
	});

	for (const bad of ['https://portal.example.vn/cong', 'ftp://portal.example.vn', 'javascript:alert(1)', 'portal.example.vn',
		'https://user@portal.example.vn', 'https://portal.example.vn?x=1', 'http://', 'https://a b.vn']) {
		test(`the base URL ${JSON.stringify(bad)} is refused with the input kept`, async () => {
			const was = setting('site.base_url');
			const page = await as.admin.get('/admin/settings');
			const f = formFields(page.text, '/admin/settings');
			f['site.base_url'] = bad;
			f['site.phone'] = '0238 384 9999'; /* a valid change in the same form is not saved either */
			const r = await as.admin.post('/admin/settings', f);
			assert.equal(r.status, 400);
			const kept = formFields(r.text, '/admin/settings');
			assert.equal(kept['site.base_url'], bad, 'the typed value is kept');
			assert.equal(kept['site.phone'], '0238 384 9999', 'the other typed values are kept');
			assert.equal(kept['site.name.en'], 'Song Lam Open Government Portal');
			const input = r.text.match(/<input id="s-base-url"[^>]*>/)[0];
			assert.match(input, /aria-invalid="true"/);
			assert.match(input, /aria-describedby="s-base-url-error[ "]/);
			assert.match(r.text, /<p class="field-error" id="s-base-url-error">Hãy nhập http:\/\/ hoặc https:\/\//);
			assert.match(r.text, /<a href="#s-base-url">/, 'the error summary links to the field');
			assert.equal(setting('site.base_url'), was, 'nothing saved');
			assert.notEqual(setting('site.phone'), '0238 384 9999');
		});
	}

	test('errors are in the language of the page', async () => {
		const page = await as.admin.get('/en/admin/settings');
		const f = formFields(page.text, '/en/admin/settings');
		f['site.name.zh'] = '';
		f['site.email'] = 'not an email';
		const r = await as.admin.post('/en/admin/settings', f);
		assert.equal(r.status, 400);
		assert.ok(r.text.includes('id="s-name-zh-error">Enter the site name in this language.'));
		assert.ok(r.text.includes('id="s-email-error">Enter an email address such as name@example.vn.'));
		const zh = await as.admin.post('/zh/admin/settings', f);
		assert.equal(zh.status, 400);
		assert.ok(zh.text.includes('id="s-name-zh-error">请输入该语言的网站名称。'));
		assert.notEqual(setting('site.name.zh'), '');
	});

	test('a good base URL is stored in canonical form and used for canonical links', async () => {
		const page = await as.admin.get('/admin/settings');
		const f = formFields(page.text, '/admin/settings');
		f['site.base_url'] = 'HTTPS://Portal.SongLam.example.vn/';
		f['security.require_2fa_admins'] = '1';
		const r = await as.admin.post('/admin/settings', f);
		assert.equal(r.status, 303);
		assert.equal(setting('site.base_url'), 'https://portal.songlam.example.vn');
		assert.equal(setting('security.require_2fa_admins'), '1');
		const en = await request(srv, '/en/');
		assert.ok(en.text.includes('<link rel="canonical" href="https://portal.songlam.example.vn/en/">'));
		/* the checkbox shows as checked; unticking it saves "0" */
		const again = await as.admin.get('/admin/settings');
		const g = formFields(again.text, '/admin/settings');
		assert.equal(g['security.require_2fa_admins'], '1');
		delete g['security.require_2fa_admins'];
		g['site.base_url'] = 'http://[::1]:8080';
		assert.equal((await as.admin.post('/admin/settings', g)).status, 303);
		assert.equal(setting('security.require_2fa_admins'), '0');
		assert.equal(setting('site.base_url'), 'http://[::1]:8080');
	});
});

/* ---- categories --------------------------------------------------------------------------------------- */

describe('categories', () => {
	const newCat = {
		name_vi: 'Khoa học – Công nghệ',
		name_en: 'Science & Technology',
		name_zh: '科学技术',
		slug_vi: '',
		slug_en: '',
		slug_zh: '',
		description_vi: 'Nghiên cứu, ứng dụng và đổi mới sáng tạo.',
		description_en: '',
		description_zh: '',
		parent: '0',
	};

	test('the list shows the tree with names and slugs in three languages', async () => {
		const r = await as.admin.get('/admin/categories');
		assert.equal(r.status, 200);
		assert.match(r.text, /<th scope="col">/);
		for (const s of ['kinh-te', 'economy', 'nong-nghiep-nong-thon', 'agriculture-rural-areas', '经济']) assert.ok(r.text.includes(s), s);
		/* a subcategory comes right after its parent, marked as a child */
		const kt = r.text.indexOf(`id="cat-${catId('kinh-te')}"`), nn = r.text.indexOf(`id="cat-${catId('nong-nghiep-nong-thon')}"`);
		assert.ok(kt > 0 && nn > kt);
		assert.match(r.text, new RegExp(`id="cat-${catId('nong-nghiep-nong-thon')}" class="is-child"`));
	});

	test('create: slugs are folded from the names; the category page exists in every language', async () => {
		const n = Number(audits('category.create'));
		await as.admin.get('/admin/categories/new');
		const r = await as.admin.post('/admin/categories', newCat);
		assert.equal(r.status, 303, r.text.slice(0, 300));
		const id = catId('khoa-hoc-cong-nghe');
		assert.ok(id > 0, 'the Vietnamese slug is folded from the name');
		assert.equal(r.headers.location, `/admin/categories#cat-${id}`);
		assert.equal(sql(data, `SELECT slug FROM category_i18n WHERE category_id = ${id} AND lang = 'en'`), 'science-technology');
		assert.equal(sql(data, `SELECT slug FROM category_i18n WHERE category_id = ${id} AND lang = 'zh'`), 'khoa-hoc-cong-nghe',
			'a Chinese name does not fold: the Vietnamese slug is used');
		assert.equal(h1((await request(srv, '/chuyen-muc/khoa-hoc-cong-nghe')).text), 'Khoa học – Công nghệ');
		assert.equal(h1((await request(srv, '/en/category/science-technology')).text), 'Science & Technology');
		assert.equal(h1((await request(srv, '/zh/category/khoa-hoc-cong-nghe')).text), '科学技术');
		assert.equal(Number(audits('category.create')), n + 1);
		/* at the end of the top level */
		assert.equal(sql(data, 'SELECT id FROM categories WHERE parent_id IS NULL ORDER BY position DESC, id DESC LIMIT 1'), String(id));
	});

	test('rename: a new name and an edited English slug; the old English URL moves to the new one (301)', async () => {
		const id = catId('khoa-hoc-cong-nghe');
		const page = await as.admin.get(`/admin/categories/${id}`);
		assert.equal(page.status, 200);
		const f = formFields(page.text, `/admin/categories/${id}`);
		assert.equal(f.slug_en, 'science-technology');
		f.name_en = 'Science and Innovation';
		f.slug_en = 'Science Innovation'; /* typed slugs are folded */
		const n = Number(audits('category.edit'));
		const r = await as.admin.post(`/admin/categories/${id}`, f);
		assert.equal(r.status, 303);
		assert.equal(h1((await request(srv, '/en/category/science-innovation')).text), 'Science and Innovation');
		const old = await request(srv, '/en/category/science-technology');
		assert.equal(old.status, 301, 'a renamed category keeps its old URL working');
		assert.equal(old.headers.location, '/en/category/science-innovation');
		assert.equal(Number(audits('category.edit')), n + 1);
		assert.equal(sql(data, "SELECT detail FROM audit_log WHERE action = 'category.edit' ORDER BY id DESC LIMIT 1"), 'name.en, slug.en');
	});

	test('a slug another category has in that language is refused with a clear error and the input kept', async () => {
		const count = sql(data, 'SELECT count(*) FROM categories');
		const r = await as.admin.post('/admin/categories', { ...newCat, name_vi: 'Kinh tế', name_en: 'Economy news', slug_en: '' });
		assert.equal(r.status, 400);
		assert.ok(r.text.includes('id="c-slug-vi-error">Một chuyên mục khác đã dùng đường dẫn này trong ngôn ngữ này.'), 'the error on the slug field');
		const kept = formFields(r.text, '/admin/categories');
		assert.equal(kept.name_vi, 'Kinh tế');
		assert.equal(kept.slug_vi, 'kinh-te', 'the slug made from the name is shown so it can be edited');
		assert.equal(kept.description_vi, newCat.description_vi);
		assert.match(r.text.match(/<input id="c-slug-vi"[^>]*>/)[0], /aria-describedby="c-slug-vi-error/);
		/* a typed slug that collides in English only */
		const en = await as.admin.post('/en/admin/categories', { ...newCat, name_vi: 'Tin kinh tế', slug_vi: '', slug_en: 'economy' });
		assert.equal(en.status, 400);
		assert.ok(en.text.includes('id="c-slug-en-error">Another category already uses this slug in this language.'));
		assert.ok(!en.text.includes('id="c-slug-vi-error"'), 'no error on the slug that is free');
		/* a name is required in every language */
		const empty = await as.admin.post('/en/admin/categories', { ...newCat, name_vi: 'Mới', name_en: ' ' });
		assert.equal(empty.status, 400);
		assert.ok(empty.text.includes('id="c-name-en-error">Enter the name in this language.'));
		assert.equal(sql(data, 'SELECT count(*) FROM categories'), count, 'nothing created');
	});

	test('move under another parent; no cycles and at most two levels', async () => {
		const id = catId('khoa-hoc-cong-nghe'), parent = catId('chuyen-doi-so');
		const page = await as.admin.get(`/admin/categories/${id}`);
		const f = formFields(page.text, `/admin/categories/${id}`);
		const n = Number(audits('category.move'));
		const r = await as.admin.post(`/admin/categories/${id}`, { ...f, parent: String(parent) });
		assert.equal(r.status, 303);
		assert.equal(sql(data, `SELECT parent_id FROM categories WHERE id = ${id}`), String(parent));
		assert.equal(Number(audits('category.move')), n + 1);
		const pub = await request(srv, '/chuyen-muc/chuyen-doi-so');
		assert.ok(pub.text.includes('href="/chuyen-muc/khoa-hoc-cong-nghe"'), 'the parent page links to its new subcategory');

		/* a category under itself, under a subcategory, or a parent under another: refused */
		const self = await as.admin.post(`/admin/categories/${parent}`, { ...formFields((await as.admin.get(`/admin/categories/${parent}`)).text, `/admin/categories/${parent}`), parent: String(parent) });
		assert.equal(self.status, 400);
		assert.ok(self.text.includes('id="c-parent-error"'));
		const kt = catId('kinh-te');
		const ktForm = formFields((await as.admin.get(`/admin/categories/${kt}`)).text, `/admin/categories/${kt}`);
		const deep = await as.admin.post(`/admin/categories/${kt}`, { ...ktForm, parent: String(id) });
		assert.equal(deep.status, 400, 'under a subcategory (a third level)');
		const withKids = await as.admin.post(`/en/admin/categories/${kt}`, { ...ktForm, parent: String(catId('du-lich')) });
		assert.equal(withKids.status, 400);
		const withKids2 = await as.admin.post(`/en/admin/categories/${kt}`, { ...ktForm, parent: String(catId('giao-duc-y-te')) });
		assert.equal(withKids2.status, 400);
		assert.ok(withKids2.text.includes('This category has subcategories, so it must stay at the top level.'));
		assert.equal(sql(data, `SELECT coalesce(parent_id, 0) FROM categories WHERE id = ${kt}`), '0');
		/* and back to the top level */
		const back = await as.admin.post(`/admin/categories/${id}`, { ...f, parent: '0' });
		assert.equal(back.status, 303);
		assert.equal(sql(data, `SELECT coalesce(parent_id, 0) FROM categories WHERE id = ${id}`), '0');
	});

	test('reorder with the up/down buttons; the home page follows', async () => {
		const top = () => sql(data, "SELECT c.id FROM categories c WHERE parent_id IS NULL ORDER BY position, id").split('\n').map(Number);
		const list = await as.admin.get('/admin/categories');
		const kt = catId('kinh-te'), first = top()[0];
		assert.ok(list.text.includes(`action="/admin/categories/${kt}/up"`));
		assert.notEqual(first, kt);
		const i = top().indexOf(kt);
		const r = await as.admin.post(`/admin/categories/${kt}/up`, {});
		assert.equal(r.status, 303);
		assert.equal(top().indexOf(kt), i - 1);
		/* the home page lists sections in that order */
		const home = await request(srv, '/');
		const sections = [...home.text.matchAll(/href="\/chuyen-muc\/([^"]+)"/g)].map((m) => m[1]);
		assert.ok(sections.indexOf('kinh-te') < sections.indexOf('thoi-su-chinh-tri'), 'Kinh tế now comes before Thời sự');
		/* first cannot go further up: nothing changes */
		const order = top().join();
		assert.equal((await as.admin.post(`/admin/categories/${top()[0]}/up`, {})).status, 303);
		assert.equal(top().join(), order);
		await as.admin.post(`/admin/categories/${kt}/down`, {});
		assert.equal(top().indexOf(kt), i);
	});

	test('delete is refused while articles use the category, and allowed when none does', async () => {
		const kt = catId('kinh-te');
		const articles = sql(data, `SELECT count(*) FROM articles WHERE category_id = ${kt}`);
		assert.ok(Number(articles) > 0);
		const edit = await as.admin.get(`/admin/categories/${kt}`);
		assert.ok(!edit.text.includes(`action="/admin/categories/${kt}/delete"`), 'no delete button for a category in use');
		const r = await as.admin.post(`/admin/categories/${kt}/delete`, {});
		assert.equal(r.status, 409);
		assert.ok(r.text.includes('Không thể xóa chuyên mục này: còn bài viết thuộc chuyên mục.'));
		assert.equal(catId('kinh-te'), kt, 'still there');
		const en = await as.admin.post(`/en/admin/categories/${catId('nong-nghiep-nong-thon')}/delete`, {});
		assert.equal(en.status, 409);
		assert.ok(en.text.includes('This category cannot be deleted: articles use it. Move them to another category first.'));

		const id = catId('khoa-hoc-cong-nghe');
		const n = Number(audits('category.delete'));
		const page = await as.admin.get(`/admin/categories/${id}`);
		assert.ok(page.text.includes(`action="/admin/categories/${id}/delete"`));
		const del = await as.admin.post(`/admin/categories/${id}/delete`, {});
		assert.equal(del.status, 303);
		assert.equal(catId('khoa-hoc-cong-nghe'), 0);
		assert.equal(sql(data, `SELECT count(*) FROM category_i18n WHERE category_id = ${id}`), '0');
		assert.equal((await request(srv, '/chuyen-muc/khoa-hoc-cong-nghe')).status, 404);
		assert.equal(Number(audits('category.delete')), n + 1);
		assert.equal((await as.admin.get(`/admin/categories/${id}`)).status, 404);
	});
});

/* ---- menus -------------------------------------------------------------------------------------------- */

describe('menus', () => {
	const enMenu = async () => menuLinks((await request(srv, '/en/')).text);
	const itemId = (label) => Number(sql(data, `SELECT id FROM menu_items WHERE label = '${label}'`) || 0);

	test('/admin/menus leads to the menu of the page language', async () => {
		const r = await as.admin.get('/en/admin/menus');
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/en/admin/menus/en');
		const page = await as.admin.get('/en/admin/menus/en');
		assert.equal(page.status, 200);
		assert.ok(page.text.includes('<td><code class="url">/en/news</code></td>'));
		assert.equal((await as.admin.get('/admin/menus/fr')).status, 404);
	});

	test('add an item: the English header shows it at once; reorder moves it', async () => {
		await enMenu(); /* cached */
		const n = Number(audits('menu.change'));
		const r = await as.admin.post('/en/admin/menus/en', { label: 'Open Data', url: '/en/page/open-data' });
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/en/admin/menus/en');
		let menu = await enMenu();
		assert.deepEqual(menu.at(-1), { label: 'Open Data', url: '/en/page/open-data' }, 'added at the end');
		assert.ok(!menuLinks((await request(srv, '/')).text).some((l) => l.label === 'Open Data'), 'not in the Vietnamese menu');
		assert.equal(Number(audits('menu.change')), n + 1);

		const id = itemId('Open Data');
		const before = menu.length;
		assert.equal((await as.admin.post(`/en/admin/menus/items/${id}/up`, {})).status, 303);
		menu = await enMenu();
		assert.equal(menu.length, before);
		assert.equal(menu.at(-2).label, 'Open Data', 'one place up');
		await as.admin.post(`/en/admin/menus/items/${id}/up`, {});
		await as.admin.post(`/en/admin/menus/items/${id}/up`, {});
		await as.admin.post(`/en/admin/menus/items/${id}/up`, {});
		await as.admin.post(`/en/admin/menus/items/${id}/up`, {}); /* already first: nothing happens */
		menu = await enMenu();
		assert.equal(menu[0].label, 'Open Data');
		assert.equal(menu.length, before);
		await as.admin.post(`/en/admin/menus/items/${id}/down`, {});
		assert.equal((await enMenu())[1].label, 'Open Data');
	});

	test('edit and delete an item', async () => {
		const id = itemId('Open Data');
		const page = await as.admin.get(`/en/admin/menus/items/${id}`);
		assert.equal(page.status, 200);
		const f = formFields(page.text, `/en/admin/menus/items/${id}`);
		assert.equal(f.label, 'Open Data');
		const r = await as.admin.post(`/en/admin/menus/items/${id}`, { ...f, label: 'Open Data Portal', url: 'https://data.example.vn/en' });
		assert.equal(r.status, 303);
		assert.ok((await enMenu()).some((l) => l.label === 'Open Data Portal' && l.url === 'https://data.example.vn/en'));
		const del = await as.admin.post(`/en/admin/menus/items/${id}/delete`, {});
		assert.equal(del.status, 303);
		assert.ok(!(await enMenu()).some((l) => l.label.startsWith('Open Data')));
		assert.equal(itemId('Open Data Portal'), 0);
		assert.equal((await as.admin.get(`/en/admin/menus/items/${id}`)).status, 404);
	});

	for (const bad of ['//evil.example/x', 'http://plain.example.vn', 'javascript:alert(1)', '/\\evil.example', 'tin-tuc', 'https://', '/a b', '']) {
		test(`the menu URL ${JSON.stringify(bad)} is refused with the input kept`, async () => {
			const count = sql(data, 'SELECT count(*) FROM menu_items');
			const r = await as.admin.post('/admin/menus/vi', { label: 'Liên kết thử', url: bad });
			assert.equal(r.status, 400);
			const kept = formFields(r.text, '/admin/menus/vi');
			assert.equal(kept.label, 'Liên kết thử');
			assert.equal(kept.url, bad.trim());
			assert.match(r.text.match(/<input id="m-url"[^>]*>/)[0], /aria-describedby="m-url-error m-url-hint"/);
			assert.ok(r.text.includes('id="m-url-error">Hãy nhập địa chỉ trong cổng bắt đầu bằng /'));
			assert.equal(sql(data, 'SELECT count(*) FROM menu_items'), count);
		});
	}

	test('a label is required', async () => {
		const r = await as.admin.post('/zh/admin/menus/zh', { label: '  ', url: '/zh/news' });
		assert.equal(r.status, 400);
		assert.ok(r.text.includes('id="m-label-error">请输入链接文字。'));
	});
});

/* ---- who may: only admins; CSRF --------------------------------------------------------------------- */

describe('permissions and CSRF', () => {
	const cid = () => catId('kinh-te');
	const mid = () => Number(sql(data, "SELECT id FROM menu_items WHERE lang = 'en' ORDER BY position LIMIT 1"));
	const pages = () => ['/admin/settings', '/admin/categories', '/admin/categories/new', `/admin/categories/${cid()}`, '/admin/menus',
		'/admin/menus/vi', `/en/admin/menus/items/${mid()}`];
	const posts = () => [
		['/admin/settings', { 'site.name.vi': 'Bị chiếm', 'site.name.en': 'Taken', 'site.name.zh': 'Taken', 'site.base_url': 'https://evil.example' }],
		['/admin/categories', { name_vi: 'Chiếm', name_en: 'Taken', name_zh: 'Taken', parent: '0' }],
		[`/admin/categories/${cid()}`, { name_vi: 'Chiếm', name_en: 'Taken', name_zh: 'Taken', slug_vi: 'chiem', parent: '0' }],
		[`/admin/categories/${cid()}/up`, {}],
		[`/admin/categories/${cid()}/down`, {}],
		[`/admin/categories/${catId('khong-dung')}/delete`, {}],
		['/admin/menus/vi', { label: 'Chiếm', url: '/chiem' }],
		[`/admin/menus/items/${mid()}`, { label: 'Taken', url: '/taken' }],
		[`/admin/menus/items/${mid()}/up`, {}],
		[`/admin/menus/items/${mid()}/down`, {}],
		[`/admin/menus/items/${mid()}/delete`, {}],
	];
	const snapshot = () =>
		sql(data, "SELECT key || '=' || value FROM settings WHERE key LIKE 'site.%' ORDER BY key") +
		sql(data, "SELECT id || ':' || coalesce(parent_id, 0) || ':' || position FROM categories ORDER BY id") +
		sql(data, "SELECT category_id || lang || slug || name FROM category_i18n ORDER BY category_id, lang") +
		sql(data, "SELECT id || lang || position || label || url FROM menu_items ORDER BY id");

	before(async () => {
		/* an empty category, so a delete that got through would show */
		await as.admin.post('/admin/categories', { name_vi: 'Không dùng', name_en: 'Unused', name_zh: '未用', parent: '0' });
		assert.ok(catId('khong-dung') > 0);
	});

	for (const role of ['editor', 'publisher']) {
		test(`a ${role} gets 403 on every page and every POST, and nothing changes`, async () => {
			const s = as[role];
			for (const p of pages()) {
				const r = await s.get(p);
				assert.equal(r.status, 403, `${role} GET ${p}`);
				assert.ok(!r.text.includes('name="site.name.vi"') && !r.text.includes('c-slug-vi'), `no admin form for ${role} on ${p}`);
			}
			const before = snapshot();
			for (const [p, f] of posts()) {
				const r = await s.post(p, f); /* with the user's own valid CSRF token */
				assert.equal(r.status, 403, `${role} POST ${p}`);
			}
			assert.equal(snapshot(), before, 'nothing changed');
		});
	}

	test('nobody signed in: pages lead to the login form, POSTs get 401', async () => {
		for (const p of pages()) {
			const r = await request(srv, p);
			assert.equal(r.status, 303, `GET ${p}`);
			assert.match(r.headers.location, /\/(dang-nhap|login)\?next=/);
		}
		const before = snapshot();
		for (const [p, f] of posts()) {
			const r = await request(srv, p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(f) });
			assert.equal(r.status, 401, `POST ${p}`);
		}
		assert.equal(snapshot(), before);
	});

	test('an admin POST without or with a wrong CSRF token gets 403 and changes nothing', async () => {
		const before = snapshot();
		const changes = "SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%' OR action LIKE 'category.%' OR action LIKE 'menu.%'";
		const audited = sql(data, changes);
		for (const [p, f] of posts()) {
			const none = await as.admin.post(p, f, { csrf: false });
			assert.equal(none.status, 403, `POST ${p} without a token`);
			const wrong = await as.admin.post(p, { ...f, csrf: 'a'.repeat(64) });
			assert.equal(wrong.status, 403, `POST ${p} with a wrong token`);
		}
		assert.equal(snapshot(), before, 'nothing changed');
		assert.equal(sql(data, changes), audited, 'nothing audited either');
	});
});

/* ---- what admins type is text, never markup -------------------------------------------------------- */

describe('escaping', () => {
	const XSS = '<script>alert(1)</script>';
	const IMG = '"><img src=x onerror=alert(2)>';

	test('a site name, a category name and a menu label with markup show as text on the public pages', async () => {
		const page = await as.admin.get('/admin/settings');
		const f = formFields(page.text, '/admin/settings');
		f['site.name.en'] = `Portal ${XSS}`;
		f['site.responsible.en'] = `Ms Lan ${IMG}`;
		f['site.base_url'] = 'http://127.0.0.1:8080';
		assert.equal((await as.admin.post('/admin/settings', f)).status, 303);

		const c = await as.admin.post('/admin/categories', { name_vi: `Chuyên mục ${IMG}`, name_en: `Section ${XSS}`, name_zh: `栏目 ${XSS}`, parent: '0' });
		assert.equal(c.status, 303, c.text.slice(0, 300));
		const slugEn = sql(data, "SELECT slug FROM category_i18n WHERE lang = 'en' AND name LIKE 'Section %'");
		assert.equal(slugEn, 'section-script-alert-1-script');

		assert.equal((await as.admin.post('/en/admin/menus/en', { label: `Menu ${XSS}${IMG}`, url: '/en/news?a=1&b=2' })).status, 303);

		for (const path of ['/en/', `/en/category/${slugEn}`, '/en/news', '/en/no-such-page']) {
			const r = await request(srv, path);
			assert.ok(!r.text.includes(XSS), `no raw <script> on ${path}`);
			assert.ok(!r.text.includes('<img src=x'), `no raw <img> on ${path}`);
			assert.ok(r.text.includes('Portal &lt;script&gt;alert(1)&lt;/script&gt;'), `the site name as text on ${path}`);
			assert.ok(r.text.includes('Menu &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), `the menu label as text on ${path}`);
			assert.ok(r.text.includes('href="/en/news?a=1&amp;b=2"'), `the menu URL escaped in its attribute on ${path}`);
		}
		const cat = await request(srv, `/en/category/${slugEn}`);
		assert.equal(h1(cat.text), `Section ${XSS}`);
		assert.ok(footer((await request(srv, '/en/')).text).includes('Ms Lan &quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
		/* and on the admin pages themselves */
		for (const p of ['/admin/categories', '/en/admin/menus/en', '/admin/settings']) {
			const r = await as.admin.get(p);
			assert.ok(!r.text.includes(XSS) && !r.text.includes('<img src=x'), `escaped on ${p}`);
		}
	});
});
