/* Media library enhancements (the pages work without them): a Copy button beside each Markdown snippet,
 * and the 20 MB check before a long upload, so the alt text typed is not lost to a refused request. */
(function () {
	'use strict';
	var status = document.getElementById('copy-status');

	function say(text) {
		if (!status) return;
		status.textContent = '';
		window.setTimeout(function () { status.textContent = text; }, 50);
	}

	function copyFrom(input) {
		input.focus();
		input.select();
		var done = function () { say(status ? status.getAttribute('data-done') : ''); };
		if (navigator.clipboard && window.isSecureContext) {
			navigator.clipboard.writeText(input.value).then(done, function () {
				if (document.execCommand('copy')) done();
			});
		} else if (document.execCommand('copy')) {
			done();
		}
	}

	var buttons = document.querySelectorAll('button[data-copy]');
	for (var i = 0; i < buttons.length; i++) {
		(function (b) {
			var input = document.getElementById(b.getAttribute('data-copy'));
			if (!input) return;
			b.hidden = false;
			b.addEventListener('click', function () { copyFrom(input); });
		})(buttons[i]);
	}

	/* a click in a snippet selects all of it, ready for Ctrl+C */
	var snippets = document.querySelectorAll('input.media-snippet');
	for (var j = 0; j < snippets.length; j++)
		snippets[j].addEventListener('focus', function (e) { e.target.select(); });

	var form = document.querySelector('form[data-max-bytes]');
	if (!form) return;
	var max = Number(form.getAttribute('data-max-bytes'));
	var file = form.querySelector('input[type=file]');
	var err = document.getElementById('file-client-error');
	if (!file || !err || !max) return;
	var described = file.getAttribute('aria-describedby') || '';
	function check() {
		var big = file.files && file.files[0] && file.files[0].size > max;
		err.hidden = !big;
		err.textContent = big ? err.getAttribute('data-message') : '';
		if (big) {
			file.setAttribute('aria-invalid', 'true');
			file.setAttribute('aria-describedby', (described + ' file-client-error').trim());
		} else {
			file.removeAttribute('aria-invalid');
			file.setAttribute('aria-describedby', described);
		}
		return !big;
	}
	file.addEventListener('change', check);
	form.addEventListener('submit', function (e) {
		if (!check()) {
			e.preventDefault();
			file.focus();
		}
	});
})();
