// The procedure catalog (svc/catalog*.c, admin/catalog.c, api/procedures.c): public browsing, filters and
// search without accents, a procedure page with every field of the national catalog, form downloads, the
// path from the home page in three clicks, the JSON API, the staff pages (admins only, CSRF), and the CSV
// import from the command line and the staff area with its report of bad rows.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { addUser, cleanup, formFields, h1, initPortal, request, runCong, sanitizerReports, signIn, sql, startServer, tempDir, unescapeHtml } from './helpers.mjs';

let data, srv;
const users = {
	admin: { login: 'cat-admin', role: 'admin', password: 'Danh-muc-thu-tuc-2026' },
	editor: { login: 'cat-editor', role: 'editor', password: 'Bien-tap-vien-thu-tuc' },
	publisher: { login: 'cat-publisher', role: 'publisher', password: 'Nguoi-duyet-thu-tuc-9' },
};
const as = {};

before(async () => {
	data = await initPortal();
	for (const u of Object.values(users)) await addUser(data, u);
	srv = await startServer(data);
	for (const role of Object.keys(users)) as[role] = await signIn(srv, users[role].login, users[role].password);
});
after(async () => {
	const log = srv ? srv.log() : '';
	await cleanup();
	assert.equal(sanitizerReports(log), '');
});

const links = (html) => [...html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ url: unescapeHtml(m[1]), text: unescapeHtml(m[2].replace(/<[^>]*>/g, '')).trim() }));
const procNames = (html) => [...html.matchAll(/<h3 class="proc-name"><a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ url: m[1], name: unescapeHtml(m[2]) }));

describe('public pages', () => {
	test('the demo catalog has 30+ published procedures over several agencies, each with 2+ documents', () => {
		assert.ok(Number(sql(data, 'SELECT count(*) FROM procedures WHERE published = 1')) >= 30);
		assert.ok(Number(sql(data, 'SELECT count(DISTINCT agency_id) FROM procedures')) >= 5);
		assert.equal(sql(data, 'SELECT count(*) FROM procedures p WHERE (SELECT count(*) FROM procedure_docs d WHERE d.procedure_id = p.id) < 2'), '0');
		assert.ok(Number(sql(data, "SELECT count(*) FROM procedure_i18n WHERE lang = 'en'")) >= 5);
	});

	test('three clicks from the home page: menu → procedure → submit', async () => {
		for (const [home, idx, submit] of [['/', '/thu-tuc', '/nop-ho-so'], ['/en/', '/en/procedures', '/submit'], ['/zh/', '/zh/procedures', '/submit']]) {
			const h = await request(srv, home);
			assert.ok(links(h.text).some((l) => l.url === idx), `${home} links to ${idx}`);
			const list = await request(srv, idx);
			assert.equal(list.status, 200);
			const first = procNames(list.text)[0];
			assert.ok(first, 'the index lists procedures');
			const page = await request(srv, first.url);
			assert.equal(page.status, 200);
			const sub = links(page.text).find((l) => l.url.endsWith(submit));
			assert.ok(sub, `the procedure page links to the submission form (${submit})`);
			assert.equal(sub.url, `${first.url}${submit}`);
		}
	});

	test('search without accents finds accented names, and the reverse', async () => {
		for (const q of ['khai sinh', 'KHAI SINH', 'khai sinh', 'đăng ký khai sinh', 'dang ky khai sinh', '1.001193']) {
			const r = await request(srv, `/thu-tuc?q=${encodeURIComponent(q)}`);
			assert.equal(r.status, 200);
			assert.ok(procNames(r.text).some((p) => p.name === 'Đăng ký khai sinh'), `"${q}" finds Đăng ký khai sinh`);
		}
		const none = await request(srv, '/thu-tuc?q=%25%25_xyz');
		assert.equal(procNames(none.text).length, 0, 'LIKE wildcards in the query are text');
		const en = await request(srv, '/en/procedures?q=birth');
		assert.ok(procNames(en.text).some((p) => p.name === 'Birth registration'));
	});

	test('filters by field, agency and level, and paging', async () => {
		const f = await request(srv, '/thu-tuc?field=ho-tich');
		const names = procNames(f.text).map((p) => p.name);
		assert.ok(names.includes('Đăng ký kết hôn') && !names.includes('Cấp giấy phép xây dựng nhà ở riêng lẻ'));
		const a = await request(srv, '/thu-tuc?agency=000.00.12.H50');
		assert.ok(procNames(a.text).every((p) => /xây dựng|công trình/i.test(p.name)), 'only the Department of Construction');
		const xa = procNames((await request(srv, '/thu-tuc?level=xa')).text).map((p) => p.name);
		assert.ok(xa.includes('Đăng ký khai sinh') && !xa.includes('Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam'));
		const p1 = await request(srv, '/thu-tuc'), p2 = await request(srv, '/thu-tuc?page=2');
		assert.equal(p2.status, 200);
		assert.equal(procNames(p1.text).length, 20);
		assert.ok(procNames(p2.text).length > 0);
		assert.ok(!procNames(p2.text).some((p) => procNames(p1.text).some((q) => q.url === p.url)), 'pages do not overlap');
		assert.equal((await request(srv, '/thu-tuc?page=99')).status, 404);
		assert.ok(p1.text.includes('href="/thu-tuc?page=2"'));
	});

	test('a procedure page shows every field of the national catalog', async () => {
		const r = await request(srv, '/thu-tuc/1.009994');
		assert.equal(r.status, 200);
		assert.equal(h1(r.text), 'Cấp giấy phép xây dựng nhà ở riêng lẻ');
		for (const heading of ['Mã thủ tục', 'Lĩnh vực', 'Cơ quan thực hiện', 'Cấp thực hiện', 'Thời hạn giải quyết', 'Mức độ dịch vụ công trực tuyến',
			'Trình tự thực hiện', 'Cách thức thực hiện', 'Thành phần hồ sơ', 'Đối tượng thực hiện', 'Kết quả thực hiện', 'Phí, lệ phí',
			'Biểu mẫu', 'Yêu cầu, điều kiện', 'Căn cứ pháp lý'])
			assert.ok(r.text.includes(`>${heading}<`), `heading ${heading}`);
		assert.ok(r.text.includes('1.009994') && r.text.includes('Sở Xây dựng tỉnh Sông Lam') && r.text.includes('15 ngày làm việc'));
		assert.ok(r.text.includes('Một phần') && r.text.includes('Cấp tỉnh'));
		assert.ok(r.text.includes('<td>Hai bộ bản vẽ thiết kế xây dựng</td><td lang="vi">02 bản chính</td><td>Bắt buộc</td>'));
		assert.ok(r.text.includes('Không bắt buộc'), 'an optional document');
		assert.ok(r.text.includes('<li>Luật Xây dựng số 50/2014/QH13'), 'legal basis rendered from Markdown');
		assert.match(r.text, /href="\/bieu-mau\/\d+" download>Đơn đề nghị cấp giấy phép xây dựng/);
		assert.equal(r.headers['cache-control'].startsWith('public'), true);
		assert.equal((await request(srv, '/thu-tuc/2.002230')).status, 404, 'an unpublished procedure is hidden');
		assert.equal((await request(srv, '/thu-tuc/khong-co')).status, 404);
	});

	test('English shows the translation where there is one, else Vietnamese marked lang="vi" with a note', async () => {
		const en = await request(srv, '/en/procedures/1.009994');
		assert.equal(h1(en.text), 'Construction permit for a detached house');
		assert.ok(en.text.includes('Application for a construction permit (Form 01)'));
		assert.ok(!en.text.includes('has not been translated'));
		const part = await request(srv, '/en/procedures/1.000656');
		assert.ok(part.text.includes('Parts of this procedure have not been translated yet'));
		assert.match(part.text, /<div class="prose" lang="vi">/);
		const none = await request(srv, '/en/procedures/2.002041');
		assert.match(none.text, /<h1 lang="vi">Đăng ký thay đổi nội dung đăng ký doanh nghiệp<\/h1>/);
		assert.ok(none.text.includes('This procedure has not been translated yet'));
		const zh = await request(srv, '/zh/procedures/1.001193');
		assert.equal(h1(zh.text), '出生登记');
	});

	test('forms download as attachments with the UTF-8 file name', async () => {
		const page = await request(srv, '/thu-tuc/1.001193');
		const url = page.text.match(/href="(\/bieu-mau\/\d+)"/)[1];
		const r = await request(srv, url);
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-type'], 'application/pdf');
		assert.equal(r.headers['x-content-type-options'], 'nosniff');
		assert.match(r.headers['content-disposition'], /^attachment; filename="to-khai-khai-sinh\.pdf"; filename\*=UTF-8''to-khai-khai-sinh\.pdf$/);
		assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
		assert.equal((await request(srv, '/bieu-mau/999999')).status, 404);
		assert.equal((await request(srv, '/bieu-mau/abc')).status, 404);
	});

	test('the agencies page lists codes, communes and contacts', async () => {
		const r = await request(srv, '/co-quan');
		assert.equal(r.status, 200);
		for (const s of ['000.00.12.H50', 'Sở Tư pháp tỉnh Sông Lam', 'Xã Hưng Lam', 'sotuphap@songlam.example.vn']) assert.ok(r.text.includes(s), s);
		const en = await request(srv, '/en/agencies');
		assert.ok(en.text.includes('Song Lam Department of Justice'));
	});
});

describe('JSON API', () => {
	test('GET /api/v1/procedures with filters, search and language', async () => {
		const r = await request(srv, '/api/v1/procedures?q=khai%20sinh&lang=en');
		assert.equal(r.status, 200);
		assert.equal(r.headers['access-control-allow-origin'], '*');
		const j = JSON.parse(r.text);
		assert.equal(j.lang, 'en');
		const b = j.items.find((i) => i.code === '1.001193');
		assert.equal(b.name, 'Birth registration');
		assert.equal(b.level, 'xa');
		assert.equal(b.online, 'toan_trinh');
		assert.match(b.submit_url, /\/en\/procedures\/1\.001193\/submit$/);
		const all = JSON.parse((await request(srv, '/api/v1/procedures')).text);
		assert.ok(all.total >= 30 && all.items.length === 20 && all.pages >= 2);
		const xa = JSON.parse((await request(srv, '/api/v1/procedures?level=xa&field=ho-tich')).text);
		assert.ok(xa.items.length > 0 && xa.items.every((i) => i.level === 'xa' && i.field.slug === 'ho-tich'));
		assert.equal((await request(srv, '/api/v1/procedures?lang=fr')).status, 400);
		assert.equal((await request(srv, '/api/v1/procedures?level=huyen')).status, 400);
	});

	test('GET /api/v1/procedures/{code}: every field, documents with ids, forms with URLs', async () => {
		const r = await request(srv, '/api/v1/procedures/1.001193');
		assert.equal(r.status, 200);
		const p = JSON.parse(r.text);
		for (const k of ['code', 'name', 'field', 'agency', 'level', 'online', 'days', 'steps', 'methods', 'subjects', 'result', 'fees', 'conditions', 'legal_basis', 'documents', 'forms'])
			assert.ok(k in p, k);
		assert.ok(p.documents.length >= 2);
		const ids = sql(data, "SELECT d.id FROM procedure_docs d JOIN procedures p ON p.id = d.procedure_id WHERE p.code = '1.001193' ORDER BY d.position").split('\n').map(Number);
		assert.deepEqual(p.documents.map((d) => d.id), ids);
		assert.equal(p.documents[2].required, false);
		assert.match(p.forms[0].url, /\/bieu-mau\/\d+$/);
		assert.equal((await request(srv, '/api/v1/procedures/2.002230')).status, 404);
	});
});

describe('staff area', () => {
	test('only admins: editors and publishers get 403; anonymous users go to the login page', async () => {
		for (const role of ['editor', 'publisher']) {
			assert.equal((await as[role].get('/admin/catalog')).status, 403);
			assert.equal((await as[role].get('/admin/catalog/import')).status, 403);
			assert.equal((await as[role].post('/admin/catalog', { code: '9.9' })).status, 403);
		}
		assert.equal((await request(srv, '/admin/catalog')).status, 303);
		const r = await as.admin.get('/admin/catalog');
		assert.equal(r.status, 200);
		assert.match(r.headers['cache-control'], /no-store/);
		assert.ok(r.text.includes('1.009994'));
	});

	test('a procedure is created, shown publicly at once, edited and unpublished; CSRF is enforced', async () => {
		await request(srv, '/thu-tuc?q=nuoi%20ong'); /* a cached page that must change */
		const page = await as.admin.get('/admin/catalog/new');
		assert.equal(page.status, 200);
		const f = formFields(page.text, '/admin/catalog');
		const field = sql(data, "SELECT id FROM proc_fields WHERE slug = 'ho-tich'"), agency = sql(data, "SELECT id FROM agencies WHERE code = '000.21.30.H50'");
		Object.assign(f, { code: '9.000001', days: '4', field_id: field, agency_id: agency, name_vi: 'Đăng ký nuôi ong thử nghiệm', name_en: 'Test beekeeping registration',
			steps_vi: '1. Nộp hồ sơ.\n2. Nhận kết quả.', documents_vi: 'Tờ khai (01 bản chính)\nBản sao CCCD (01 bản sao)?', documents_en: 'Declaration\nID card copy' });
		assert.equal((await as.admin.post('/admin/catalog', f, { csrf: false })).status, 403, 'no CSRF token');
		assert.equal(sql(data, "SELECT count(*) FROM procedures WHERE code = '9.000001'"), '0');
		const r = await as.admin.post('/admin/catalog', f);
		assert.equal(r.status, 303);
		const id = sql(data, "SELECT id FROM procedures WHERE code = '9.000001'");
		assert.equal(r.headers.location, `/admin/catalog/${id}`);
		assert.equal(sql(data, `SELECT count(*) FROM audit_log WHERE action = 'procedure.create' AND object_id = ${id}`), '1');
		const pub = await request(srv, '/thu-tuc?q=nuoi%20ong');
		assert.ok(procNames(pub.text).some((p) => p.name === 'Đăng ký nuôi ong thử nghiệm'), 'the cached search shows it at once');
		const en = await request(srv, '/en/procedures/9.000001');
		assert.equal(h1(en.text), 'Test beekeeping registration');
		assert.ok(en.text.includes('<td>ID card copy</td>'));

		/* reorder documents: ids follow the names */
		const docIds = sql(data, `SELECT d.id FROM procedure_docs d WHERE d.procedure_id = ${id} ORDER BY d.position`).split('\n');
		const edit = await as.admin.get(`/admin/catalog/${id}`);
		const g = formFields(edit.text, `/admin/catalog/${id}`);
		assert.equal(g.documents_vi, 'Tờ khai (01 bản chính)\nBản sao CCCD (01 bản sao)?');
		g.documents_vi = 'Bản sao CCCD (01 bản sao)?\nTờ khai (01 bản chính)';
		g.documents_en = 'ID card copy\nDeclaration';
		assert.equal((await as.admin.post(`/admin/catalog/${id}`, g)).status, 303);
		assert.deepEqual(sql(data, `SELECT d.id FROM procedure_docs d WHERE d.procedure_id = ${id} ORDER BY d.position`).split('\n'), [docIds[1], docIds[0]]);

		/* unpublish: gone from the public pages at once */
		assert.equal((await as.admin.post(`/admin/catalog/${id}/unpublish`, {})).status, 303);
		assert.equal((await request(srv, '/thu-tuc/9.000001')).status, 404);
		assert.ok(!procNames((await request(srv, '/thu-tuc?q=nuoi%20ong')).text).length);
		assert.equal((await as.admin.post(`/admin/catalog/${id}/publish`, {})).status, 303);
		assert.equal((await request(srv, '/thu-tuc/9.000001')).status, 200);
	});

	test('bad input is refused with localized errors and the input kept', async () => {
		const page = await as.admin.get('/admin/catalog/new');
		const f = formFields(page.text, '/admin/catalog');
		Object.assign(f, { code: 'mã sai!', days: 'abc', name_vi: 'Thủ tục thiếu thông tin', steps_vi: 'Giữ nguyên văn bản này', documents_vi: '' });
		const r = await as.admin.post('/admin/catalog', f);
		assert.equal(r.status, 400);
		const kept = formFields(r.text, '/admin/catalog');
		assert.equal(kept.code, 'mã sai!');
		assert.equal(kept.steps_vi, 'Giữ nguyên văn bản này');
		for (const msg of ['Hãy nhập mã', 'Hãy nhập thời hạn', 'Hãy nêu ít nhất một giấy tờ', 'Hãy chọn lĩnh vực', 'Hãy chọn cơ quan thực hiện'])
			assert.ok(r.text.includes(msg), msg);
		assert.match(r.text, /aria-invalid="true"/);
		const zh = await as.admin.post('/zh/admin/catalog', f);
		assert.ok(zh.text.includes('请输入编号'));
	});

	test('forms: upload checked by content, download, delete', async () => {
		const id = sql(data, "SELECT id FROM procedures WHERE code = '9.000001'");
		await as.admin.get(`/admin/catalog/${id}`);
		const multipart = (name, body) => {
			const b = '----cong' + Date.now();
			const parts = [`--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${as.admin.csrf}\r\n`,
				`--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nTờ khai mẫu\r\n`,
				`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`];
			const buf = Buffer.concat([Buffer.from(parts.join('')), body, Buffer.from(`\r\n--${b}--\r\n`)]);
			return as.admin.request(`/admin/catalog/${id}/forms`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${b}`, 'content-length': buf.length }, body: buf });
		};
		const bad = await multipart('virus.pdf', Buffer.from('<script>alert(1)</script>'));
		assert.equal(bad.status, 400);
		assert.ok(bad.text.includes('Biểu mẫu phải là tệp PDF'));
		const ok = await multipart('Tờ khai nuôi ong.pdf', Buffer.from('%PDF-1.4\n%test\n'));
		assert.equal(ok.status, 303);
		const fid = sql(data, `SELECT id FROM procedure_forms WHERE procedure_id = ${id}`);
		const dl = await request(srv, `/bieu-mau/${fid}`);
		assert.equal(dl.status, 200);
		assert.match(dl.headers['content-disposition'], /^attachment; filename="to-khai-nuoi-ong\.pdf"; filename\*=UTF-8''T%E1%BB%9D%20khai%20nu%C3%B4i%20ong\.pdf$/);
		assert.equal((await as.admin.post(`/admin/catalog/forms/${fid}/delete`, {})).status, 303);
		assert.equal((await request(srv, `/bieu-mau/${fid}`)).status, 404);
	});

	test('agencies and fields: create and rename, codes checked', async () => {
		const bad = await as.admin.post('/admin/catalog/agencies', { code: 'abc def', name_vi: 'Cơ quan thử', level: 'tinh' });
		assert.equal(bad.status, 400);
		assert.equal(formFields(bad.text, '/admin/catalog/agencies').name_vi, 'Cơ quan thử');
		const r = await as.admin.post('/admin/catalog/agencies', { code: '000.00.99.H50', name_vi: 'Ban Quản lý thử nghiệm', name_en: 'Test Board', level: 'tinh', phone: '0238 3000 999' });
		assert.equal(r.status, 303);
		assert.ok((await request(srv, '/en/agencies')).text.includes('Test Board'));
		const f = await as.admin.post('/admin/catalog/fields', { name_vi: 'Nuôi ong', name_en: 'Beekeeping' });
		assert.equal(f.status, 303);
		const fid = sql(data, "SELECT id FROM proc_fields WHERE slug = 'nuoi-ong'");
		assert.ok(fid);
		assert.equal((await as.admin.post(`/admin/catalog/fields/${fid}`, { name_vi: 'Nuôi ong mật', name_en: 'Honey bees', name_zh: '' })).status, 303);
		assert.equal(sql(data, `SELECT name FROM proc_field_i18n WHERE field_id = ${fid} AND lang = 'en'`), 'Honey bees');
		assert.equal((await as.editor.post('/admin/catalog/fields', { name_vi: 'X' })).status, 403);
	});
});

describe('CSV import', () => {
	const csv = [
		'\uFEFFcode,name_vi,name_en,field,agency_code,level,online,days,documents,documents_en,fees',
		'9.100001,Cấp phép thử nghiệm một,Test permit one,Lĩnh vực nhập thử,000.00.12.H50,tinh,toan_trinh,5,"Đơn (01 bản chính)|Bản vẽ (02 bản chính)","Application|Drawings","50.000 đồng, nộp khi nhận"',
		'9.100002,"Cấp phép ""thử"" hai",,Lĩnh vực nhập thử,000.00.12.H50,,mot_phan,7,"Đơn (01 bản chính)|Ảnh?",,',
		'bad code!,Sai mã,,Lĩnh vực nhập thử,000.00.12.H50,,,5,Đơn,,',
		'9.100004,Cơ quan lạ,,Lĩnh vực nhập thử,NOPE.1,,,5,Đơn,,',
		'9.100005,Ngày sai,,Lĩnh vực nhập thử,000.00.12.H50,,,năm,Đơn,,',
		'9.100006,Cấp sai,,Lĩnh vực nhập thử,000.00.12.H50,huyen,,5,Đơn,,',
	].join('\r\n') + '\r\n';

	test('cong import procedures: imported, updated and bad rows with line numbers; exit status 1', async () => {
		const dir = await tempDir();
		const file = path.join(dir, 'thu-tuc.csv');
		await writeFile(file, csv);
		const r = await runCong(['import', 'procedures', file, '--data', data]);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stdout, /2 imported, 0 updated, 4 bad rows/);
		assert.match(r.stderr, /thu-tuc\.csv:4: Bad procedure code: "bad code!"/);
		assert.match(r.stderr, /:5: Unknown agency code: "NOPE\.1"/);
		assert.match(r.stderr, /:6: Bad number of working days: "năm"/);
		assert.match(r.stderr, /:7: Bad level: "huyen"/);
		assert.equal(sql(data, "SELECT v.name FROM procedure_i18n v JOIN procedures p ON p.id = v.procedure_id WHERE p.code = '9.100002' AND v.lang = 'vi'"), 'Cấp phép "thử" hai');
		assert.equal(sql(data, "SELECT fees FROM procedure_i18n v JOIN procedures p ON p.id = v.procedure_id WHERE p.code = '9.100001' AND v.lang = 'vi'"), '50.000 đồng, nộp khi nhận');
		assert.equal(sql(data, "SELECT required FROM procedure_docs d JOIN procedures p ON p.id = d.procedure_id WHERE p.code = '9.100002' ORDER BY d.position DESC LIMIT 1"), '0');
		/* the server sees the change made by another process */
		const seen = await (async () => { for (let i = 0; i < 40; i++) { const p = await request(srv, '/thu-tuc?q=thu%20nghiem%20mot'); if (p.text.includes('Cấp phép thử nghiệm một')) return true; await new Promise((s) => setTimeout(s, 100)); } return false; })();
		assert.ok(seen, 'the new procedure is listed');
		const again = await runCong(['import', 'procedures', file, '--data', data]);
		assert.match(again.stdout, /0 imported, 2 updated, 4 bad rows/);
		const good = path.join(dir, 'good.csv');
		await writeFile(good, csv.split('\r\n').slice(0, 3).join('\r\n'));
		assert.equal((await runCong(['import', 'procedures', good, '--data', data])).code, 0);
		const header = path.join(dir, 'header.csv');
		await writeFile(header, 'code,name_vi,colour\n1,x,y\n');
		const h = await runCong(['import', 'procedures', header, '--data', data]);
		assert.equal(h.code, 1);
		assert.match(h.stderr, /Unknown column: "colour"/);
	});

	test('the staff import shows the same report, localized', async () => {
		await as.admin.get('/admin/catalog/import');
		const b = '----cong-import';
		const body = Buffer.from([`--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${as.admin.csrf}\r\n`,
			`--${b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nprocedures\r\n`,
			`--${b}\r\nContent-Disposition: form-data; name="file"; filename="thu-tuc.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${b}--\r\n`].join(''));
		const r = await as.admin.request('/admin/catalog/import', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${b}`, 'content-length': body.length }, body });
		assert.equal(r.status, 422);
		assert.ok(r.text.includes('0 thủ tục mới, 2 cập nhật, 4 dòng lỗi.'));
		assert.ok(r.text.includes('<td class="num">4</td><td>Mã thủ tục không hợp lệ: &quot;bad code!&quot;'));
		assert.ok(r.text.includes('Không có cơ quan mang mã &quot;NOPE.1&quot;'));
		assert.equal(sql(data, "SELECT count(*) FROM audit_log WHERE action = 'catalog.import'"), '1');
		assert.equal((await as.publisher.get('/admin/catalog/import')).status, 403);
	});
});
