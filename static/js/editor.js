/* Cổng — the article editor's enhancements: a Markdown toolbar, a live preview rendered by the server,
 * and autosave (to the server every few seconds, to localStorage as well for when the network is gone).
 * The editor is a plain form that works without any of this.  Loaded with <script defer>; no inline
 * script or style is needed (the CSP forbids both).  UI strings come from data-l-* attributes that the
 * server filled in the page's language. */
(function () {
	'use strict';

	var form = document.getElementById('editor');
	if (!form) return;
	var body = document.getElementById('body');
	var toolbar = form.querySelector('[data-toolbar]');
	var status = form.querySelector('[data-autosave-status]');
	var csrfInput = form.querySelector('input[name="csrf"]');
	var csrf = csrfInput ? csrfInput.value : '';
	var readonly = form.hasAttribute('data-readonly');
	var articleId = form.getAttribute('data-id') || '0';
	var updatedMs = Number(form.getAttribute('data-updated') || 0);
	var storeKey = 'cong.autosave.' + (form.getAttribute('data-user') || '') + '.' + articleId;
	var FIELDS = ['title', 'slug', 'lead', 'body', 'tags', 'category_id', 'published_at', 'author', 'source',
		'cover_id', 'cover_caption', 'cover_alt', 'review_comment'];

	function t(el, key, fallback) {
		return (el && el.getAttribute('data-l-' + key)) || fallback;
	}

	/* a refused save: bring the keyboard to the summary of what to fix (or to the conflict notice) */
	var problem = document.getElementById('conflict') || document.getElementById('error-summary');
	if (problem) problem.focus();

	/* ---- the toolbar ------------------------------------------------------------------------------ */

	/* Replaces the selection with text (keeping the browser's undo history where it can), then selects
	 * [selStart, selEnd) of the inserted text. */
	function replaceSelection(text, selStart, selEnd) {
		body.focus();
		var start = body.selectionStart;
		var ok = false;
		try {
			ok = document.execCommand('insertText', false, text);
		} catch (e) {
			ok = false;
		}
		if (!ok) {
			body.setRangeText(text, body.selectionStart, body.selectionEnd, 'end');
			body.dispatchEvent(new Event('input', { bubbles: true }));
		}
		if (selStart !== undefined) body.setSelectionRange(start + selStart, start + (selEnd === undefined ? selStart : selEnd));
	}

	function selected() {
		return body.value.slice(body.selectionStart, body.selectionEnd);
	}

	function wrap(mark, placeholder) {
		var s = selected() || placeholder;
		replaceSelection(mark + s + mark, mark.length, mark.length + s.length);
	}

	/* Extends the selection to whole lines and applies fn to each line. */
	function eachLine(fn) {
		var v = body.value;
		var a = v.lastIndexOf('\n', body.selectionStart - 1) + 1;
		var b = v.indexOf('\n', body.selectionEnd);
		if (b < 0) b = v.length;
		body.setSelectionRange(a, b);
		var lines = v.slice(a, b).split('\n');
		var out = lines.map(fn).join('\n');
		replaceSelection(out, 0, out.length);
	}

	/* Text to insert as its own block after the line the selection ends on (the selection is never
	 * replaced), with blank lines around it unless already there; the caret ends after it. */
	function block(text) {
		body.focus();
		var eol = body.value.indexOf('\n', body.selectionEnd);
		if (eol < 0) eol = body.value.length;
		body.setSelectionRange(eol, eol);
		var v = body.value, at = eol;
		var before = at === 0 || v.slice(Math.max(0, at - 2), at) === '\n\n' ? '' : (v[at - 1] === '\n' ? '\n' : '\n\n');
		var after = v.slice(body.selectionEnd, body.selectionEnd + 1) === '\n' ? '\n' : '\n\n';
		replaceSelection(before + text + after, before.length + text.length + after.length);
	}

	var imageDialog = null;

	function chooseImage() {
		var choices = form.querySelectorAll('input[name="cover_id"][data-src]');
		if (!choices.length || typeof HTMLDialogElement !== 'function') {
			block('![' + t(toolbar, 'alt', 'description') + '](/media/… .jpg "' + t(toolbar, 'caption', 'caption') + '")');
			return;
		}
		if (!imageDialog) {
			imageDialog = document.createElement('dialog');
			imageDialog.className = 'image-dialog';
			imageDialog.setAttribute('aria-labelledby', 'image-dialog-title');
			var h = document.createElement('h2');
			h.id = 'image-dialog-title';
			h.textContent = t(toolbar, 'choose-image', 'Choose an image');
			imageDialog.appendChild(h);
			var list = document.createElement('ul');
			list.className = 'image-dialog-list';
			Array.prototype.forEach.call(choices, function (input) {
				var li = document.createElement('li');
				var btn = document.createElement('button');
				btn.type = 'button';
				btn.className = 'image-dialog-choice';
				var img = document.createElement('img');
				img.src = input.getAttribute('data-src').replace(/\.jpg$/, '-480.jpg');
				img.alt = '';
				img.width = 120;
				img.height = 75;
				var label = document.createElement('span');
				label.textContent = input.getAttribute('data-alt') || input.value;
				btn.appendChild(img);
				btn.appendChild(label);
				btn.addEventListener('click', function () {
					imageDialog.close();
					var alt = (input.getAttribute('data-alt') || '').replace(/[\[\]]/g, '');
					var cap = (input.getAttribute('data-caption') || '').replace(/"/g, '\u201d');
					block('![' + alt + '](' + input.getAttribute('data-src') + (cap ? ' "' + cap + '"' : '') + ')');
				});
				li.appendChild(btn);
				list.appendChild(li);
			});
			imageDialog.appendChild(list);
			var close = document.createElement('button');
			close.type = 'button';
			close.className = 'button button-secondary';
			close.textContent = t(toolbar, 'close', 'Close');
			close.addEventListener('click', function () {
				imageDialog.close();
			});
			imageDialog.appendChild(close);
			imageDialog.addEventListener('close', function () {
				body.focus();
			});
			document.body.appendChild(imageDialog);
		}
		imageDialog.showModal();
	}

	var actions = {
		heading: function () {
			eachLine(function (l) {
				return /^#{1,5} /.test(l) ? '#' + l : /^###### /.test(l) ? l.replace(/^#+ /, '') : '## ' + l;
			});
		},
		bold: function () { wrap('**', t(toolbar, 'text', 'text')); },
		italic: function () { wrap('*', t(toolbar, 'text', 'text')); },
		link: function () {
			var url = window.prompt(t(toolbar, 'link-prompt', 'Link address'), 'https://');
			if (!url) return;
			var s = selected() || t(toolbar, 'text', 'text');
			replaceSelection('[' + s + '](' + url.trim() + ')', 1, 1 + s.length);
		},
		ul: function () { eachLine(function (l) { return /^- /.test(l) ? l.slice(2) : '- ' + l; }); },
		ol: function () {
			var n = 0;
			eachLine(function (l) { return /^\d+\. /.test(l) ? l.replace(/^\d+\. /, '') : ++n + '. ' + l; });
		},
		image: chooseImage,
		table: function () {
			var c = t(toolbar, 'col', 'Column');
			block('| ' + c + ' 1 | ' + c + ' 2 |\n| --- | --- |\n|  |  |\n|  |  |');
		},
	};

	var previewButton = null;

	if (toolbar && body && !readonly) {
		[['heading', 'Heading'], ['bold', 'Bold'], ['italic', 'Italic'], ['link', 'Link'], ['ul', 'Bulleted list'],
			['ol', 'Numbered list'], ['image', 'Image'], ['table', 'Table']].forEach(function (a) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'md-tool md-tool-' + a[0];
			b.textContent = t(toolbar, a[0], a[1]);
			b.addEventListener('click', function () { actions[a[0]](); });
			toolbar.appendChild(b);
		});
		previewButton = document.createElement('button');
		previewButton.type = 'button';
		previewButton.className = 'md-tool md-tool-preview';
		previewButton.setAttribute('aria-pressed', 'false');
		previewButton.setAttribute('aria-controls', 'live-preview');
		previewButton.textContent = t(toolbar, 'preview', 'Live preview');
		toolbar.appendChild(previewButton);
		toolbar.hidden = false;
		body.addEventListener('keydown', function (e) {
			if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
			var k = e.key.toLowerCase();
			if (k === 'b' || k === 'i' || k === 'k') {
				e.preventDefault();
				actions[k === 'b' ? 'bold' : k === 'i' ? 'italic' : 'link']();
			}
		});
	}

	/* ---- the live preview ------------------------------------------------------------------------- */

	var live = document.getElementById('live-preview');
	var liveBody = live ? live.querySelector('.md-live-body') : null;
	var previewTimer = null, previewSeq = 0;

	function renderPreview() {
		var seq = ++previewSeq;
		fetch(form.getAttribute('data-fragment-url'), {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
			body: new URLSearchParams({ body: body.value }).toString(),
		}).then(function (r) {
			return r.ok ? r.text() : null;
		}).then(function (html) {
			/* the server's Markdown renderer escapes raw HTML and drops unsafe URLs: its output is safe */
			if (html !== null && seq === previewSeq) liveBody.innerHTML = html;
		}).catch(function () { /* offline: the preview waits for the next change */ });
	}

	if (previewButton && live && liveBody) {
		previewButton.addEventListener('click', function () {
			var on = previewButton.getAttribute('aria-pressed') !== 'true';
			previewButton.setAttribute('aria-pressed', on ? 'true' : 'false');
			live.hidden = !on;
			form.classList.toggle('with-live-preview', on);
			if (on) renderPreview();
		});
		body.addEventListener('input', function () {
			if (live.hidden) return;
			clearTimeout(previewTimer);
			previewTimer = setTimeout(renderPreview, 500);
		});
	}

	/* ---- autosave --------------------------------------------------------------------------------- */

	function fieldValues() {
		var v = {};
		FIELDS.forEach(function (name) {
			var els = form.elements[name];
			if (!els) return;
			if (els instanceof RadioNodeList || (els.length !== undefined && els.tagName !== 'SELECT')) {
				var checked = Array.prototype.filter.call(els, function (e) { return e.checked; })[0];
				if (checked) v[name] = checked.value;
			} else {
				v[name] = els.value;
			}
		});
		return v;
	}

	function setValues(v) {
		Object.keys(v).forEach(function (name) {
			if (FIELDS.indexOf(name) < 0) return;
			var els = form.elements[name];
			if (!els) return;
			if (els instanceof RadioNodeList || (els.length !== undefined && els.tagName !== 'SELECT')) {
				Array.prototype.forEach.call(els, function (e) { e.checked = e.value === v[name]; });
			} else if (!els.readOnly && !els.disabled) {
				els.value = v[name];
			}
		});
		if (body) body.dispatchEvent(new Event('input', { bubbles: true }));
	}

	function same(a, b) {
		return FIELDS.every(function (k) { return (a[k] || '') === (b[k] || ''); });
	}

	function say(text) {
		if (status) status.textContent = text;
	}

	function hhmm(ms) {
		var d = new Date(ms);
		return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
	}

	function storeLocal(values, extra) {
		try {
			var entry = { saved_at: Date.now(), fields: values };
			if (extra) Object.keys(extra).forEach(function (k) { entry[k] = extra[k]; });
			localStorage.setItem(storeKey, JSON.stringify(entry));
		} catch (e) { /* storage full or disabled: the server copy still counts */ }
	}

	function readLocal() {
		try {
			return JSON.parse(localStorage.getItem(storeKey) || 'null');
		} catch (e) {
			return null;
		}
	}

	function dropLocal() {
		try { localStorage.removeItem(storeKey); } catch (e) { /* nothing to do */ }
	}

	/* Offers the copy this browser kept when it is newer than the stored article and differs from the form. */
	function offerLocal() {
		var entry = readLocal();
		if (!entry || !entry.fields) return;
		var stale = articleId !== '0' ? entry.saved_at <= updatedMs : entry.submitted;
		if (stale || same(entry.fields, fieldValues())) {
			dropLocal();
			return;
		}
		/* the server offers its own copy: this browser's is shown instead only when it is newer */
		var serverOffer = document.querySelector('.autosave-offer');
		if (serverOffer) {
			if (entry.saved_at <= Number(serverOffer.getAttribute('data-at') || 0) + 1000) return;
			serverOffer.hidden = true;
		}
		var box = document.createElement('div');
		box.className = 'notice autosave-offer';
		box.setAttribute('role', 'status');
		var p = document.createElement('p');
		p.textContent = t(status, 'local', 'This browser kept unsaved text from') + ' ' + hhmm(entry.saved_at) + '.';
		box.appendChild(p);
		var actionsBox = document.createElement('div');
		actionsBox.className = 'form-actions';
		var restore = document.createElement('button');
		restore.type = 'button';
		restore.className = 'button';
		restore.textContent = t(status, 'restore', 'Restore the unsaved text');
		var discard = document.createElement('button');
		discard.type = 'button';
		discard.className = 'button button-secondary';
		discard.textContent = t(status, 'discard', 'Discard it');
		restore.addEventListener('click', function () {
			setValues(entry.fields);
			box.remove();
			say(t(status, 'restored', 'The unsaved text has been put back into the form. Save it to keep it.'));
			var title = document.getElementById('title');
			if (title) title.focus();
		});
		discard.addEventListener('click', function () {
			dropLocal();
			box.remove();
		});
		actionsBox.appendChild(restore);
		actionsBox.appendChild(discard);
		box.appendChild(actionsBox);
		form.parentNode.insertBefore(box, form);
	}

	if (!readonly) {
		var last = JSON.stringify(fieldValues());
		var dirty = false, inFlight = false;
		offerLocal();
		form.addEventListener('input', function () { dirty = true; });
		form.addEventListener('change', function () { dirty = true; });
		setInterval(function () {
			if (!dirty || inFlight) return;
			var values = fieldValues();
			var json = JSON.stringify(values);
			dirty = false;
			if (json === last) return;
			storeLocal(values);
			var params = new URLSearchParams(values);
			params.set('article', articleId);
			inFlight = true;
			fetch(form.getAttribute('data-autosave-url'), {
				method: 'POST',
				credentials: 'same-origin',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
				body: params.toString(),
			}).then(function (r) {
				inFlight = false;
				if (!r.ok) throw new Error('autosave ' + r.status);
				last = json;
				say(t(status, 'saved', 'Autosaved at') + ' ' + hhmm(Date.now()));
			}).catch(function () {
				inFlight = false;
				dirty = true; /* try again at the next tick */
				say(t(status, 'offline', 'Not connected: your text is kept in this browser.'));
			});
		}, 5000);
		form.addEventListener('submit', function (e) {
			var s = e.submitter;
			if (s && s.hasAttribute('formaction')) return; /* the preview saves nothing */
			storeLocal(fieldValues(), { submitted: true });
		});
	}
})();
