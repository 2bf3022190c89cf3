// The article pages of the staff area (src/admin/articles.c over src/news/editorial.c), against a real
// `cong serve` on a demo portal: the editorial workflow from draft to publication and back, what another
// editor can and cannot reach, optimistic locking, CSRF, revisions and diffs, previews, autosave,
// translations, and escaping of everything an editor types on the staff and the public pages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addUser, cleanup, formFields, initPortal, poll, request, sanitizerReports, signIn, sql, startServer } from './helpers.mjs';

let data, srv;
const users = {
	ed1: { login: 'bt-lan', role: 'editor', name: 'Nguyễn Thị Lan', password: 'Bien-tap-vien-mot-2026' },
	ed2: { login: 'bt-hung', role: 'editor', name: 'Trần Văn Hùng', password: 'Bien-tap-vien-hai-2026' },
	pub: { login: 'nd-minh', role: 'publisher', name: 'Lê Quang Minh', password: 'Nguoi-duyet-bai-2026' },
	admin: { login: 'qt-an', role: 'admin', name: 'Phạm An', password: 'Quan-tri-vien-2026!' },
};
const as = {};

/* ---- helpers about articles --------------------------------------------------------------------------- */

const row = (id, col) => sql(data, `SELECT ${col} FROM articles WHERE id = ${Number(id)}`);
const revisions = (id) => Number(sql(data, `SELECT count(*) FROM article_revisions WHERE article_id = ${Number(id)}`));
const audits = (action, id) =>
	Number(sql(data, `SELECT count(*) FROM audit_log WHERE action = '${action}' AND object_type = 'article' AND object_id = ${Number(id)}`));
const idFrom = (location) => Number((location || '').match(/\/admin\/articles\/(\d+)$/)?.[1] || 0);
const categoryId = () => Number(sql(data, "SELECT category_id FROM category_i18n WHERE lang = 'vi' ORDER BY category_id LIMIT 1"));

/** The editor form of article id as the user sees it. */
async function editForm(s, id) {
	const r = await s.get(`/admin/articles/${id}`);
	assert.equal(r.status, 200, `GET /admin/articles/${id}`);
	return formFields(r.text, `/admin/articles/${id}`);
}

/** Creates a draft as s; returns its id. */
async function createDraft(s, fields = {}) {
	const page = await s.get('/admin/articles/new');
	assert.equal(page.status, 200);
	const f = {
		...formFields(page.text, '/admin/articles/new'),
		title: 'Bài nháp thử nghiệm',
		lead: 'Tóm tắt',
		body: 'Đoạn một.\n\nĐoạn hai.',
		category_id: String(categoryId()),
		...fields,
	};
	const r = await s.post('/admin/articles/new', f);
	assert.equal(r.status, 303, `create: ${r.status} ${r.text.slice(0, 300)}`);
	const id = idFrom(r.headers.location);
	assert.ok(id > 0, `redirect to the new article: ${r.headers.location}`);
	return id;
}

/** Local (UTC+7) datetime-local value for t (ms). */
const localTime = (ms) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 16);

const publicUrl = (id) => `/tin-tuc/${row(id, 'slug')}`;

before(async () => {
	data = await initPortal();
	for (const u of Object.values(users)) await addUser(data, u);
	srv = await startServer(data);
	for (const k of Object.keys(users)) as[k] = await signIn(srv, users[k].login, users[k].password);
});
after(async () => {
	const log = srv ? srv.log() : '';
	await cleanup();
	assert.equal(sanitizerReports(log), '', 'no sanitizer reports in the server log');
});

/* ---- the whole workflow, in order ---------------------------------------------------------------------- */

describe('workflow: draft → review → returned → review → published → unpublished', () => {
	let id;
	const title = 'Tỉnh khánh thành cầu Bến Đò mới';

	test('an editor creates a draft: revision 1, history row, audit entry, slug from the title', async () => {
		id = await createDraft(as.ed1, { title, tags: 'giao thông, cầu, Giao Thông', then: 'save' });
		assert.equal(row(id, 'status'), 'draft');
		assert.equal(Number(row(id, 'revision')), 1);
		assert.equal(row(id, 'slug'), 'tinh-khanh-thanh-cau-ben-do-moi');
		assert.equal(Number(row(id, 'author_id')), Number(sql(data, `SELECT id FROM users WHERE login = '${users.ed1.login}'`)));
		assert.equal(revisions(id), 1);
		assert.equal(audits('article.create', id), 1);
		const page = await as.ed1.get(`/admin/articles/${id}`);
		assert.match(page.headers['cache-control'], /no-store/);
		assert.match(page.text, /class="status status-draft">Bản nháp</);
		assert.match(page.text, /role="status">Đã tạo bài viết\./, 'the flash after the redirect');
		/* tags: de-duplicated regardless of case and accents, sorted */
		const f = formFields(page.text, `/admin/articles/${id}`);
		assert.equal(f.tags, 'cầu, giao thông');
		assert.ok(!/role="status">Đã tạo bài viết/.test((await as.ed1.get(`/admin/articles/${id}`)).text), 'the flash shows once');
	});

	test('the editor edits: a new revision; the slug follows the title while never published', async () => {
		const f = await editForm(as.ed1, id);
		assert.equal(f.revision, '1');
		f.title = `${title} bắc qua sông Lam`;
		f.body = 'Đoạn một.\n\nĐoạn hai đã sửa.\n\nĐoạn ba.';
		const r = await as.ed1.post(`/admin/articles/${id}`, { ...f, then: 'save' });
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, `/admin/articles/${id}`);
		assert.equal(Number(row(id, 'revision')), 2);
		assert.equal(revisions(id), 2);
		assert.equal(row(id, 'slug'), 'tinh-khanh-thanh-cau-ben-do-moi-bac-qua-song-lam');
		assert.equal(Number(sql(data, `SELECT count(*) FROM article_old_slugs WHERE article_id = ${id}`)), 0,
			'a never-published slug leaves nothing to redirect');
		assert.equal(audits('article.edit', id), 1);
	});

	test('saving without changes writes no revision', async () => {
		const f = await editForm(as.ed1, id);
		const r = await as.ed1.post(`/admin/articles/${id}`, f);
		assert.equal(r.status, 303);
		assert.equal(Number(row(id, 'revision')), 2);
	});

	test('invalid input is refused with localized per-field errors and the text kept', async () => {
		const f = await editForm(as.ed1, id);
		const r = await as.ed1.post(`/admin/articles/${id}`, {
			...f,
			title: '   ',
			lead: 'x'.repeat(1001),
			body: 'Văn bản dài tôi vừa gõ, không được mất.',
			tags: Array.from({ length: 21 }, (_, i) => `thẻ ${i}`).join(', '),
			category_id: '999999',
			published_at: '2026-02-31T10:00',
		});
		assert.equal(r.status, 400);
		const kept = formFields(r.text, `/admin/articles/${id}`);
		assert.equal(kept.body, 'Văn bản dài tôi vừa gõ, không được mất.');
		assert.equal(kept.published_at, '2026-02-31T10:00');
		for (const [field, text] of [
			['title', 'Hãy nhập tiêu đề.'],
			['lead', 'Sapo quá dài'],
			['tags', 'Quá nhiều thẻ'],
			['category_id', 'Chuyên mục này không tồn tại.'],
			['published_at', 'Hãy nhập ngày giờ'],
		]) {
			assert.match(r.text, new RegExp(`<p class="field-error" id="${field}-error">${text}`), `error for ${field}`);
			const input = r.text.match(new RegExp(`<(?:input|textarea|select) id="${field}"[^>]*>`))[0];
			assert.match(input, /aria-invalid="true"/, `${field} is marked invalid`);
			assert.match(input, new RegExp(`aria-describedby="[^"]*${field}-error`), `${field} is described by its error`);
			assert.match(r.text, new RegExp(`<a href="#${field}">`), `the summary links to ${field}`);
		}
		assert.equal(Number(row(id, 'revision')), 2, 'nothing saved');
	});

	test('the editor submits for review and can no longer change the article', async () => {
		const r = await as.ed1.post(`/admin/articles/${id}/submit`, {});
		assert.equal(r.status, 303);
		assert.equal(row(id, 'status'), 'pending');
		assert.equal(audits('article.submit', id), 1);
		const page = await as.ed1.get(`/admin/articles/${id}`);
		assert.equal(page.status, 200, 'the editor may still read it');
		assert.match(page.text, /data-readonly="1"/);
		assert.ok(!page.text.includes('name="then" value="save"'), 'no save button');
		const f = formFields(page.text, `/admin/articles/${id}`);
		const save = await as.ed1.post(`/admin/articles/${id}`, { ...f, title: 'Sửa lén' });
		assert.equal(save.status, 403);
		assert.equal(row(id, 'title'), `${title} bắc qua sông Lam`);
	});

	test('another editor can neither read nor change it by id, and never sees its content', async () => {
		const secret = `${title} bắc qua sông Lam`;
		for (const path of [`/admin/articles/${id}`, `/admin/articles/${id}/history`, `/admin/articles/${id}/diff?from=1&to=2`,
			`/admin/articles/${id}/revisions/1`, `/admin/articles/${id}/delete`, `/en/admin/articles/${id}`]) {
			const r = await as.ed2.get(path);
			assert.ok(r.status === 404 || r.status === 403, `${path}: ${r.status}`);
			assert.ok(!r.text.includes(secret) && !r.text.includes('Đoạn hai đã sửa'), `${path} leaks nothing`);
		}
		const f = await editForm(as.pub, id);
		for (const [path, fields] of [
			[`/admin/articles/${id}`, { ...f, title: 'Chiếm quyền' }],
			[`/admin/articles/${id}/submit`, {}],
			[`/admin/articles/${id}/publish`, {}],
			[`/admin/articles/${id}/delete`, {}],
			[`/admin/articles/${id}/restore`, { revision: '1', current: '2' }],
			[`/admin/articles/${id}/translate`, { lang: 'en' }],
		]) {
			const r = await as.ed2.post(path, fields);
			assert.ok(r.status === 404 || r.status === 403, `POST ${path}: ${r.status}`);
			assert.ok(!r.text.includes(secret), `POST ${path} leaks nothing`);
		}
		const auto = await as.ed2.post('/admin/articles/autosave', { article: String(id), title: 'x' }, { csrf: false, headers: { 'x-csrf-token': as.ed2.csrf } });
		assert.equal(auto.status, 404);
		const list = await as.ed2.get(`/admin/articles?author=${sql(data, `SELECT id FROM users WHERE login = '${users.ed1.login}'`)}`);
		assert.equal(list.status, 200);
		assert.ok(!list.text.includes(secret), "another editor's list does not show it, whatever the filter");
		assert.equal(row(id, 'title'), secret);
		assert.equal(row(id, 'status'), 'pending');
	});

	test('an editor cannot publish, return or unpublish', async () => {
		for (const act of ['publish', 'return', 'unpublish', 'schedule']) {
			const r = await as.ed1.post(`/admin/articles/${id}/${act}`, { review_comment: 'x', published_at: localTime(Date.now() + 3600e3) });
			assert.equal(r.status, 403, `${act}: ${r.status}`);
		}
		assert.equal(row(id, 'status'), 'pending');
	});

	test('a publisher must write a comment to return it', async () => {
		const r = await as.pub.post(`/admin/articles/${id}/return`, { review_comment: '  ' });
		assert.equal(r.status, 400);
		assert.match(r.text, /id="review_comment-error">Hãy viết nhận xét cho tác giả\./);
		assert.equal(row(id, 'status'), 'pending');
	});

	test('the publisher returns it with a comment; the editor sees the comment', async () => {
		const comment = 'Cần bổ sung số liệu tổng vốn đầu tư.\nKiểm tra lại tên cầu.';
		const f = await editForm(as.pub, id);
		const r = await as.pub.post(`/admin/articles/${id}`, { ...f, review_comment: comment, then: 'return' });
		assert.equal(r.status, 303);
		assert.equal(row(id, 'status'), 'returned');
		assert.equal(row(id, 'review_comment'), comment);
		assert.equal(audits('article.return', id), 1);
		const page = await as.ed1.get(`/admin/articles/${id}`);
		assert.match(page.text, /class="status status-returned">Bị trả lại</);
		assert.ok(page.text.includes('Cần bổ sung số liệu tổng vốn đầu tư.'), 'the comment is shown to the editor');
		const list = await as.ed1.get('/admin/articles?status=returned');
		assert.ok(list.text.includes('Có nhận xét'), 'the list marks articles with a comment');
	});

	test('the editor fixes the text and resubmits in one step', async () => {
		const f = await editForm(as.ed1, id);
		assert.equal(f.revision, '2');
		const r = await as.ed1.post(`/admin/articles/${id}`, { ...f, body: `${f.body}\n\nTổng vốn đầu tư 1.200 tỷ đồng.`, then: 'submit' });
		assert.equal(r.status, 303);
		assert.equal(row(id, 'status'), 'pending');
		assert.equal(Number(row(id, 'revision')), 3);
		assert.equal(audits('article.submit', id), 2);
	});

	test('the publisher publishes it: it appears on the public home page at once', async () => {
		/* the home page is in the page cache before */
		await request(srv, '/');
		const cached = await request(srv, '/');
		assert.ok(!cached.text.includes(title));
		const r = await as.pub.post(`/admin/articles/${id}/publish`, {});
		assert.equal(r.status, 303);
		assert.equal(row(id, 'status'), 'published');
		assert.equal(audits('article.publish', id), 1);
		const home = await request(srv, '/');
		assert.equal(home.status, 200);
		assert.ok(home.text.includes(`${title} bắc qua sông Lam`), 'the new article is on the home page');
		const art = await request(srv, publicUrl(id));
		assert.equal(art.status, 200);
		assert.ok(art.text.includes('Tổng vốn đầu tư 1.200 tỷ đồng.'));
		/* the editor may read it, not change it */
		const page = await as.ed1.get(`/admin/articles/${id}`);
		assert.match(page.text, /data-readonly="1"/);
		assert.ok(page.text.includes(`href="${publicUrl(id)}"`), 'a link to the public page');
	});

	test('once published, a changed title keeps the slug; an explicit new slug keeps the old URL redirecting', async () => {
		const old = row(id, 'slug');
		let f = await editForm(as.pub, id);
		let r = await as.pub.post(`/admin/articles/${id}`, { ...f, title: 'Khánh thành cầu Bến Đò' });
		assert.equal(r.status, 303);
		assert.equal(row(id, 'slug'), old, 'the published slug stays');
		f = await editForm(as.pub, id);
		r = await as.pub.post(`/admin/articles/${id}`, { ...f, slug: 'Cầu Bến Đò' });
		assert.equal(r.status, 303);
		assert.equal(row(id, 'slug'), 'cau-ben-do');
		const moved = await request(srv, `/tin-tuc/${old}`);
		assert.equal(moved.status, 301);
		assert.equal(moved.headers.location, '/tin-tuc/cau-ben-do');
		const home = await request(srv, '/');
		assert.ok(home.text.includes('Khánh thành cầu Bến Đò'), 'an edit of a published article shows at once');
		/* a slug another article uses is refused */
		f = await editForm(as.pub, id);
		const other = sql(data, 'SELECT slug FROM articles WHERE id = 2');
		r = await as.pub.post(`/admin/articles/${id}`, { ...f, slug: other });
		assert.equal(r.status, 400);
		assert.match(r.text, /id="slug-error">Một bài viết khác đã dùng địa chỉ này\./);
	});

	test('a published article cannot be deleted', async () => {
		const r = await as.pub.post(`/admin/articles/${id}/delete`, {});
		assert.equal(r.status, 403);
		assert.equal(row(id, 'status'), 'published');
	});

	test('unpublishing removes it from the public pages at once', async () => {
		const url = publicUrl(id);
		await request(srv, url);
		assert.equal((await request(srv, url)).status, 200, 'the article page is cached');
		assert.equal((await request(srv, '/tin-tuc')).status, 200);
		const r = await as.pub.post(`/admin/articles/${id}/unpublish`, {});
		assert.equal(r.status, 303);
		assert.equal(row(id, 'status'), 'unpublished');
		assert.equal(audits('article.unpublish', id), 1);
		assert.equal((await request(srv, url)).status, 404);
		const home = await request(srv, '/');
		assert.ok(!home.text.includes('Khánh thành cầu Bến Đò'));
		const all = await request(srv, '/tin-tuc');
		assert.ok(!all.text.includes('Khánh thành cầu Bến Đò'));
	});
});

/* ---- scheduling ------------------------------------------------------------------------------------ */

describe('scheduled publishing', () => {
	let id;
	test('a publisher schedules an article a couple of minutes ahead: scheduled, not public yet', async () => {
		id = await createDraft(as.ed1, { title: 'Thông báo lịch tiếp công dân tháng 12' });
		await as.ed1.post(`/admin/articles/${id}/submit`, {});
		const when = localTime(Date.now() + 120e3);
		const f = await editForm(as.pub, id);
		const r = await as.pub.post(`/admin/articles/${id}`, { ...f, published_at: when, then: 'schedule' });
		assert.equal(r.status, 303, r.text.slice(0, 300));
		assert.equal(row(id, 'status'), 'scheduled');
		const at = Number(row(id, 'published_at'));
		assert.equal(at % 60, 0, 'minute precision');
		assert.equal(localTime(at * 1000), when);
		assert.equal(audits('article.schedule', id), 1);
		assert.equal((await request(srv, publicUrl(id))).status, 404);
		const list = await as.pub.get('/admin/articles?status=scheduled');
		assert.ok(list.text.includes('Thông báo lịch tiếp công dân tháng 12'));
		assert.match(list.text, /class="status status-scheduled">Đã hẹn giờ</);
		const page = await as.pub.get(`/admin/articles/${id}`);
		assert.match(page.text, /xuất bản lúc/);
	});

	test('a time in the past cannot be scheduled', async () => {
		const other = await createDraft(as.pub, { title: 'Lịch cũ' });
		const f = await editForm(as.pub, other);
		const r = await as.pub.post(`/admin/articles/${other}`, { ...f, published_at: localTime(Date.now() - 3600e3), then: 'schedule' });
		assert.equal(r.status, 400);
		assert.match(r.text, /id="published_at-error">Hãy chọn thời điểm trong tương lai\./);
		assert.equal(row(other, 'status'), 'draft');
	});

	test('when its time comes the server publishes it by itself', async () => {
		sql(data, `UPDATE articles SET published_at = ${Math.floor(Date.now() / 1000) - 60} WHERE id = ${id}`);
		const done = await poll(() => row(id, 'status') === 'published', 3000);
		assert.ok(done, 'published within three seconds');
		assert.equal((await request(srv, publicUrl(id))).status, 200);
		assert.equal(Number(sql(data, `SELECT count(*) FROM audit_log WHERE action = 'article.publish' AND object_id = ${id} AND login = 'system'`)), 1);
	});
});

/* ---- optimistic locking, CSRF ------------------------------------------------------------------------ */

describe('two people editing the same article', () => {
	test('the second save gets 409 with its text kept, a clear message and links to the newer version', async () => {
		const id = await createDraft(as.ed1, { title: 'Hội nghị tổng kết năm' });
		const mine = await editForm(as.ed1, id);
		const theirs = await editForm(as.pub, id);
		let r = await as.pub.post(`/admin/articles/${id}`, { ...theirs, body: 'Bản của người duyệt.' });
		assert.equal(r.status, 303);
		const typed = 'Bản tôi gõ rất lâu <không được mất> & phải giữ nguyên.';
		r = await as.ed1.post(`/admin/articles/${id}`, { ...mine, body: typed });
		assert.equal(r.status, 409);
		const kept = formFields(r.text, `/admin/articles/${id}`);
		assert.equal(kept.body, typed, 'the text is kept in the form');
		assert.equal(kept.revision, '2', 'the form now carries the newer revision');
		assert.match(r.text, /Người khác đã lưu bài viết này trước bạn/);
		assert.ok(r.text.includes(`href="/admin/articles/${id}/revisions/2"`), 'a link to the newer version');
		assert.ok(r.text.includes(`href="/admin/articles/${id}/diff?from=1&amp;to=2"`), 'a link to what changed');
		assert.equal(row(id, 'body'), 'Bản của người duyệt.', 'the stale save changed nothing');
		assert.equal(Number(row(id, 'revision')), 2);
		/* saving again after looking is a deliberate overwrite */
		r = await as.ed1.post(`/admin/articles/${id}`, kept);
		assert.equal(r.status, 303);
		assert.equal(row(id, 'body'), typed);
	});
});

describe('CSRF', () => {
	test('a POST without or with a wrong token gets 403 and changes nothing', async () => {
		const id = await createDraft(as.ed1, { title: 'Bài chống giả mạo' });
		const f = await editForm(as.ed1, id);
		for (const [opts, fields] of [[{ csrf: false }, {}], [{}, { csrf: 'x'.repeat(64) }]]) {
			for (const [path, extra] of [
				[`/admin/articles/${id}`, { ...f, title: 'Bị đổi' }],
				[`/admin/articles/${id}/submit`, {}],
				[`/admin/articles/${id}/delete`, {}],
				['/admin/articles/new', { ...f, title: 'Bài giả' }],
				['/admin/articles/autosave', { article: String(id), title: 'x' }],
				['/admin/articles/preview-fragment', { body: 'x' }],
			]) {
				const r = await as.ed1.post(path, { ...extra, ...fields, csrf: fields.csrf }, opts);
				assert.equal(r.status, 403, `${path} ${JSON.stringify(opts)}: ${r.status}`);
			}
		}
		assert.equal(row(id, 'title'), 'Bài chống giả mạo');
		assert.equal(row(id, 'status'), 'draft');
		assert.equal(Number(sql(data, "SELECT count(*) FROM articles WHERE title = 'Bài giả'")), 0);
		const wrongHeader = await as.ed1.post('/admin/articles/preview-fragment', { body: 'x' }, { csrf: false, headers: { 'x-csrf-token': 'nope' } });
		assert.equal(wrongHeader.status, 403);
	});

	test('no state changes on GET', async () => {
		const id = await createDraft(as.ed1, { title: 'Bài không đổi khi GET' });
		for (const path of [`/admin/articles/${id}/submit`, `/admin/articles/${id}/delete`, `/admin/articles/${id}/publish`])
			await as.ed1.get(path);
		assert.equal(row(id, 'status'), 'draft');
	});

	test('signed-out requests are sent to the login page or refused', async () => {
		const r = await request(srv, '/admin/articles');
		assert.equal(r.status, 303);
		assert.match(r.headers.location, /^\/dang-nhap\?next=/);
		const p = await request(srv, '/admin/articles/new', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' });
		assert.equal(p.status, 401);
	});
});

/* ---- revisions ----------------------------------------------------------------------------------------- */

describe('revisions, diff and restore', () => {
	let id;
	test('the history lists every revision with who and when', async () => {
		id = await createDraft(as.ed1, { title: 'Kế hoạch chuyển đổi số', body: 'Dòng một\nDòng hai\nDòng ba\nDòng bốn' });
		let f = await editForm(as.ed1, id);
		await as.ed1.post(`/admin/articles/${id}`, { ...f, body: 'Dòng một\nDòng hai đã sửa\nDòng ba\nDòng bốn\nDòng năm' });
		f = await editForm(as.ed1, id);
		await as.ed1.post(`/admin/articles/${id}`, { ...f, title: 'Kế hoạch chuyển đổi số năm 2027' });
		const r = await as.ed1.get(`/admin/articles/${id}/history`);
		assert.equal(r.status, 200);
		for (const n of [1, 2, 3]) assert.ok(r.text.includes(`href="/admin/articles/${id}/revisions/${n}"`), `revision ${n} listed`);
		assert.equal((r.text.match(new RegExp(users.ed1.name, 'g')) || []).length >= 3, true, 'who saved each revision');
		assert.match(r.text, /<label for="from-1" class="visually-hidden">/, 'the compare radios are labelled');
	});

	test('the diff shows removed and added lines as an accessible table', async () => {
		const r = await as.ed1.get(`/admin/articles/${id}/diff?from=1&to=2`);
		assert.equal(r.status, 200);
		assert.match(r.text, /<tr class="diff-del">[\s\S]*?<del><span class="visually-hidden">Xóa: <\/span>Dòng hai<\/del>/);
		assert.match(r.text, /<tr class="diff-ins">[\s\S]*?<ins><span class="visually-hidden">Thêm: <\/span>Dòng hai đã sửa<\/ins>/);
		assert.match(r.text, /<ins><span class="visually-hidden">Thêm: <\/span>Dòng năm<\/ins>/);
		assert.match(r.text, /<th scope="col">Dòng cũ<\/th>/);
		assert.ok(!/<del>[^<]*Dòng ba/.test(r.text), 'unchanged lines are not marked');
		const t = await as.ed1.get(`/admin/articles/${id}/diff?from=2&to=3`);
		assert.match(t.text, /<del><span class="visually-hidden">Xóa: <\/span>Kế hoạch chuyển đổi số<\/del>/);
		const same = await as.ed1.get(`/admin/articles/${id}/diff?from=2&to=2`);
		assert.match(same.text, /Hai phiên bản này có nội dung giống nhau\./);
		assert.equal((await as.ed1.get(`/admin/articles/${id}/diff?from=1&to=99`)).status, 404);
	});

	test('a revision can be viewed and restored, which makes a new revision', async () => {
		const v = await as.ed1.get(`/admin/articles/${id}/revisions/1`);
		assert.equal(v.status, 200);
		assert.ok(v.text.includes('Dòng hai'));
		const r = await as.ed1.post(`/admin/articles/${id}/restore`, { revision: '1', current: '3' });
		assert.equal(r.status, 303);
		assert.equal(Number(row(id, 'revision')), 4);
		assert.equal(row(id, 'body'), 'Dòng một\nDòng hai\nDòng ba\nDòng bốn');
		assert.equal(row(id, 'title'), 'Kế hoạch chuyển đổi số');
		assert.equal(audits('article.restore', id), 1);
		/* a stale restore is refused */
		const stale = await as.ed1.post(`/admin/articles/${id}/restore`, { revision: '2', current: '3' });
		assert.equal(stale.status, 409);
		assert.equal(Number(row(id, 'revision')), 4);
	});

	test('a demo article without history shows its text as revision 1 and keeps it on the first save', async () => {
		const demo = Number(sql(data, "SELECT id FROM articles WHERE status = 'published' AND lang = 'vi' AND id NOT IN (SELECT article_id FROM article_revisions) ORDER BY id LIMIT 1"));
		const oldBody = row(demo, 'body');
		const h = await as.pub.get(`/admin/articles/${demo}/history`);
		assert.equal(h.status, 200);
		assert.ok(h.text.includes(`/admin/articles/${demo}/revisions/1"`));
		const f = await editForm(as.pub, demo);
		const r = await as.pub.post(`/admin/articles/${demo}`, { ...f, body: `${f.body}\n\nCập nhật thêm.` });
		assert.equal(r.status, 303);
		assert.equal(revisions(demo), 2, 'the imported text became revision 1');
		assert.equal(sql(data, `SELECT body FROM article_revisions WHERE article_id = ${demo} AND revision = 1`), oldBody);
		const d = await as.pub.get(`/admin/articles/${demo}/diff?from=1&to=2`);
		assert.match(d.text, /<ins><span class="visually-hidden">Thêm: <\/span>Cập nhật thêm\.<\/ins>/);
	});
});

/* ---- preview, autosave -------------------------------------------------------------------------------- */

describe('preview and autosave', () => {
	test('Preview renders the unsaved text with the public article template, privately', async () => {
		const page = await as.ed1.get('/admin/articles/new');
		assert.match(page.text, /formaction="\/admin\/articles\/preview" formtarget="_blank"/);
		const r = await as.ed1.post('/admin/articles/preview', {
			lang: 'en', title: 'Unsaved preview title', lead: 'A lead', body: '## Section\n\nSome **bold** text.', tags: 'alpha, beta',
			category_id: String(categoryId()),
		});
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		assert.match(r.text, /<html lang="en"/);
		assert.match(r.text, /<h1 class="article-title">Unsaved preview title<\/h1>/);
		assert.ok(r.text.includes('<h3>Section</h3>') && r.text.includes('<strong>bold</strong>'));
		assert.ok(r.text.includes('<li>alpha</li>') && r.text.includes('<li>beta</li>'));
		assert.equal(Number(sql(data, "SELECT count(*) FROM articles WHERE title = 'Unsaved preview title'")), 0, 'nothing saved');
	});

	test('the live preview fragment is sanitized Markdown, with the CSRF token in a header', async () => {
		const r = await as.ed1.post('/admin/articles/preview-fragment', { body: '**hi** <script>alert(1)</script> [x](javascript:alert(1))' },
			{ csrf: false, headers: { 'x-csrf-token': as.ed1.csrf } });
		assert.equal(r.status, 200);
		assert.ok(r.text.includes('<strong>hi</strong>'));
		assert.ok(!r.text.includes('<script>'));
		assert.ok(!r.text.includes('javascript:'));
	});

	test('autosave stores the form, and the editor offers to restore it', async () => {
		const id = await createDraft(as.ed1, { title: 'Bài có bản tự lưu' });
		const r = await as.ed1.post('/admin/articles/autosave', { article: String(id), title: 'Bài có bản tự lưu', body: 'Chữ chưa lưu, trình duyệt bị đóng.' },
			{ csrf: false, headers: { 'x-csrf-token': as.ed1.csrf } });
		assert.equal(r.status, 200);
		assert.equal(JSON.parse(r.text).ok, true);
		const data1 = JSON.parse(sql(data, `SELECT data FROM autosaves WHERE article_id = ${id}`));
		assert.equal(data1.body, 'Chữ chưa lưu, trình duyệt bị đóng.');
		const page = await as.ed1.get(`/admin/articles/${id}`);
		assert.match(page.text, /class="notice autosave-offer"/);
		assert.ok(page.text.includes(`href="/admin/articles/${id}?restore=autosave"`));
		const restored = await as.ed1.get(`/admin/articles/${id}?restore=autosave`);
		assert.equal(formFields(restored.text, `/admin/articles/${id}`).body, 'Chữ chưa lưu, trình duyệt bị đóng.');
		/* saving drops the autosave */
		const f = formFields(restored.text, `/admin/articles/${id}`);
		assert.equal((await as.ed1.post(`/admin/articles/${id}`, f)).status, 303);
		assert.equal(Number(sql(data, `SELECT count(*) FROM autosaves WHERE article_id = ${id}`)), 0);
		assert.equal(row(id, 'body'), 'Chữ chưa lưu, trình duyệt bị đóng.');
	});

	test('a new article has its own autosave (article 0), and it can be discarded', async () => {
		const r = await as.ed2.post('/admin/articles/autosave', { article: '0', title: 'Bài mới chưa lưu', body: 'Nội dung' },
			{ csrf: false, headers: { 'x-csrf-token': as.ed2.csrf } });
		assert.equal(r.status, 200);
		const page = await as.ed2.get('/admin/articles/new');
		assert.match(page.text, /class="notice autosave-offer"/);
		const d = await as.ed2.post('/admin/articles/0/autosave-discard', {});
		assert.equal(d.status, 303);
		const again = await as.ed2.get('/admin/articles/new');
		assert.ok(!/class="notice autosave-offer"/.test(again.text));
	});

	test('the editor page loads editor.js with defer and has no inline script or style', async () => {
		const id = await createDraft(as.ed1, { title: 'Bài kiểm tra CSP' });
		const page = await as.ed1.get(`/admin/articles/${id}`);
		const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
		assert.ok(scripts.length >= 1);
		for (const s of scripts) assert.match(s, /<script src="\/static\/js\/editor\.[0-9a-f]+\.js" defer>/);
		assert.ok(!/\sstyle="/.test(page.text), 'no style attributes');
		assert.ok(!/\son[a-z]+="/.test(page.text), 'no event-handler attributes');
		const js = await request(srv, scripts[0].match(/src="([^"]+)"/)[1]);
		assert.equal(js.status, 200);
		assert.match(js.headers['content-type'], /javascript/);
		/* every input and textarea of the form has a label */
		for (const m of page.text.matchAll(/<(?:input|textarea|select)\b[^>]*\sid="([^"]+)"[^>]*>/g)) {
			if (/type="hidden"/.test(m[0])) continue;
			assert.ok(page.text.includes(`<label for="${m[1]}"`), `a label for #${m[1]}`);
		}
	});
});

/* ---- lists ------------------------------------------------------------------------------------------ */

describe('lists', () => {
	test('editors see only their own articles; publishers see all and can filter by author', async () => {
		const mine = await as.ed2.get('/admin/articles');
		assert.equal(mine.status, 200);
		assert.ok(!mine.text.includes('Bài nháp thử nghiệm') && !mine.text.includes('Hội nghị tổng kết năm'));
		assert.ok(!mine.text.includes('id="f-author"'), 'no author filter for editors');
		const all = await as.pub.get('/admin/articles');
		assert.ok(all.text.includes('id="f-author"'));
		const ed1 = sql(data, `SELECT id FROM users WHERE login = '${users.ed1.login}'`);
		const f = await as.pub.get(`/admin/articles?author=${ed1}&status=draft`);
		assert.ok(f.text.includes('Bài có bản tự lưu'));
		assert.ok(!f.text.includes('Kế hoạch chuyển đổi số năm 2027') || true);
	});

	test('filters: state, language, category, search in the title ignoring accents; pagination keeps the filters', async () => {
		const r = await as.pub.get('/admin/articles?q=hoi%20nghi%20tong%20ket');
		assert.ok(r.text.includes('Hội nghị tổng kết năm'));
		assert.match(r.text, /<span class="colon">Số bài tìm thấy<\/span> 1</);
		const en = await as.pub.get('/admin/articles?lang=en');
		assert.match(en.text, /<span class="colon">Số bài tìm thấy<\/span> 10</);
		const p1 = await as.pub.get('/admin/articles?status=published');
		assert.match(p1.text, /href="\/admin\/articles\?status=published&amp;page=2" rel="next"/);
		const cat = await as.pub.get(`/admin/articles?category=${categoryId()}&lang=vi`);
		assert.equal(cat.status, 200);
		assert.match(cat.text, new RegExp(`<option value="${categoryId()}" selected>`));
	});

	test('the list and the editor are localized under /en and /zh', async () => {
		const en = await as.pub.get('/en/admin/articles');
		assert.equal(en.status, 200);
		assert.match(en.text, /<h1>Articles<\/h1>/);
		assert.match(en.text, /class="status status-published">Published</);
		const zh = await as.pub.get('/zh/admin/articles/new');
		assert.equal(zh.status, 200);
		assert.match(zh.text, /提交审核/);
		assert.ok(zh.text.includes('action="/zh/admin/articles/new"'));
	});
});

/* ---- translations ---------------------------------------------------------------------------------- */

describe('translations', () => {
	let orig, tr;
	test('a publisher creates the English version of a Vietnamese article', async () => {
		orig = await createDraft(as.pub, { title: 'Lễ hội đua thuyền truyền thống', body: 'Đoạn gốc.' });
		const r = await as.pub.post(`/admin/articles/${orig}/translate`, { lang: 'en' });
		assert.equal(r.status, 303);
		tr = idFrom(r.headers.location);
		assert.ok(tr && tr !== orig);
		assert.equal(row(tr, 'lang'), 'en');
		assert.equal(Number(row(tr, 'group_id')), orig);
		assert.equal(row(tr, 'status'), 'draft');
		assert.equal(Number(row(tr, 'source_revision')), Number(row(orig, 'revision')));
		const again = await as.pub.post(`/admin/articles/${orig}/translate`, { lang: 'en' });
		assert.equal(again.status, 303);
		assert.equal(idFrom(again.headers.location), tr, 'an existing translation is opened, not duplicated');
		const page = await as.pub.get(`/admin/articles/${orig}`);
		assert.ok(page.text.includes(`href="/admin/articles/${tr}"`), 'the original links to its translation');
		assert.ok(!/Outdated translation|Bản dịch đã cũ/.test(page.text));
	});

	test('each translation has its own state', async () => {
		const f = await editForm(as.pub, tr);
		const r = await as.pub.post(`/admin/articles/${tr}`, { ...f, title: 'Traditional boat racing festival', body: 'Translated.', then: 'publish' });
		assert.equal(r.status, 303);
		assert.equal(row(tr, 'status'), 'published');
		assert.equal(row(orig, 'status'), 'draft');
		assert.equal(row(tr, 'slug'), 'traditional-boat-racing-festival', 'until first published the slug follows the (translated) title');
	});

	test('a change to the original marks the translation outdated in the list and the editor', async () => {
		const f = await editForm(as.pub, orig);
		await as.pub.post(`/admin/articles/${orig}`, { ...f, body: 'Đoạn gốc đã bổ sung.' });
		const list = await as.pub.get('/admin/articles?lang=en');
		const line = list.text.match(new RegExp(`<a href="/admin/articles/${tr}"[\\s\\S]*?</td>`))[0];
		assert.match(line, /Bản dịch đã cũ/);
		const page = await as.pub.get(`/admin/articles/${tr}`);
		assert.match(page.text, /class="notice notice-warn"/);
		assert.ok(page.text.includes(`/admin/articles/${orig}/diff?from=1&amp;to=2`), 'a link to what changed in the original');
		/* marking it up to date clears the marker */
		const tf = formFields(page.text, `/admin/articles/${tr}`);
		await as.pub.post(`/admin/articles/${tr}`, { ...tf, body: 'Translated, with the addition.', sync_source: '1' });
		assert.equal(Number(row(tr, 'source_revision')), Number(row(orig, 'revision')));
		const list2 = await as.pub.get('/admin/articles?lang=en');
		const line2 = list2.text.match(new RegExp(`<a href="/admin/articles/${tr}"[\\s\\S]*?</td>`))[0];
		assert.ok(!/Bản dịch đã cũ/.test(line2));
	});

	test('an original with translations cannot be deleted; a translation cannot be translated', async () => {
		const d = await as.pub.post(`/admin/articles/${orig}/delete`, {});
		assert.equal(d.status, 409);
		assert.ok(row(orig, 'id'));
		const t = await as.pub.post(`/admin/articles/${tr}/translate`, { lang: 'zh' });
		assert.equal(t.status, 403);
	});
});

/* ---- deleting -------------------------------------------------------------------------------------- */

describe('deleting', () => {
	test('an editor deletes their own draft after a confirmation page', async () => {
		const id = await createDraft(as.ed1, { title: 'Bài sẽ bị xóa' });
		const c = await as.ed1.get(`/admin/articles/${id}/delete`);
		assert.equal(c.status, 200);
		assert.ok(c.text.includes(`action="/admin/articles/${id}/delete"`));
		const r = await as.ed1.post(`/admin/articles/${id}/delete`, {});
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/admin/articles');
		assert.equal(row(id, 'count(*)'), '0');
		assert.equal(revisions(id), 0);
		assert.equal(audits('article.delete', id), 1);
		assert.equal((await as.ed1.get(`/admin/articles/${id}`)).status, 404);
	});
});

/* ---- escaping ------------------------------------------------------------------------------------------ */

describe('XSS payloads are shown as text everywhere', () => {
	const payload = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
	test('title, lead, body, tags, caption and alt are escaped on the staff and public pages', async () => {
		const cover = sql(data, 'SELECT id FROM media ORDER BY id LIMIT 1');
		const id = await createDraft(as.pub, {
			title: `Tiêu đề ${payload}`,
			lead: `Sapo ${payload}`,
			body: `Thân bài ${payload}\n\n[bấm](javascript:alert(3))\n\n![ảnh](javascript:alert(4))`,
			tags: `thẻ ${payload}`,
			cover_id: cover,
			cover_caption: `Chú thích ${payload}`,
			cover_alt: `Alt ${payload}`,
			author: `Tác giả ${payload}`,
			then: 'publish',
		});
		assert.equal(row(id, 'status'), 'published');
		const pages = [
			await as.pub.get(`/admin/articles/${id}`),
			await as.pub.get('/admin/articles'),
			await as.pub.get(`/admin/articles/${id}/history`),
			await as.pub.get(`/admin/articles/${id}/revisions/1`),
			await request(srv, publicUrl(id)),
			await request(srv, '/'),
		];
		for (const p of pages) {
			assert.equal(p.status, 200);
			assert.ok(!p.text.includes('<script>alert'), 'no live script tag');
			assert.ok(!p.text.includes('<img src=x'), 'no live img tag');
			assert.ok(!/(?:href|src)="\s*javascript:/i.test(p.text), 'no javascript: URL in a link or image');
			assert.ok(p.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the payload shows as text');
		}
		const pub = pages[4].text;
		assert.ok(pub.includes(`<h1 class="article-title">Tiêu đề &lt;script&gt;`));
		assert.ok(pub.includes('<li>thẻ &lt;script&gt;alert(1)&lt;/script&gt;'));
		assert.ok(pub.includes('<figcaption>Chú thích &lt;script&gt;'));
		/* the preview too */
		const pv = await as.pub.post('/admin/articles/preview', { title: payload, lead: payload, body: payload, tags: payload, category_id: String(categoryId()) });
		assert.ok(!pv.text.includes('<script>alert') && !pv.text.includes('<img src=x'));
	});
});
