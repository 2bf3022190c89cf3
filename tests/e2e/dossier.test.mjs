// Online public services in a browser, from both sides of the counter.  A citizen goes from the home page to
// the procedure catalog, opens a procedure, submits a dossier with two files (a PDF and a PNG made here), gets
// the receipt (code format, QR code, print on one A5 sheet without the site's header) and looks the dossier up
// with its code and the phone's last four digits.  An officer of the procedure's agency finds it in the "new"
// queue, receives it and asks for a supplement with a note; the citizen, through the receipt's link, sees the
// request and adds a file; the officer finds it back among the dossiers in progress, processes, completes and
// returns it; the citizen rates it "Rất hài lòng".  axe-core runs on the form, the receipt, the lookup page
// and the officer's dossier page.  One browser; the citizen and the officer each have a context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startPortal, launchBrowser, runAxe, todayVN, CONG_BIN } from './helpers.mjs';

// Đăng ký khai sinh (demo catalog): two required documents and an optional one, which the supplement brings.
const PROC = { code: '1.001193', name: 'Đăng ký khai sinh', agency: '000.21.30.H50' };
const OFFICER = { login: 'canbo.e2e', password: 'Mot-cua-Hung-Lam-2024', name: 'Cán bộ một cửa E2E' };
const APPLICANT = {
	name: 'Nguyễn Thị Lan Anh',
	cccd: '040190123456', // Nghệ An (040), a woman born in the 1900s (1), in '90
	dob: '1990-05-12',
	address: 'Số 12 đường Lê Lợi, xã Hưng Lam, tỉnh Nghệ An',
	phone: '0912 345 678',
	request: 'Đề nghị đăng ký khai sinh cho con gái Nguyễn Bảo Ngọc, sinh ngày 01/11/2026.',
};
const SUPPLEMENT_NOTE = 'Đề nghị bổ sung bản sao giấy chứng nhận kết hôn của cha mẹ.';
// dossier codes: <agency code>-<YYMMDD>-<NNNN>
const CODE_RE = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4})$/;

let portal, browser, citizenCtx, officerCtx, tmpDir;
const files = {};
const dialogs = [];
const S = {}; // state shared by the tests below (they run in order)

// ---- small valid files ---------------------------------------------------------------------------------
// A one-page PDF with a correct cross-reference table.
function makePdf(text) {
	const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objs.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets)
		out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
// A w×h RGB PNG of horizontal stripes.
function makePng(w, h) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // truecolour
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++) {
		const row = y * (w * 3 + 1);
		for (let x = 0; x < w; x++)
			raw.set(y % 8 < 4 ? [0x1f, 0x4e, 0x79] : [0xf2, 0xf2, 0xf2], row + 1 + x * 3);
	}
	return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

// An officer bound to an agency (the helpers' addUser has no --agency).
function addOfficer(dataDir, who, agency) {
	return new Promise((resolve, reject) => {
		const args = ['user', 'add', '--data', dataDir, '--login', who.login, '--role', 'officer', '--agency', agency,
			'--name', who.name, '--password-stdin'];
		const child = execFile(CONG_BIN, args, { timeout: 30_000 }, (err, stdout, stderr) => {
			if (err)
				reject(new Error(`cong user add ${who.login} failed: ${err.message}\n${stdout}${stderr}`));
			else
				resolve();
		});
		child.stdin.end(who.password + '\n');
	});
}

before(async () => {
	[portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
	await addOfficer(portal.dataDir, OFFICER, PROC.agency);
	tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cong-e2e-dossier-'));
	files.pdf = path.join(tmpDir, 'to-khai-dang-ky-khai-sinh.pdf');
	files.png = path.join(tmpDir, 'giay-chung-sinh.png');
	files.extra = path.join(tmpDir, 'giay-chung-nhan-ket-hon.pdf');
	await fsp.writeFile(files.pdf, makePdf('To khai dang ky khai sinh'));
	await fsp.writeFile(files.png, makePng(64, 48));
	await fsp.writeFile(files.extra, makePdf('Giay chung nhan ket hon (ban sao)'));
	citizenCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	officerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	for (const ctx of [citizenCtx, officerCtx])
		ctx.on('page', (p) => p.on('dialog', (d) => {
			dialogs.push(`${d.type()}: ${d.message()} (${p.url()})`);
			d.dismiss().catch(() => {});
		}));
	S.citizen = await citizenCtx.newPage();
});
after(async () => {
	await browser?.close();
	await portal?.stop();
	if (tmpDir)
		await fsp.rm(tmpDir, { recursive: true, force: true });
});

// ---- helpers ---------------------------------------------------------------------------------------------
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

// Clicks something that navigates and waits for the new page; returns its response.
async function clickNav(page, locator) {
	const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
	return res;
}

function yymmdd({ y, m, d }) {
	return `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

// The officer's view of the dossier: its state number (data-status).
async function officerStatus(page) {
	return Number(await page.locator('.dq-head-status .dq-status').getAttribute('data-status'));
}

// Posts one move from the officer's dossier page (the button whose value is the action); optional note.
async function move(page, action, note) {
	if (note !== undefined)
		await page.fill('#dq-note', note);
	const res = await clickNav(page, page.locator(`.dq-moves button[name=action][value="${action}"]`));
	assert.equal(res.status(), 200, `${action}: status after the redirect`);
	assert.equal(await page.locator('main .form-error').count(), 0,
		`${action}: no error (${await page.locator('main .form-error').allInnerTexts()})`);
	assert.equal(new URL(page.url()).pathname, `/admin/dossiers/${S.code}`, `${action}: back on the dossier's page`);
}

// Opens the dossier from the list of a queue (its code is a link in the table).
async function openFromQueue(page, queue) {
	const res = await page.goto(`${portal.base}/admin/dossiers?queue=${queue}`);
	assert.equal(res.status(), 200, `queue ${queue}: status`);
	const link = page.locator('table.dq-table a.dq-code', { hasText: S.code });
	assert.equal(await link.count(), 1, `the dossier ${S.code} is in the "${queue}" queue`);
	await clickNav(page, link);
	assert.equal(new URL(page.url()).pathname, `/admin/dossiers/${S.code}`);
}

// ---- the citizen submits -----------------------------------------------------------------------------------
test('citizen: home → catalog → procedure → form in three clicks; the form has no serious axe violation', async () => {
	const page = S.citizen;
	assert.equal((await page.goto(portal.base + '/')).status(), 200);
	let clicks = 0;
	// 1: the catalog, from the site's header
	const catalogLink = page.locator('header a[href="/thu-tuc"]').first();
	assert.equal(await catalogLink.count(), 1, 'the header links to the catalog (/thu-tuc)');
	await clickNav(page, catalogLink);
	clicks++;
	assert.equal(new URL(page.url()).pathname, '/thu-tuc');
	// 2: the procedure's page
	await clickNav(page, page.locator('main a', { hasText: new RegExp(`^${PROC.name}$`) }).first());
	clicks++;
	assert.equal(new URL(page.url()).pathname, `/thu-tuc/${PROC.code}`);
	assert.equal((await page.locator('main h1').first().innerText()).trim(), PROC.name);
	// 3: the form
	await clickNav(page, page.locator('main a.button', { hasText: 'Nộp hồ sơ trực tuyến' }).first());
	clicks++;
	assert.equal(new URL(page.url()).pathname, `/thu-tuc/${PROC.code}/nop-ho-so`);
	assert.ok(clicks <= 3, `the form is ${clicks} clicks from the home page`);
	const inputs = await page.locator('form.dossier-form input[type=file]').evaluateAll((es) =>
		es.map((e) => ({ name: e.name, required: e.required })));
	assert.ok(inputs.filter((i) => i.required).length >= 2, `two required documents (got ${JSON.stringify(inputs)})`);
	S.docInputs = inputs;
	await axeCheck(page, 'submission form');
});

test('citizen: submits the dossier with a PDF and a PNG and lands on the receipt', async () => {
	const page = S.citizen;
	assert.ok(S.docInputs, 'the first test opened the form');
	await page.fill('#applicant_name', APPLICANT.name);
	await page.fill('#applicant_id', APPLICANT.cccd);
	await page.fill('#applicant_dob', APPLICANT.dob);
	await page.fill('#applicant_address', APPLICANT.address);
	await page.fill('#applicant_phone', APPLICANT.phone);
	await page.fill('#request', APPLICANT.request);
	const [first, second] = S.docInputs.filter((i) => i.required);
	await page.setInputFiles(`#${first.name}`, files.pdf);
	await page.setInputFiles(`#${second.name}`, files.png);
	S.extraInput = S.docInputs.find((i) => !i.required)?.name;
	const before = yymmdd(todayVN());
	const res = await clickNav(page, page.locator('form.dossier-form button[type=submit]'));
	const after = yymmdd(todayVN());
	assert.equal(await page.locator('#form-errors').count(), 0,
		`no form error: ${await page.locator('.dossier-error, #form-errors').allInnerTexts()}`);
	assert.equal(res.status(), 200, 'the receipt after the redirect');
	const url = new URL(page.url());
	const m = /^\/ho-so\/([^/]+)$/.exec(url.pathname);
	assert.ok(m, `on the receipt page (${page.url()})`);
	assert.match(url.searchParams.get('t') ?? '', /^[0-9a-f]{32}$/, 'the receipt link carries its secret');
	S.code = decodeURIComponent(m[1]);
	S.receiptUrl = page.url();

	const shown = (await page.locator('.receipt-code .dossier-code').innerText()).trim();
	assert.equal(shown, S.code, 'the code on the receipt is the one in the link');
	const c = CODE_RE.exec(S.code);
	assert.ok(c, `the code ${S.code} is <agency>-<YYMMDD>-<NNNN>`);
	assert.equal(c[1], PROC.agency, 'the code starts with the agency code');
	assert.ok([before, after].includes(c[2]), `the code carries today's date (${c[2]}; today ${before})`);
	assert.ok(Number(c[3]) >= 1, 'a sequence number from 0001');

	// what the receipt lists
	const text = await page.locator('article.dossier-receipt').innerText();
	for (const t of [APPLICANT.name, PROC.name, PROC.code])
		assert.ok(text.includes(t), `the receipt shows ${JSON.stringify(t)}`);
	const rows = await page.locator('table.dossier-docs tbody tr').allInnerTexts();
	assert.equal(rows.length, 2, `two documents received (got ${JSON.stringify(rows)})`);
	assert.ok(rows.some((r) => r.includes(path.basename(files.pdf))) && rows.some((r) => r.includes(path.basename(files.png))),
		`both file names listed (got ${JSON.stringify(rows)})`);
	assert.equal((await page.locator('.dossier-status').first().getAttribute('class')).match(/dossier-status-(\S+)/)?.[1],
		'new', 'status: new');

	// the QR code: an inline SVG with something drawn in it, named for screen readers by its caption
	const qr = page.locator('figure.receipt-qr svg');
	assert.equal(await qr.count(), 1, 'an inline SVG QR code');
	assert.ok(await qr.locator('path, rect').count() >= 1, 'the QR SVG draws something');
	const box = await qr.boundingBox();
	assert.ok(box && box.width >= 64 && Math.abs(box.width - box.height) < 2, `a square QR code (${JSON.stringify(box)})`);
	await axeCheck(page, 'receipt');
});

test('citizen: the receipt prints on one A5 sheet without the site\'s header, footer or forms', async () => {
	const page = S.citizen;
	assert.ok(S.receiptUrl);
	await page.emulateMedia({ media: 'print' });
	try {
		for (const sel of ['header.site-header', 'header.site-header nav', 'footer.site-footer'])
			if (await page.locator(sel).count())
				assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is hidden in print`);
		assert.equal(await page.locator('nav:visible').count(), 0, 'no navigation is printed');
		assert.equal(await page.locator('main .noprint:visible').count(), 0, 'the actions and the history are not printed');
		assert.equal(await page.locator('main form:visible').count(), 0, 'no form is printed');
		assert.ok(await page.locator('.dossier-code').first().isVisible(), 'the code is printed');
		assert.ok(await page.locator('figure.receipt-qr svg').isVisible(), 'the QR code is printed');

		const pdf = await page.pdf({ format: 'A5', printBackground: false });
		const s = pdf.toString('latin1');
		assert.ok(s.startsWith('%PDF-'), 'page.pdf() made a PDF');
		const pages = (s.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
		const count = /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/.exec(s) ?? /\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/.exec(s);
		assert.equal(pages, 1, `the receipt fits one A5 page (page objects: ${pages}, /Count ${count?.[1]})`);
		// A5 is 420 × 595 pt
		const mb = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(s);
		if (mb)
			assert.ok(Math.abs(Number(mb[1]) - 419.5) < 2 && Math.abs(Number(mb[2]) - 595.3) < 2, `an A5 page (MediaBox ${mb[1]} × ${mb[2]})`);
	} finally {
		await page.emulateMedia({ media: 'screen' });
	}
});

test('citizen: looks the dossier up with its code and the phone\'s last four digits; no personal data shown', async () => {
	const page = S.citizen;
	assert.ok(S.code);
	// the receipt's link to the lookup page
	await clickNav(page, page.locator('main a', { hasText: 'Tra cứu tình trạng' }).first());
	assert.equal(new URL(page.url()).pathname, '/tra-cuu-ho-so');
	await axeCheck(page, 'lookup form');
	await page.fill('#code', S.code);
	await page.fill('#last4', APPLICANT.phone.replace(/\D/g, '').slice(-4));
	const res = await clickNav(page, page.locator('form.dossier-lookup-form button[type=submit]'));
	assert.equal(res.status(), 200, 'lookup: status');
	const result = page.locator('section.dossier-result');
	assert.equal(await result.count(), 1, `a result (${await page.locator('.dossier-alert').allInnerTexts()})`);
	assert.equal((await result.locator('.dossier-code').innerText()).trim(), S.code);
	assert.match(await result.locator('.dossier-status').getAttribute('class'), /dossier-status-new/, 'status: new');
	assert.ok((await result.locator('.dossier-history li').count()) >= 1, 'the history has the submission');
	const body = await page.locator('body').innerText();
	for (const t of [APPLICANT.name, APPLICANT.address, APPLICANT.cccd, '0912345678', APPLICANT.request])
		assert.ok(!body.includes(t), `the lookup page does not show ${JSON.stringify(t)}`);
	await axeCheck(page, 'lookup result');
});

// ---- the officer, then the citizen, in turns --------------------------------------------------------------
test('officer: signs in, finds the dossier in the "new" queue, receives it and asks for a supplement with a note', async () => {
	assert.ok(S.code);
	const page = await officerCtx.newPage();
	S.officer = page;
	assert.equal((await page.goto(portal.base + '/dang-nhap')).status(), 200);
	await page.fill('#login', OFFICER.login);
	await page.fill('#password', OFFICER.password);
	await Promise.all([page.waitForURL(/\/admin(\/|$|\?)/), page.click('main form button[type=submit]')]);
	assert.equal(await page.locator('#login-error').count(), 0, 'no login error');

	await openFromQueue(page, 'new');
	assert.equal(await officerStatus(page), 1, 'new');
	assert.equal((await page.locator('.dq-applicant-name').innerText()).trim(), APPLICANT.name, 'the applicant');
	assert.equal(await page.locator('ul.dq-files li').count(), 2, 'two documents');
	const hrefs = await page.locator('ul.dq-files a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	for (const h of hrefs) { // served as attachments, never inline
		const r = await page.request.get(portal.base + h);
		assert.equal(r.status(), 200, `${h}: status`);
		assert.match(r.headers()['content-disposition'] ?? '', /^attachment/, `${h}: Content-Disposition`);
	}
	await axeCheck(page, "officer's dossier page");

	await move(page, 'receive');
	assert.equal(await officerStatus(page), 2, 'received');
	assert.ok((await page.locator('.dq-due').innerText()).trim().length > 0, 'a due date is set');
	await move(page, 'supplement', SUPPLEMENT_NOTE);
	assert.equal(await officerStatus(page), 5, 'waiting for a supplement');
	const notes = (await page.locator('table.dq-sheet td.dq-note').allInnerTexts()).map((t) => t.trim());
	assert.ok(notes.includes(SUPPLEMENT_NOTE), `the note is on the control sheet (got ${JSON.stringify(notes)})`);
	await openFromQueue(page, 'waiting');
});

test('citizen: sees the request on the receipt page and adds a document', async () => {
	assert.ok(S.receiptUrl);
	const page = S.citizen;
	assert.equal((await page.goto(S.receiptUrl)).status(), 200);
	const section = page.locator('section.dossier-action', { has: page.locator('#sup-h') });
	assert.equal(await section.count(), 1, 'the supplement request is shown');
	assert.equal((await section.locator('.dossier-officer-note').innerText()).trim(), SUPPLEMENT_NOTE, "the officer's note");
	assert.match(await page.locator('.dossier-status').first().getAttribute('class'), /dossier-status-supplement/);
	const input = S.extraInput ? `#sup-${S.extraInput}` : 'section.dossier-action input[type=file] >> nth=0';
	await page.setInputFiles(input, files.extra);
	await page.fill('#sup-note', 'Xin gửi bản sao giấy chứng nhận kết hôn.');
	await clickNav(page, section.locator('button[type=submit]'));
	assert.equal(new URL(page.url()).searchParams.get('done'), 'supplement', `back on the receipt (${page.url()})`);
	assert.equal(await page.locator('.dossier-alert').count(), 0, `no error: ${await page.locator('.dossier-alert').allInnerTexts()}`);
	assert.equal(await page.locator('.dossier-done').count(), 1, 'a confirmation');
	assert.equal(await page.locator('#sup-h').count(), 0, 'the request is answered');
	assert.equal(await page.locator('table.dossier-docs tbody tr').count(), 3, 'three documents now');
	assert.match(await page.locator('.dossier-status').first().getAttribute('class'), /dossier-status-received/,
		'back to received, where the request found it');
});

test('officer: finds it back in progress with the new file, processes, completes and returns it', async () => {
	assert.ok(S.code);
	const page = S.officer;
	await openFromQueue(page, 'processing');
	assert.equal(await officerStatus(page), 2, 'received again');
	assert.equal(await page.locator('ul.dq-files li').count(), 3, 'the added document is there');
	await move(page, 'process');
	assert.equal(await officerStatus(page), 4, 'in processing');
	await move(page, 'complete');
	assert.equal(await officerStatus(page), 9, 'done');
	await move(page, 'return');
	assert.equal(await officerStatus(page), 10, 'result returned');
	assert.equal(await page.locator('.dq-moves button').count(), 0, 'no move left');
	const sheet = await page.locator('table.dq-sheet tbody tr').count();
	assert.ok(sheet >= 7, `the control sheet has every step (got ${sheet} rows)`);
});

test('citizen: rates the result "Rất hài lòng"; the lookup shows it returned', async () => {
	assert.ok(S.receiptUrl);
	const page = S.citizen;
	assert.equal((await page.goto(S.receiptUrl)).status(), 200);
	assert.match(await page.locator('.dossier-status').first().getAttribute('class'), /dossier-status-returned/);
	const form = page.locator('section.dossier-action', { has: page.locator('#rate-h') });
	assert.equal(await form.count(), 1, 'the rating form is offered');
	await form.getByLabel('Rất hài lòng').check();
	await page.fill('#rate-comment', 'Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.');
	await clickNav(page, form.locator('button[type=submit]'));
	assert.equal(new URL(page.url()).searchParams.get('done'), 'rate', `back on the receipt (${page.url()})`);
	assert.equal(await page.locator('.dossier-alert').count(), 0, `no error: ${await page.locator('.dossier-alert').allInnerTexts()}`);
	assert.equal(await page.locator('#rate-h').count(), 0, 'rated once');
	const rated = await page.locator('main p.dossier-note', { hasText: 'Rất hài lòng' }).count();
	assert.equal(rated, 1, 'the rating is shown');

	await page.goto(`${portal.base}/tra-cuu-ho-so?ma=${encodeURIComponent(S.code)}`);
	assert.equal(await page.inputValue('#code'), S.code, 'the QR target fills the code in');
	await page.fill('#last4', APPLICANT.cccd.slice(-4)); // the CCCD's digits work too
	await clickNav(page, page.locator('form.dossier-lookup-form button[type=submit]'));
	assert.match(await page.locator('section.dossier-result .dossier-status').getAttribute('class'), /dossier-status-returned/);
	assert.deepEqual(dialogs, [], 'no dialog opened');
});
