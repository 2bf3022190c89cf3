#!/usr/bin/env python3
"""Check the UI catalogs against the templates.

Usage: python3 locale/check.py [--skip-msgfmt]      (from anywhere; paths are relative to this file)

Checks, for each of locale/vi.po, en.po and zh.po:
  * every msgid written as {{_ English text}} in templates/**/*.html (trimmed, as the engine trims it)
    is present, not fuzzy, with a non-empty msgstr;
  * the header names the right Language and "Content-Type: text/plain; charset=UTF-8";
  * no msgid appears twice, and all three files hold the same set of msgids (the C code's msgids too);
  * a msgstr keeps the printf conversions (%d, %s …) of its msgid, in order;
  * `msgfmt --check -o /dev/null` accepts the file (needs gettext; --skip-msgfmt skips this step).
Exit status 0 when everything passes, 1 otherwise; one line per problem, then a summary line.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TEMPLATES = os.path.join(ROOT, "templates")
LANGS = ("vi", "en", "zh")

TAG = re.compile(r"\{\{_(.*?)\}\}", re.S)
PRINTF = re.compile(r"%(?:%|[-+ #0]*\d*(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGaAcspn])")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def template_msgids():
    """Return {msgid: [file:line, …]} for every {{_ …}} tag under templates/."""
    found = {}
    for dirpath, _dirs, files in os.walk(TEMPLATES):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in TAG.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                where = "%s:%d" % (os.path.relpath(path, ROOT), line)
                found.setdefault(m.group(1).strip(), []).append(where)
    return found


def unquote(s, where):
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError("%s: expected a quoted string, got %r" % (where, s))
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 1
            if i >= len(body) or body[i] not in ESCAPES:
                raise ValueError("%s: bad escape in %r" % (where, s))
            out.append(ESCAPES[body[i]])
        elif c == '"':
            raise ValueError("%s: unescaped quote in %r" % (where, s))
        else:
            out.append(c)
        i += 1
    return "".join(out)


def parse_po(path):
    """Return a list of entries {msgid, msgstr, msgctxt, fuzzy, line}; raises ValueError on bad syntax."""
    entries, cur, field, flags = [], None, None, set()

    def finish():
        if cur is not None:
            if "msgid" not in cur or "msgstr" not in cur:
                raise ValueError("%s:%d: entry without msgid or msgstr" % (path, cur["line"]))
            cur["fuzzy"] = "fuzzy" in cur["flags"]
            entries.append(cur)

    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            where = "%s:%d" % (path, n)
            if not line:
                continue
            if line.startswith("#~"):
                continue  # obsolete entry
            if line.startswith("#,"):
                flags |= {x.strip() for x in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$", line)
            if m:
                key = m.group(1)
                if key in ("msgctxt", "msgid") and (cur is None or "msgstr" in cur or "msgstr[0]" in cur):
                    finish()
                    cur, flags = {"line": n, "flags": flags}, set()
                if cur is None:
                    raise ValueError("%s: %s before msgid" % (where, key))
                if key.startswith("msgstr["):
                    key = "msgstr" if key == "msgstr[0]" else key
                cur[key] = unquote(m.group(2), where)
                field = key
            elif line.startswith('"'):
                if cur is None or field is None:
                    raise ValueError("%s: continuation line outside an entry" % where)
                cur[field] += unquote(line, where)
            else:
                raise ValueError("%s: cannot parse %r" % (where, line))
    finish()
    return entries


def main(argv):
    skip_msgfmt = "--skip-msgfmt" in argv
    problems, checks = [], 0
    wanted = template_msgids()
    if "" in wanted:
        problems.append("empty {{_ }} tag at %s" % ", ".join(wanted.pop("")))
    catalogs = {}
    for lang in LANGS:
        path = os.path.join(HERE, lang + ".po")
        rel = os.path.relpath(path, ROOT)
        try:
            entries = parse_po(path)
        except (OSError, ValueError) as e:
            problems.append(str(e))
            continue
        header = next((e for e in entries if e["msgid"] == "" and not e.get("msgctxt")), None)
        checks += 1
        if header is None:
            problems.append("%s: no header entry" % rel)
        else:
            if not re.search(r"^Language: %s$" % re.escape(lang), header["msgstr"], re.M):
                problems.append("%s: header has no 'Language: %s'" % (rel, lang))
            if not re.search(r"^Content-Type: text/plain; charset=UTF-8$", header["msgstr"], re.M | re.I):
                problems.append("%s: header has no 'Content-Type: text/plain; charset=UTF-8'" % rel)
        cat = {}
        for e in entries:
            if e["msgid"] == "":
                continue
            key = (e.get("msgctxt"), e["msgid"])
            if key in cat:
                problems.append("%s:%d: duplicate msgid %r" % (rel, e["line"], e["msgid"]))
            cat[key] = e
            checks += 1
            ids, strs = PRINTF.findall(e["msgid"]), PRINTF.findall(e["msgstr"])
            if e["msgstr"] and ids != strs:
                problems.append("%s:%d: msgstr conversions %s differ from msgid's %s" % (rel, e["line"], strs, ids))
        catalogs[lang] = {k[1]: v for k, v in cat.items() if k[0] is None}
        for msgid, places in sorted(wanted.items()):
            checks += 1
            e = catalogs[lang].get(msgid)
            if e is None:
                problems.append("%s: missing msgid %r (used at %s)" % (rel, msgid, ", ".join(places)))
            elif e["fuzzy"]:
                problems.append("%s:%d: msgid %r is fuzzy" % (rel, e["line"], msgid))
            elif not e["msgstr"].strip():
                problems.append("%s:%d: empty msgstr for %r" % (rel, e["line"], msgid))
        if not skip_msgfmt:
            checks += 1
            msgfmt = shutil.which("msgfmt")
            if msgfmt is None:
                problems.append("msgfmt not found (apt-get install gettext, or pass --skip-msgfmt)")
            else:
                r = subprocess.run([msgfmt, "--check", "-o", os.devnull, path], capture_output=True, text=True)
                if r.returncode != 0:
                    problems.append("%s: msgfmt --check failed:\n%s" % (rel, r.stderr.rstrip()))
    if len(catalogs) == len(LANGS):
        base = set(catalogs[LANGS[0]])
        for lang in LANGS[1:]:
            checks += 1
            other = set(catalogs[lang])
            for msgid in sorted(base - other):
                problems.append("locale/%s.po: lacks %r, which %s.po has" % (lang, msgid, LANGS[0]))
            for msgid in sorted(other - base):
                problems.append("locale/%s.po: lacks %r, which %s.po has" % (LANGS[0], msgid, lang))
    for p in problems:
        print(p)
    print("%d template msgids, %d catalog msgids" % (len(wanted), len(catalogs.get(LANGS[0], {}))))
    print("%d passed, %d failed" % (max(checks - len(problems), 0), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
