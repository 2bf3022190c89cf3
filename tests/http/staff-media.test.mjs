// The staff area's media library (/admin/media): upload (validation by decoding, metadata stripped,
// variants), refusals, the library page, search, edit, delete and the JSON list for the editor's picker.
// Images are made here: a JPEG from the demo portal's own media with an EXIF block (GPS position, artist)
// spliced in, and a PNG written byte by byte with node:zlib.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';

import { Browser, cleanup, csrfOf, initPortal, request, runCong, sanitizerReports, sql, startServer, unescapeHtml } from './helpers.mjs';

const PASSWORD = 'Song-Lam-media-2026';
let dataDir, srv;
let editor; /* a signed-in editor's session */

/* ---- images ---------------------------------------------------------------------------------------- */

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
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

/** A w×h RGB PNG (a gradient) carrying a tEXt comment, which must not survive the upload. */
function makePng(w = 64, h = 48, comment = 'SECRET-PNG-COMMENT') {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; /* bit depth */
	ihdr[9] = 2; /* RGB */
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++) {
		const row = y * (w * 3 + 1);
		raw[row] = 0; /* filter: none */
		for (let x = 0; x < w; x++) {
			raw[row + 1 + x * 3] = (x * 255) / w;
			raw[row + 2 + x * 3] = (y * 255) / h;
			raw[row + 3 + x * 3] = 160;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('tEXt', Buffer.from(`Comment\0${comment}`, 'latin1')),
		pngChunk('IDAT', zlib.deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * An EXIF APP1 segment (little-endian TIFF): IFD0 with Make, Artist and a GPS IFD pointer; the GPS IFD
 * places the photo at 21°1'42.42"N 105°51'12.34"E.
 */
function exifSegment() {
	const tiff = Buffer.alloc(512);
	let at = 0;
	const u16 = (v) => { tiff.writeUInt16LE(v, at); at += 2; };
	const u32 = (v) => { tiff.writeUInt32LE(v, at); at += 4; };
	tiff.write('II', 0, 'latin1');
	at = 2;
	u16(42);
	u32(8);
	/* IFD0 at 8: 3 entries (12 bytes each) + next-IFD offset → ends at 8 + 2 + 36 + 4 = 50 */
	const make = 'CongTestCam\0', artist = 'SECRET-ARTIST-MARKER\0';
	const makeAt = 50, artistAt = makeAt + make.length, gpsAt = artistAt + artist.length + 1 /* even */;
	u16(3);
	u16(0x010f); u16(2); u32(make.length); u32(makeAt);
	u16(0x013b); u16(2); u32(artist.length); u32(artistAt);
	u16(0x8825); u16(4); u32(1); u32(gpsAt);
	u32(0);
	tiff.write(make, makeAt, 'latin1');
	tiff.write(artist, artistAt, 'latin1');
	/* GPS IFD: 5 entries → ends at gpsAt + 2 + 60 + 4; the rationals follow */
	at = gpsAt;
	const latAt = gpsAt + 66, lonAt = latAt + 24;
	u16(5);
	u16(0x0000); u16(1); u32(4); tiff.writeUInt8(2, at); tiff.writeUInt8(2, at + 1); at += 4;
	u16(0x0001); u16(2); u32(2); tiff.write('N\0', at, 'latin1'); at += 4;
	u16(0x0002); u16(5); u32(3); u32(latAt);
	u16(0x0003); u16(2); u32(2); tiff.write('E\0', at, 'latin1'); at += 4;
	u16(0x0004); u16(5); u32(3); u32(lonAt);
	u32(0);
	at = latAt;
	for (const [n, d] of [[21, 1], [1, 1], [4242, 100], [105, 1], [51, 1], [1234, 100]]) {
		u32(n);
		u32(d);
	}
	const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff.subarray(0, at)]);
	const head = Buffer.from([0xff, 0xe1, 0, 0]);
	head.writeUInt16BE(body.length + 2, 2);
	return Buffer.concat([head, body]);
}

/** jpeg with an EXIF segment inserted right after SOI. */
function withExif(jpeg) {
	assert.equal(jpeg.readUInt16BE(0), 0xffd8);
	return Buffer.concat([jpeg.subarray(0, 2), exifSegment(), jpeg.subarray(2)]);
}

/** A JPEG of the demo portal (its -<width>.jpg variant). */
async function demoJpeg(width = 480) {
	const files = (await readdir(path.join(dataDir, 'media'))).filter((f) => f.endsWith(`-${width}.jpg`)).sort();
	return readFile(path.join(dataDir, 'media', files[0]));
}

/* ---- sessions, forms ------------------------------------------------------------------------------- */

/** An editor's session: a Browser with the CSRF token of the library page (csrf) and multipart uploads. */
class MediaSession extends Browser {
	csrf = null;
	/** POSTs a multipart upload; csrf defaults to the session's token (null leaves it out). */
	async upload(url, { file, filename = 'photo.jpg', type = 'image/jpeg', alt, caption, csrf = this.csrf }, target = srv) {
		const fields = [];
		if (csrf !== null) fields.push(['csrf', csrf]);
		if (alt !== undefined) fields.push(['alt', alt]);
		if (caption !== undefined) fields.push(['caption', caption]);
		const mp = multipart(fields, file ? [{ name: 'file', filename, type, data: file }] : []);
		const res = await request(target, url, {
			method: 'POST',
			headers: { 'content-type': mp.type, cookie: this.cookie(), 'content-length': mp.body.length },
			body: mp.body,
			timeout: 60000,
		});
		return this.keep(res);
	}
}

/** Signs in through the login form; returns the MediaSession {jar, csrf, get(), post(), upload()}. */
async function login(loginName, password = PASSWORD) {
	const s = new MediaSession(srv);
	const r = await s.login(loginName, password);
	assert.equal(r.status, 303, `login of ${loginName} failed: ${r.status}`);
	const lib = await s.get('/admin/media');
	assert.equal(lib.status, 200);
	s.csrf = csrfOf(lib.text);
	assert.ok(s.csrf, 'a CSRF token on the library page');
	return s;
}

function multipart(fields, files) {
	const boundary = `----cong-test-${Math.random().toString(16).slice(2)}`;
	const parts = [];
	for (const [name, value] of fields)
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
	for (const f of files) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\n` +
					`Content-Type: ${f.type}\r\n\r\n`,
			),
		);
		parts.push(f.data, Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

const mediaCount = () => Number(sql(dataDir, 'SELECT count(*) FROM media'));
const lastMedia = () => {
	const [id, name, width, height, alt, caption, uploader, original] = sql(
		dataDir,
		"SELECT m.id, m.name, m.width, m.height, m.alt, m.caption, u.login, m.original_name FROM media m" +
			' LEFT JOIN users u ON u.id = m.uploaded_by ORDER BY m.id DESC LIMIT 1',
	).split('|');
	return { id: Number(id), name, width: Number(width), height: Number(height), alt, caption, uploader, original };
};

/** The text of the field error for a field (file, alt, caption), tags stripped. */
function fieldError(html, field) {
	const m = html.match(new RegExp(`<p class="field-error" id="${field}-error">([\\s\\S]*?)</p>`));
	return m ? unescapeHtml(m[1].replace(/<[^>]*>/g, '')) : null;
}

/** The <input> or <textarea> element of a field, as HTML. */
function control(html, id) {
	const m = html.match(new RegExp(`<(?:input|textarea)[^>]*\\bid="${id}"[^>]*>(?:[^<]*</textarea>)?`));
	return m ? m[0] : null;
}

/* ---- set-up ---------------------------------------------------------------------------------------- */

before(async () => {
	dataDir = await initPortal();
	for (const [loginName, role] of [['bientap', 'editor'], ['bientap2', 'editor'], ['duyet', 'publisher']]) {
		const r = await runCong(['user', 'add', '--data', dataDir, '--login', loginName, '--role', role, '--password-stdin'], {
			input: `${PASSWORD}\n`,
		});
		assert.equal(r.code, 0, r.stderr);
	}
	srv = await startServer(dataDir);
	editor = await login('bientap');
});

after(async () => {
	const reports = srv ? sanitizerReports(srv.log()) : '';
	await cleanup();
	assert.equal(reports, '', 'sanitizer reports in the server log');
});

/* ---- access ---------------------------------------------------------------------------------------- */

describe('access', () => {
	test('not signed in: the library redirects to the login page and comes back after it', async () => {
		const r = await request(srv, '/admin/media?q=x');
		assert.equal(r.status, 303);
		assert.match(r.headers.location, /^\/dang-nhap\?next=%2Fadmin%2Fmedia/);
		const en = await request(srv, '/en/admin/media');
		assert.equal(en.status, 303);
		assert.match(en.headers.location, /^\/en\/login\?next=%2Fen%2Fadmin%2Fmedia/);
		const edit = await request(srv, '/admin/media/1');
		assert.equal(edit.status, 303);
		assert.match(edit.headers.location, /^\/dang-nhap/);
	});

	test('not signed in: an upload is refused (401) and stores nothing', async () => {
		const before = mediaCount();
		const mp = multipart([['alt', 'x']], [{ name: 'file', filename: 'a.png', type: 'image/png', data: makePng() }]);
		const r = await request(srv, '/admin/media', {
			method: 'POST',
			headers: { 'content-type': mp.type },
			body: mp.body,
		});
		assert.equal(r.status, 401);
		assert.equal(mediaCount(), before);
	});

	test('not signed in: the JSON list answers 401 in JSON', async () => {
		const r = await request(srv, '/admin/media.json');
		assert.equal(r.status, 401);
		assert.match(r.headers['content-type'], /^application\/json/);
		assert.equal(JSON.parse(r.text).error, 'unauthenticated');
	});

	test('an upload without the CSRF token, or with a wrong one, is refused with 403 and stores nothing', async () => {
		const before = mediaCount();
		const none = await editor.upload('/admin/media', { file: makePng(), filename: 'a.png', type: 'image/png', alt: 'Ảnh', csrf: null });
		assert.equal(none.status, 403);
		const wrong = await editor.upload('/admin/media', {
			file: makePng(),
			filename: 'a.png',
			type: 'image/png',
			alt: 'Ảnh',
			csrf: 'f'.repeat(64),
		});
		assert.equal(wrong.status, 403);
		assert.equal(mediaCount(), before);
	});

	test('edit and delete need the CSRF token too', async () => {
		const id = Number(sql(dataDir, 'SELECT min(id) FROM media'));
		const alt = sql(dataDir, `SELECT alt FROM media WHERE id = ${id}`);
		assert.equal((await editor.post(`/admin/media/${id}`, { alt: 'changed' })).status, 403);
		assert.equal((await editor.post(`/admin/media/${id}/delete`, {})).status, 403);
		assert.equal(sql(dataDir, `SELECT alt FROM media WHERE id = ${id}`), alt);
	});

	test('the library pages are private: never cached', async () => {
		const r = await editor.get('/admin/media');
		assert.match(r.headers['cache-control'], /no-store/);
		const j = await editor.get('/admin/media.json');
		assert.match(j.headers['cache-control'], /no-store/);
	});
});

/* ---- uploads that work ----------------------------------------------------------------------------- */

describe('upload', () => {
	test('an editor uploads a JPEG with EXIF GPS data: stored, re-encoded, metadata gone', async () => {
		const jpeg = withExif(await demoJpeg(480));
		assert.ok(jpeg.includes('SECRET-ARTIST-MARKER') && jpeg.includes(Buffer.from('Exif\0\0', 'latin1')));
		const before = mediaCount();
		const r = await editor.upload('/admin/media', {
			file: jpeg,
			filename: 'IMG_2041.jpg',
			alt: 'Cầu Rồng bắc qua sông Hàn lúc hoàng hôn',
			caption: 'Cầu Rồng, ảnh: Phòng Văn hóa',
		});
		assert.equal(r.status, 303, r.text.slice(0, 500));
		assert.equal(r.headers.location, '/admin/media');
		assert.equal(mediaCount(), before + 1);
		const m = lastMedia();
		assert.equal(m.alt, 'Cầu Rồng bắc qua sông Hàn lúc hoàng hôn');
		assert.equal(m.caption, 'Cầu Rồng, ảnh: Phòng Văn hóa');
		assert.equal(m.uploader, 'bientap');
		assert.equal(m.original, 'IMG_2041.jpg');
		assert.equal(m.width, 480);
		assert.equal(m.height, 270);
		for (const suffix of ['', '-480', '-960', '-1600']) {
			const file = path.join(dataDir, 'media', `${m.name}${suffix}.jpg`);
			assert.ok(existsSync(file), `${file} exists`);
			const bytes = await readFile(file);
			assert.equal(bytes.readUInt16BE(0), 0xffd8, 'a JPEG');
			assert.ok(!bytes.includes(Buffer.from('Exif', 'latin1')), `no EXIF block in ${suffix || 'the original'}`);
			assert.ok(!bytes.includes('SECRET-ARTIST-MARKER'), 'no artist tag');
			assert.ok(!bytes.includes('CongTestCam'), 'no camera make');
			const served = await request(srv, `/media/${m.name}${suffix}.jpg`);
			assert.equal(served.status, 200);
			assert.equal(served.headers['content-type'], 'image/jpeg');
		}
		const audit = sql(dataDir, `SELECT a.action, u.login FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.object_type = 'media' AND a.object_id = ${m.id}`);
		assert.equal(audit, 'media.upload|bientap');
	});

	test('the redirect after an upload shows a notice once', async () => {
		const r = await editor.upload('/admin/media', { file: makePng(), filename: 'flash.png', type: 'image/png', alt: 'Ô vuông màu' });
		assert.equal(r.status, 303);
		const page = await editor.get(r.headers.location);
		assert.match(page.text, /<p class="notice" role="status">Đã tải ảnh lên\.<\/p>/);
		const again = await editor.get('/admin/media');
		assert.doesNotMatch(again.text, /class="notice"/);
	});

	test('a PNG is accepted, converted to JPEG variants, its text chunk gone and never enlarged', async () => {
		const png = makePng(64, 48, 'SECRET-PNG-COMMENT');
		const r = await editor.upload('/admin/media', { file: png, filename: 'so-do.png', type: 'image/png', alt: 'Sơ đồ màu', caption: '' });
		assert.equal(r.status, 303);
		const m = lastMedia();
		assert.equal(m.original, 'so-do.png');
		assert.deepEqual([m.width, m.height], [64, 48]);
		for (const suffix of ['', '-480', '-960', '-1600']) {
			const bytes = await readFile(path.join(dataDir, 'media', `${m.name}${suffix}.jpg`));
			assert.equal(bytes.readUInt16BE(0), 0xffd8);
			assert.ok(!bytes.includes('SECRET-PNG-COMMENT'));
		}
	});

	test('a publisher may upload too', async () => {
		const pub = await login('duyet');
		const r = await pub.upload('/admin/media', { file: makePng(20, 20), filename: 'p.png', type: 'image/png', alt: 'Ảnh của người duyệt' });
		assert.equal(r.status, 303);
		assert.equal(lastMedia().uploader, 'duyet');
	});

	test('alt text and caption are trimmed and kept on one line', async () => {
		const r = await editor.upload('/admin/media', {
			file: makePng(16, 16),
			filename: 'x.png',
			type: 'image/png',
			alt: '  Hai   dòng\r\nalt  ',
			caption: '\tChú thích\n dài ',
		});
		assert.equal(r.status, 303);
		const m = lastMedia();
		assert.equal(m.alt, 'Hai dòng alt');
		assert.equal(m.caption, 'Chú thích dài');
	});
});

/* ---- refusals -------------------------------------------------------------------------------------- */

describe('refusals', () => {
	const NOT_IMAGE_VI = 'Tệp này không phải ảnh JPEG, PNG hay WebP.';

	async function refused(opts, { status = 422, url = '/admin/media' } = {}) {
		const before = mediaCount();
		const r = await editor.upload(url, { alt: 'Ảnh thử nghiệm', caption: 'Chú thích giữ lại', ...opts });
		assert.equal(r.status, status, r.text.slice(0, 300));
		assert.equal(mediaCount(), before, 'nothing stored');
		assert.match(r.headers['content-type'], /^text\/html/);
		return r;
	}

	test('a text file', async () => {
		const r = await refused({ file: Buffer.from('Báo cáo tháng 11\n'), filename: 'bao-cao.txt', type: 'text/plain' });
		assert.equal(fieldError(r.text, 'file'), `bao-cao.txt: ${NOT_IMAGE_VI}`);
	});

	test('an HTML page with a script, named .jpg and sent as image/jpeg', async () => {
		const r = await refused({
			file: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
			filename: 'anh-dep.jpg',
		});
		assert.equal(fieldError(r.text, 'file'), `anh-dep.jpg: ${NOT_IMAGE_VI}`);
		assert.doesNotMatch(r.text, /<script>alert\(document\.cookie\)/);
	});

	test('a shell script named .png', async () => {
		const r = await refused({ file: Buffer.from('#!/bin/sh\nrm -rf /\n'), filename: 'run.png', type: 'image/png' });
		assert.equal(fieldError(r.text, 'file'), `run.png: ${NOT_IMAGE_VI}`);
	});

	test('an SVG drawing, with its own plain message', async () => {
		const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
		const r = await refused({ file: Buffer.from(svg), filename: 'logo.svg', type: 'image/svg+xml' });
		assert.match(fieldError(r.text, 'file'), /^logo\.svg: Không nhận tệp SVG/);
		const renamed = await refused({ file: Buffer.from(svg), filename: 'logo.jpg' });
		assert.match(fieldError(renamed.text, 'file'), /SVG/);
	});

	test('a truncated JPEG', async () => {
		const whole = await demoJpeg(1600);
		const r = await refused({ file: whole.subarray(0, Math.floor(whole.length / 2)), filename: 'cut.jpg' });
		assert.equal(fieldError(r.text, 'file'), 'cut.jpg: Ảnh bị hỏng hoặc không đầy đủ nên không đọc được.');
	});

	test('a PNG whose data is corrupted', async () => {
		const png = makePng(32, 32);
		const idat = png.indexOf('IDAT');
		png.fill(0x55, idat + 8, idat + 30);
		const r = await refused({ file: png, filename: 'broken.png', type: 'image/png' });
		assert.match(fieldError(r.text, 'file'), /Ảnh bị hỏng|không phải ảnh/);
	});

	test('an empty file or no file at all', async () => {
		const r = await refused({ file: null });
		assert.equal(fieldError(r.text, 'file'), 'Hãy chọn một tệp ảnh để tải lên.');
		const empty = await refused({ file: Buffer.alloc(0), filename: 'empty.jpg' });
		assert.equal(fieldError(empty.text, 'file'), 'Hãy chọn một tệp ảnh để tải lên.');
	});

	test('missing alt text: refused, the caption typed is kept, the error tied to the field', async () => {
		const r = await refused({ file: makePng(), filename: 'a.png', type: 'image/png', alt: '   ', caption: 'Chú thích <giữ> "nguyên"' });
		assert.equal(fieldError(r.text, 'alt'), 'Hãy nhập văn bản thay thế: mô tả nội dung ảnh cho người không nhìn thấy ảnh.');
		const alt = control(r.text, 'alt');
		assert.match(alt, /aria-describedby="alt-hint alt-error"/);
		assert.match(alt, /aria-invalid="true"/);
		assert.match(alt, /\brequired\b/);
		assert.match(control(r.text, 'caption'), />Chú thích &lt;giữ&gt; &quot;nguyên&quot;<\/textarea>$/);
		/* the summary at the top links to the field, and the form is open */
		assert.match(r.text, /<div class="form-error" role="alert" id="upload-errors">[\s\S]*?<a href="#alt">/);
		assert.match(r.text, /<details class="media-upload" open>/);
		/* the browser forgets the chosen file: the page says so */
		assert.match(control(r.text, 'file'), /aria-describedby="file-hint file-again"/);
	});

	test('alt text over 250 characters, caption over 1000', async () => {
		const r = await refused({ file: makePng(), filename: 'a.png', type: 'image/png', alt: 'ả'.repeat(251), caption: 'c'.repeat(1001) });
		assert.match(fieldError(r.text, 'alt'), /250/);
		assert.match(fieldError(r.text, 'caption'), /1000/);
	});

	test('the alt text and caption typed are kept after a refused file', async () => {
		const r = await refused({ file: Buffer.from('not an image'), filename: 'a.jpg', alt: 'Toà nhà "UBND" <tỉnh>', caption: 'Dòng chú thích & ảnh' });
		assert.match(control(r.text, 'alt'), /value="Toà nhà &quot;UBND&quot; &lt;tỉnh&gt;"/);
		assert.match(control(r.text, 'caption'), />Dòng chú thích &amp; ảnh<\/textarea>$/);
		const file = control(r.text, 'file');
		assert.match(file, /aria-describedby="file-hint file-error"/);
		assert.match(file, /aria-invalid="true"/);
	});

	test('the messages are localized: English and Chinese pages', async () => {
		const en = await refused({ file: Buffer.from('hello'), filename: 'a.jpg' }, { url: '/en/admin/media' });
		assert.equal(fieldError(en.text, 'file'), 'a.jpg: The file is not a JPEG, PNG or WebP image.');
		assert.match(en.text, /<html lang="en"/);
		const zh = await refused({ file: Buffer.from('hello'), filename: 'a.jpg' }, { url: '/zh/admin/media' });
		assert.equal(fieldError(zh.text, 'file'), 'a.jpg: 该文件不是 JPEG、PNG 或 WebP 图片。');
		const enAlt = await refused({ file: makePng(), filename: 'a.png', type: 'image/png', alt: '' }, { url: '/en/admin/media' });
		assert.match(fieldError(enAlt.text, 'alt'), /^Enter the alt text/);
	});

	test('a file over 20 MB (within the server\'s 24 MiB body limit): 413, localized, alt kept', async () => {
		const big = Buffer.alloc(21 * 1024 * 1024, 0x41);
		(await demoJpeg(480)).copy(big); /* a real JPEG start: it is the size that must be refused */
		const r = await refused({ file: big, filename: 'huge.jpg', alt: 'Ảnh rất lớn' }, { status: 413 });
		assert.equal(fieldError(r.text, 'file'), 'huge.jpg: Ảnh lớn hơn 20 MB.');
		assert.match(control(r.text, 'alt'), /value="Ảnh rất lớn"/);
	});

	test('a body over the server\'s max_body_kb is refused by the server itself (413, localized page)', async () => {
		const small = await startServer(dataDir, { flags: ['--max_body_kb', '64'] });
		try {
			const before = mediaCount();
			const r = await editor.upload('/admin/media', { file: Buffer.alloc(200 * 1024, 1), alt: 'x' }, small);
			assert.equal(r.status, 413);
			assert.match(r.headers['content-type'], /^text\/html/);
			assert.match(r.text, /<html lang="vi"/);
			assert.equal(mediaCount(), before);
			/* a small upload still goes through that server */
			const ok = await editor.upload('/admin/media', { file: makePng(8, 8), filename: 's.png', type: 'image/png', alt: 'Nhỏ' }, small);
			assert.equal(ok.status, 303);
		} finally {
			await small.stop();
		}
	});
});

/* ---- the library page ------------------------------------------------------------------------------ */

describe('library page', () => {
	test('newest first, with thumbnail, alt, id, size, dimensions, uploader, date and the Markdown snippet', async () => {
		const r = await editor.upload('/admin/media', { file: makePng(40, 30), filename: 'moi.png', type: 'image/png', alt: 'Ảnh mới nhất', caption: 'Chú thích "mới"' });
		assert.equal(r.status, 303);
		const m = lastMedia();
		const page = await editor.get('/admin/media');
		assert.equal(page.status, 200);
		const first = page.text.match(/<li class="media-card" id="media-(\d+)">([\s\S]*?)<\/li>/);
		assert.equal(Number(first[1]), m.id, 'the newest image comes first');
		const card = first[2];
		assert.match(card, new RegExp(`<img src="/media/${m.name}-480\\.jpg" alt="Ảnh mới nhất" width="40" height="30"`));
		assert.match(card, new RegExp(`<dd>${m.id}</dd>`));
		assert.match(card, /<dd>\d+ KB<\/dd>/);
		assert.match(card, /<dd>40 × 30 px<\/dd>/);
		assert.match(card, /<dd>bientap<\/dd>/);
		assert.match(card, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00">\d\d\/\d\d\/\d{4} \d\d:\d\d<\/time>/);
		const snippet = card.match(/<input id="md-\d+" class="media-snippet" type="text" readonly value="([^"]*)">/);
		assert.ok(snippet, 'a read-only snippet input');
		assert.equal(unescapeHtml(snippet[1]), `![Ảnh mới nhất](/media/${m.name}.jpg "Chú thích \\"mới\\"")`);
		assert.match(card, new RegExp(`<label class="media-snippet-label" for="md-${m.id}">`));
		assert.match(card, new RegExp(`href="/admin/media/${m.id}"`));
	});

	test('XSS typed into alt text and caption shows as text on the library and edit pages', async () => {
		const alt = '<img src=x onerror=alert(1)>"><script>alert("alt")</script>';
		const caption = '</textarea><script>alert("cap")</script>&amp;';
		const r = await editor.upload('/admin/media', { file: makePng(12, 12), filename: '<img src=x onerror=alert(2)>.png', type: 'image/png', alt, caption });
		assert.equal(r.status, 303);
		const m = lastMedia();
		assert.equal(m.alt, alt);
		for (const url of ['/admin/media', `/admin/media/${m.id}`, '/en/admin/media']) {
			const page = await editor.get(url);
			assert.doesNotMatch(page.text, /<script>alert/, url);
			assert.doesNotMatch(page.text, /<img src=x/, url);
			assert.doesNotMatch(page.text, /<\/textarea><script>/, url);
			assert.ok(page.text.includes('&lt;script&gt;alert(&quot;alt&quot;)&lt;/script&gt;'), url);
		}
		const edit = await editor.get(`/admin/media/${m.id}`);
		assert.ok(edit.text.includes('&lt;img src=x onerror=alert(2)&gt;.png'), 'the uploaded file name is escaped');
		/* the page itself runs no inline script: the CSP forbids it and the templates have none */
		assert.doesNotMatch(edit.text, /<script>(?!<\/script>)/);
		assert.match(edit.headers['content-security-policy'], /default-src 'self'/);
	});

	test('search by alt text or caption ignores case and Vietnamese marks (đ too)', async () => {
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'a.png', type: 'image/png', alt: 'Đường Điện Biên Phủ ngày lễ', caption: 'Đoàn diễu hành' });
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'b.png', type: 'image/png', alt: 'Hồ điều hoà', caption: 'Mùa thu 100% vàng' });
		const ids = async (q) => {
			const page = await editor.get(`/admin/media?q=${encodeURIComponent(q)}`);
			assert.equal(page.status, 200);
			return [...page.text.matchAll(/<li class="media-card" id="media-(\d+)">/g)].map((x) => Number(x[1]));
		};
		const road = Number(sql(dataDir, "SELECT id FROM media WHERE alt = 'Đường Điện Biên Phủ ngày lễ'"));
		const lake = Number(sql(dataDir, "SELECT id FROM media WHERE alt = 'Hồ điều hoà'"));
		assert.deepEqual(await ids('duong dien bien'), [road]);
		assert.deepEqual(await ids('ĐƯỜNG ĐIỆN'), [road]);
		assert.deepEqual(await ids('doan dieu hanh'), [road], 'the caption is searched too');
		assert.deepEqual(await ids('hồ điều'), [lake]);
		assert.deepEqual(await ids('100%'), [lake], 'LIKE wildcards are taken literally');
		assert.deepEqual(await ids('%'), [lake]);
		assert.deepEqual(await ids('không có ảnh nào như thế'), []);
		const none = await editor.get('/admin/media?q=zzzzqqqq');
		assert.match(none.text, /Không tìm thấy ảnh nào\./);
		assert.match(none.text, /<input id="q" name="q" type="search" value="zzzzqqqq"/);
	});

	test('search follows a change of the alt text', async () => {
		const id = Number(sql(dataDir, "SELECT id FROM media WHERE alt = 'Hồ điều hoà'"));
		assert.equal((await editor.post(`/admin/media/${id}`, { csrf: editor.csrf, alt: 'Công viên Bờ Hồ', caption: '' })).status, 303);
		const page = await editor.get('/admin/media?q=cong+vien');
		assert.match(page.text, new RegExp(`id="media-${id}"`));
		const old = await editor.get('/admin/media?q=dieu+hoa');
		assert.doesNotMatch(old.text, new RegExp(`id="media-${id}"`));
	});

	test('pagination: 24 a page, links keep the search', async () => {
		const total = mediaCount();
		assert.ok(total > 24, 'the demo portal has more than a page of images');
		const p1 = await editor.get('/admin/media');
		assert.equal([...p1.text.matchAll(/class="media-card"/g)].length, 24);
		assert.match(p1.text, /href="\/admin\/media\?page=2" rel="next"/);
		const p2 = await editor.get('/admin/media?page=2');
		const first1 = p1.text.match(/id="media-(\d+)"/)[1], first2 = p2.text.match(/id="media-(\d+)"/)[1];
		assert.ok(Number(first2) < Number(first1));
		assert.match(p2.text, /href="\/admin\/media" rel="prev"/);
		const q = await editor.get('/admin/media?q=a&page=2');
		assert.equal(q.status, 200);
		assert.match(q.text, /href="\/admin\/media\?q=a" rel="prev"/);
		const far = await editor.get('/admin/media?page=999');
		assert.equal(far.status, 200);
		assert.match(far.text, /Không tìm thấy ảnh nào\./);
	});

	test('the page exists in every language, with labels for every control', async () => {
		for (const [url, lang, h1] of [['/admin/media', 'vi', 'Thư viện ảnh'], ['/en/admin/media', 'en', 'Media library'], ['/zh/admin/media', 'zh', null]]) {
			const page = await editor.get(url);
			assert.equal(page.status, 200, url);
			assert.match(page.text, new RegExp(`<html lang="${lang}"`));
			if (h1) assert.match(page.text, new RegExp(`<h1>${h1}</h1>`));
			for (const id of ['file', 'alt', 'caption', 'q']) assert.match(page.text, new RegExp(`<label[^>]* for="${id}"`), `${url}: label for ${id}`);
			assert.match(page.text, /enctype="multipart\/form-data"/);
			assert.match(control(page.text, 'file'), /accept="image\/jpeg,image\/png,image\/webp/);
		}
	});
});

/* ---- edit and delete ------------------------------------------------------------------------------- */

describe('edit and delete', () => {
	test('edit the alt text and caption: saved, audited, shown', async () => {
		await editor.upload('/admin/media', { file: makePng(30, 20), filename: 'e.png', type: 'image/png', alt: 'Trước', caption: 'Cũ' });
		const m = lastMedia();
		const page = await editor.get(`/admin/media/${m.id}`);
		assert.equal(page.status, 200);
		assert.match(control(page.text, 'alt'), /value="Trước"/);
		const r = await editor.post(`/admin/media/${m.id}`, { csrf: editor.csrf, alt: 'Sau khi sửa', caption: 'Mới' });
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, `/admin/media/${m.id}`);
		assert.equal(sql(dataDir, `SELECT alt || '|' || caption FROM media WHERE id = ${m.id}`), 'Sau khi sửa|Mới');
		assert.equal(sql(dataDir, `SELECT action || '|' || detail FROM audit_log WHERE object_type = 'media' AND object_id = ${m.id} ORDER BY id DESC LIMIT 1`), 'media.edit|alt, caption');
		const after = await editor.get(`/admin/media/${m.id}`);
		assert.match(after.text, /class="notice" role="status">Đã lưu văn bản thay thế và chú thích\./);
		assert.match(after.text, new RegExp(`value="!\\[Sau khi sửa\\]\\(/media/${m.name}\\.jpg &quot;Mới&quot;\\)"`));
	});

	test('edit without alt text is refused and keeps what was typed', async () => {
		const m = lastMedia();
		const r = await editor.post(`/admin/media/${m.id}`, { csrf: editor.csrf, alt: '', caption: 'Chú thích mới <b>' });
		assert.equal(r.status, 422);
		assert.ok(fieldError(r.text, 'alt'));
		assert.match(control(r.text, 'alt'), /aria-describedby="alt-hint alt-error"/);
		assert.match(control(r.text, 'caption'), />Chú thích mới &lt;b&gt;<\/textarea>$/);
		assert.equal(sql(dataDir, `SELECT alt FROM media WHERE id = ${m.id}`), 'Sau khi sửa');
	});

	test('unknown or malformed ids answer 404', async () => {
		for (const url of ['/admin/media/999999', '/admin/media/abc', '/admin/media/1x', '/en/admin/media/0']) {
			const r = await editor.get(url);
			assert.equal(r.status, 404, url);
		}
		assert.equal((await editor.post('/admin/media/999999/delete', { csrf: editor.csrf })).status, 404);
	});

	test('an image used in an article\'s text cannot be deleted: the message lists the article', async () => {
		const [id, name] = sql(dataDir, "SELECT m.id, m.name FROM media m WHERE EXISTS (SELECT 1 FROM articles a WHERE a.body LIKE '%/media/' || m.name || '%') ORDER BY m.id LIMIT 1").split('|');
		const titles = sql(dataDir, `SELECT title FROM articles WHERE body LIKE '%/media/${name}%'`).split('\n');
		const page = await editor.get(`/admin/media/${id}`);
		assert.match(page.text, /id="usage-heading"/);
		assert.doesNotMatch(page.text, /action="\/admin\/media\/\d+\/delete"/, 'no delete button for a used image');
		const r = await editor.post(`/admin/media/${id}/delete`, { csrf: editor.csrf });
		assert.equal(r.status, 409);
		const box = r.text.match(/<div class="form-error" role="alert" id="delete-error">([\s\S]*?)<\/div>/);
		assert.ok(box, 'an error box');
		assert.match(box[1], /Không thể xóa ảnh đang được sử dụng/);
		for (const t of titles) assert.ok(unescapeHtml(box[1]).includes(t), `lists "${t}"`);
		assert.match(box[1], /trong bài/);
		assert.equal(mediaCount() > 0 && sql(dataDir, `SELECT count(*) FROM media WHERE id = ${id}`), '1');
		assert.ok(existsSync(path.join(dataDir, 'media', `${name}.jpg`)));
	});

	test('an image used as a cover cannot be deleted either (English message)', async () => {
		const [id, title] = sql(dataDir, 'SELECT m.id, a.title FROM media m JOIN articles a ON a.cover_id = m.id ORDER BY m.id LIMIT 1').split('|');
		const r = await editor.post(`/en/admin/media/${id}/delete`, { csrf: editor.csrf });
		assert.equal(r.status, 409);
		assert.match(r.text, /This image cannot be deleted while it is used/);
		assert.ok(unescapeHtml(r.text).includes(title));
		assert.match(r.text, /cover image/);
	});

	test('an image used by a static page cannot be deleted', async () => {
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'p.png', type: 'image/png', alt: 'Trên trang' });
		const m = lastMedia();
		const pageId = sql(dataDir, 'SELECT id FROM pages ORDER BY id LIMIT 1');
		sql(dataDir, `UPDATE pages SET body = body || '\n![x](/media/${m.name}-960.jpg)' WHERE id = ${pageId}`);
		const r = await editor.post(`/admin/media/${m.id}/delete`, { csrf: editor.csrf });
		assert.equal(r.status, 409);
		assert.match(r.text, /\(Trang, [a-z]+: trong bài\)/);
		sql(dataDir, `UPDATE pages SET body = replace(body, '\n![x](/media/${m.name}-960.jpg)', '') WHERE id = ${pageId}`);
	});

	test("another editor's draft that uses the image is listed without its title or a link", async () => {
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'n.png', type: 'image/png', alt: 'Trong bản nháp' });
		const m = lastMedia();
		const other = sql(dataDir, "SELECT id FROM users WHERE login = 'bientap2'");
		const cat = sql(dataDir, 'SELECT min(id) FROM categories');
		sql(dataDir, `INSERT INTO articles (lang, category_id, slug, title, body, status, author_id, created_at, updated_at)
			VALUES ('vi', ${cat}, 'nhap-bi-mat-media', 'Tiêu đề nháp bí mật', 'Thân bài ![a](/media/${m.name}.jpg)', 'draft', ${other}, 0, 0)`);
		const aid = sql(dataDir, "SELECT id FROM articles WHERE slug = 'nhap-bi-mat-media'");
		try {
			const r = await editor.post(`/admin/media/${m.id}/delete`, { csrf: editor.csrf });
			assert.equal(r.status, 409);
			assert.doesNotMatch(r.text, /Tiêu đề nháp bí mật/);
			assert.match(r.text, new RegExp(`Bài viết bạn không có quyền mở #${aid} <span class="usage-meta">`));
			assert.doesNotMatch(r.text, new RegExp(`href="/admin/articles/${aid}"`));
			/* a publisher may open any article: the title links to its editor */
			const pub = await login('duyet');
			const p = await pub.get(`/admin/media/${m.id}`);
			assert.match(p.text, new RegExp(`<a href="/admin/articles/${aid}">Tiêu đề nháp bí mật</a>`));
		} finally {
			sql(dataDir, `DELETE FROM articles WHERE id = ${aid}`);
		}
	});

	test('an unused image is deleted: row and files gone, audited, notice shown', async () => {
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'd.png', type: 'image/png', alt: 'Sẽ bị xóa' });
		const m = lastMedia();
		const page = await editor.get(`/admin/media/${m.id}`);
		assert.match(page.text, new RegExp(`<form method="post" action="/admin/media/${m.id}/delete"`));
		const r = await editor.post(`/admin/media/${m.id}/delete`, { csrf: editor.csrf });
		assert.equal(r.status, 303);
		assert.equal(r.headers.location, '/admin/media');
		assert.equal(sql(dataDir, `SELECT count(*) FROM media WHERE id = ${m.id}`), '0');
		for (const suffix of ['', '-480', '-960', '-1600'])
			assert.ok(!existsSync(path.join(dataDir, 'media', `${m.name}${suffix}.jpg`)), `${suffix} removed`);
		assert.equal((await request(srv, `/media/${m.name}.jpg`)).status, 404);
		assert.equal(sql(dataDir, `SELECT action FROM audit_log WHERE object_type = 'media' AND object_id = ${m.id} ORDER BY id DESC LIMIT 1`), 'media.delete');
		const lib = await editor.get('/admin/media');
		assert.match(lib.text, /class="notice" role="status">Đã xóa ảnh\./);
		assert.equal((await editor.get(`/admin/media/${m.id}`)).status, 404);
	});
});

/* ---- the JSON list --------------------------------------------------------------------------------- */

describe('JSON list for the editor', () => {
	test('recent images with id, name, alt, caption, thumb, url and markdown', async () => {
		await editor.upload('/admin/media', { file: makePng(10, 10), filename: 'j.png', type: 'image/png', alt: 'Ảnh JSON "đặc biệt"', caption: 'Chú thích JSON' });
		const m = lastMedia();
		const r = await editor.get('/admin/media.json');
		assert.equal(r.status, 200);
		assert.match(r.headers['content-type'], /^application\/json/);
		const j = JSON.parse(r.text);
		assert.equal(j.page, 1);
		assert.equal(j.total, mediaCount());
		assert.equal(j.items.length, 24);
		const it = j.items[0];
		assert.equal(it.id, m.id);
		assert.equal(it.name, m.name);
		assert.equal(it.alt, 'Ảnh JSON "đặc biệt"');
		assert.equal(it.caption, 'Chú thích JSON');
		assert.equal(it.thumb, `/media/${m.name}-480.jpg`);
		assert.equal(it.url, `/media/${m.name}.jpg`);
		assert.equal(it.markdown, `![Ảnh JSON "đặc biệt"](/media/${m.name}.jpg "Chú thích JSON")`);
		assert.equal(it.width, 10);
	});

	test('search and pages', async () => {
		const j = JSON.parse((await editor.get('/admin/media.json?q=anh+json')).text);
		assert.equal(j.total, 1);
		assert.equal(j.items[0].alt, 'Ảnh JSON "đặc biệt"');
		const p2 = JSON.parse((await editor.get('/admin/media.json?page=2&per_page=5')).text);
		assert.equal(p2.page, 2);
		assert.equal(p2.per_page, 5);
		assert.equal(p2.items.length, 5);
		const p1 = JSON.parse((await editor.get('/admin/media.json?per_page=10')).text);
		assert.deepEqual(p2.items.map((x) => x.id), p1.items.slice(5, 10).map((x) => x.id));
		const bad = JSON.parse((await editor.get('/admin/media.json?page=-3&per_page=100000')).text);
		assert.equal(bad.page, 1);
		assert.ok(bad.items.length <= 60);
	});
});
