#!/usr/bin/env python3
"""Validate the demo content of Cổng (demo/site.ini, categories.txt, articles/, pages/).

Usage: python3 demo/check.py [demo_dir]      exit status 0 when everything is valid.
Errors make the check fail; warnings are printed but do not.
"""
import configparser
import datetime
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

LANGS = ("vi", "en", "zh")
IMAGES = {"field", "river", "bridge", "school", "hospital", "festival", "factory", "meeting",
          "road", "port", "forest", "market", "temple", "harvest", "digital", "border"}
ARTICLE_KEYS = ["title", "lang", "group", "category", "lead", "author", "source", "tags",
                "published", "featured", "image", "caption", "alt"]
ARTICLE_OPTIONAL = {"featured"}
PAGE_KEYS = ["title", "slug", "lang", "group"]
PAGE_GROUPS = ("gioi-thieu", "lien-he")
SITE_KEYS = [k + "_" + l for k in ("name", "agency", "responsible", "address", "license") for l in LANGS] + ["phone", "email"]
PUB_FROM, PUB_TO = datetime.datetime(2026, 9, 1), datetime.datetime(2026, 11, 30, 23, 59)
MIN_VI_ARTICLES, MIN_PER_CATEGORY, MIN_TRANSLATED = 48, 5, 8
WORDS_MIN, WORDS_MAX = 250, 600          # vi and en bodies, in words
ZH_MIN, ZH_MAX = 400, 1500               # zh bodies, in Han characters
INLINE_IMG = re.compile(r'!\[([^\]]*)\]\(([^)\s]*)(?:\s+"([^"]*)")?\)')
# "new style" tone placement (hoà, thuỷ); the demo uses the traditional one (hòa, thủy) throughout
# acronyms that Chinese texts keep in Latin letters
ZH_LATIN_OK = re.compile(r"[A-Z]{2,}[A-Za-z]*|kV|USD|VNeID")
NEW_STYLE = re.compile(r'(?i)(?<![gq])(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![a-zđàáảãạăâêôơưèéẻẽẹìíỉĩịòóỏõọùúủũụ])')

errors, warnings = [], []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def warn(where, msg):
    warnings.append(f"{where}: {msg}")


def fold(s):
    """Same folding as utf8_slug: NFC, lowercase, diacritics removed, đ→d, runs of other chars → '-'."""
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d").replace("Đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def read_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(path, f"not UTF-8 ({e})")
        return None
    if text.startswith("\ufeff"):
        err(path, "starts with a byte-order mark")
    if "\r" in text:
        err(path, "has CR characters (use LF line ends)")
    if not unicodedata.is_normalized("NFC", text):
        err(path, "text is not in NFC")
    if not text.endswith("\n"):
        err(path, "does not end with a newline")
    for n, line in enumerate(text.split("\n"), 1):
        if line != line.rstrip(" \t"):
            warn(f"{path}:{n}", "trailing whitespace")
        if "\t" in line:
            err(f"{path}:{n}", "tab character")
    return text


def parse_doc(path, text):
    """Header lines `key: value` up to the first blank line, then the body."""
    head, sep, body = text.partition("\n\n")
    if not sep:
        err(path, "no blank line between header and body")
    meta = {}
    for n, line in enumerate(head.split("\n"), 1):
        m = re.match(r"^([a-z_]+): (.*)$", line)
        if not m:
            err(f"{path}:{n}", f"bad header line {line!r}")
            continue
        k, v = m.group(1), m.group(2).strip()
        if k in meta:
            err(f"{path}:{n}", f"duplicate key {k}")
        if not v:
            err(f"{path}:{n}", f"empty value for {k}")
        meta[k] = v
    return meta, body


def plain_words(body):
    t = INLINE_IMG.sub(" ", body)
    t = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", " ", t, flags=re.M)     # table separators
    t = re.sub(r"[#*_>|`\[\]()]", " ", t)
    return [w for w in t.split() if re.search(r"\w", w)]


def han_count(body):
    return sum(1 for c in INLINE_IMG.sub("", body) if "\u4e00" <= c <= "\u9fff")


def check_markdown(path, body, lang):
    """Body-level checks shared by articles and pages; returns the inline image count."""
    if re.search(r"<[a-zA-Z/!]", body):
        err(path, "raw HTML in the body (it will be escaped)")
    if re.match(r"\s*# ", body):
        err(path, "body starts with a level-1 heading (the title is rendered by the template)")
    if re.search(r"^# ", body, flags=re.M):
        err(path, "level-1 heading in body; use ## for subheadings")
    n_img = 0
    for m in INLINE_IMG.finditer(body):
        n_img += 1
        alt, url, cap = m.groups()
        if not url.startswith("image:") or url[6:] not in IMAGES:
            err(path, f"inline image URL must be image:KEYWORD with a known keyword, got {url!r}")
        if not alt.strip():
            err(path, "inline image without alt text")
        if not cap or not cap.strip():
            err(path, "inline image without a caption")
    if "](image:" in body.replace("![", "") and body.count("](image:") != n_img:
        err(path, "malformed inline image")
    # tables: every row of a block has the same number of cells
    block = []
    for line in body.split("\n") + [""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            cells = [len(r.strip().strip("|").split("|")) for r in block]
            if len(set(cells)) != 1:
                err(path, f"table rows have different cell counts {cells}")
            if len(block) < 3 or not re.match(r"^\|[-:| ]+\|$", block[1].strip()):
                err(path, "table needs a header row and a |---| separator")
            block = []
    if lang == "vi":
        for m in NEW_STYLE.finditer(body):
            warn(path, f"new-style tone mark near {body[max(0, m.start()-8):m.end()+4]!r}")
    if lang == "zh":
        rest = INLINE_IMG.sub("", body)
        rest = re.sub(r"（[^）]*）|\([^)]*\)|[\w.]+@[\w.]+", "", rest)   # glosses in brackets, emails
        latin = sorted(set(w for w in re.findall(r"[A-Za-z]{3,}", rest) if not ZH_LATIN_OK.fullmatch(w)))
        if latin:
            warn(path, "Latin words in a Chinese text: " + ", ".join(latin[:8]))
    return n_img


def check_site(d):
    path = os.path.join(d, "site.ini")
    text = read_text(path)
    if text is None:
        return
    cp = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"), inline_comment_prefixes=None)
    try:
        cp.read_string(text)
    except configparser.Error as e:
        err(path, str(e))
        return
    if "site" not in cp:
        err(path, "no [site] section")
        return
    s = cp["site"]
    for k in SITE_KEYS:
        if not s.get(k, "").strip():
            err(path, f"missing key {k}")
    for k, v in s.items():
        if k not in SITE_KEYS:
            warn(path, f"unknown key {k}")
        if v[:1] in "\"'":
            err(path, f"{k}: values are not quoted")
    if not re.fullmatch(r"0\d{3} \d{3} \d{4}", s.get("phone", "")):
        err(path, "phone must look like 0238 3xx xxxx")
    if not re.fullmatch(r"[a-z0-9.]+@[a-z0-9.]+\.example\.vn", s.get("email", "")):
        err(path, "email must be on an .example.vn domain")


def check_categories(d):
    path = os.path.join(d, "categories.txt")
    text = read_text(path)
    cats = {}
    if text is None:
        return cats
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("|")
        if len(f) != 6:
            err(f"{path}:{n}", f"expected 6 fields, got {len(f)}")
            continue
        slug, parent, nvi, nen, nzh, desc = (x.strip() for x in f)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            err(f"{path}:{n}", f"bad slug {slug!r}")
        if slug in cats:
            err(f"{path}:{n}", f"duplicate slug {slug}")
        if not (nvi and nen and nzh and desc):
            err(f"{path}:{n}", "empty name or description")
        cats[slug] = {"parent": parent, "vi": nvi, "en": nen, "zh": nzh, "line": n}
    for slug, c in cats.items():
        p = c["parent"]
        if p and p not in cats:
            err(f"{path}:{c['line']}", f"parent {p} does not exist")
        elif p and cats[p]["parent"]:
            err(f"{path}:{c['line']}", "only two levels allowed")
    top = [s for s, c in cats.items() if not c["parent"]]
    kids = [s for s, c in cats.items() if c["parent"]]
    if len(top) < 6:
        err(path, f"{len(top)} top-level categories, need at least 6")
    if not 2 <= len(kids) <= 3:
        err(path, f"{len(kids)} child categories, need 2-3")
    for lang in LANGS:
        names = Counter(c[lang] for c in cats.values())
        for name, k in names.items():
            if k > 1:
                err(path, f"duplicate {lang} name {name}")
    return cats


def check_articles(d, cats):
    adir = os.path.join(d, "articles")
    arts = []
    for fn in sorted(os.listdir(adir)):
        path = os.path.join(adir, fn)
        if not re.fullmatch(r"\d{3}-[a-z0-9]+(-[a-z0-9]+)*\.md", fn):
            err(path, "file name must be NNN-slug.md")
            continue
        text = read_text(path)
        if text is None:
            continue
        meta, body = parse_doc(path, text)
        for k in ARTICLE_KEYS:
            if k not in meta and k not in ARTICLE_OPTIONAL:
                err(path, f"missing key {k}")
        for k in meta:
            if k not in ARTICLE_KEYS:
                err(path, f"unknown key {k}")
        lang = meta.get("lang", "")
        if lang not in LANGS:
            err(path, f"lang must be one of {LANGS}")
        if meta.get("category") not in cats:
            err(path, f"unknown category {meta.get('category')!r}")
        if not re.fullmatch(r"g\d{2,3}", meta.get("group", "")):
            err(path, "group must look like g07")
        if meta.get("image") not in IMAGES:
            err(path, f"image {meta.get('image')!r} is not one of the keywords")
        if meta.get("featured", "no") not in ("yes", "no"):
            err(path, "featured must be yes or no")
        try:
            pub = datetime.datetime.strptime(meta.get("published", ""), "%Y-%m-%d %H:%M")
            if not PUB_FROM <= pub <= PUB_TO:
                err(path, f"published {pub} outside Sept-Nov 2026")
        except ValueError:
            err(path, "published must be YYYY-MM-DD HH:MM")
            pub = None
        tags = [t.strip() for t in meta.get("tags", "").split(",")]
        if not all(tags) or len(tags) != len(set(tags)):
            err(path, "tags: empty or duplicate tag")
        lead = meta.get("lead", "")
        nsent = len(re.findall(r"[.!?。！？](\s|$)", lead))
        if not 1 <= nsent <= 3:
            err(path, f"lead should be 1-3 sentences (found {nsent})")
        if lang in ("vi", "en"):
            n = len(plain_words(body))
            if not WORDS_MIN <= n <= WORDS_MAX:
                err(path, f"body has {n} words, need {WORDS_MIN}-{WORDS_MAX}")
        elif lang == "zh":
            n = han_count(body)
            if not ZH_MIN <= n <= ZH_MAX:
                err(path, f"body has {n} Han characters, need {ZH_MIN}-{ZH_MAX}")
            for k in ("title", "lead", "caption", "alt"):
                if han_count(meta.get(k, "")) == 0:
                    err(path, f"{k} is not Chinese")
        else:
            n = 0
        if lang == "vi":
            for k in ("title", "lead", "caption", "alt"):
                if not re.search(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", meta.get(k, "").lower()):
                    err(path, f"{k} has no Vietnamese diacritics")
        n_img = check_markdown(path, body, lang)
        if not re.search(r"\n\s*\n", body.strip()):
            err(path, "body has a single paragraph")
        arts.append(dict(meta, path=path, fn=fn, body=body, words=n, inline=n_img, pub=pub))

    vi = [a for a in arts if a.get("lang") == "vi"]
    if len(vi) < MIN_VI_ARTICLES:
        err(adir, f"{len(vi)} Vietnamese articles, need {MIN_VI_ARTICLES}")
    per_cat = Counter(a.get("category") for a in vi)
    for c in cats:
        if per_cat[c] < MIN_PER_CATEGORY:
            err(adir, f"category {c} has {per_cat[c]} Vietnamese articles, need {MIN_PER_CATEGORY}")
    feat = [a["fn"] for a in arts if a.get("featured") == "yes"]
    if len(feat) != 1 or any(a.get("featured") == "yes" and a.get("lang") != "vi" for a in arts):
        err(adir, f"exactly one Vietnamese article must be featured, found {feat}")
    groups = defaultdict(list)
    for a in arts:
        groups[a.get("group")].append(a)
    for g, members in groups.items():
        langs = Counter(a.get("lang") for a in members)
        if langs["vi"] != 1:
            err(adir, f"group {g} has {langs['vi']} Vietnamese originals: {[a['fn'] for a in members]}")
            continue
        if any(k > 1 for k in langs.values()):
            err(adir, f"group {g} has two files in one language")
        orig = next(a for a in members if a.get("lang") == "vi")
        for a in members:
            if a is orig:
                continue
            for k in ("category", "image"):
                if a.get(k) != orig.get(k):
                    err(a["path"], f"{k} differs from the Vietnamese original {orig['fn']}")
            if a["pub"] and orig["pub"] and a["pub"] < orig["pub"]:
                err(a["path"], "translation published before its original")
            if a["inline"] != orig["inline"]:
                warn(a["path"], f"{a['inline']} inline images, original has {orig['inline']}")
            if a.get("lang") == "en":
                ratio = a["words"] / max(orig["words"], 1)
                if not 0.6 <= ratio <= 1.5:
                    warn(a["path"], f"length ratio to the original is {ratio:.2f}")
    for lang in ("en", "zh"):
        k = sum(1 for a in arts if a.get("lang") == lang)
        if k < MIN_TRANSLATED:
            err(adir, f"{k} {lang} translations, need {MIN_TRANSLATED}")
    # titles: unique, unique slugs, headlines with đ
    slugs = Counter(fold(a["title"]) for a in vi)
    for s, k in slugs.items():
        if k > 1:
            err(adir, f"two Vietnamese titles fold to the same slug {s}")
    titles = Counter(a.get("title") for a in arts)
    for t, k in titles.items():
        if k > 1:
            err(adir, f"duplicate title {t!r}")
    with_d = sum(1 for a in vi if "đ" in a["title"].lower())
    if with_d < 8:
        err(adir, f"only {with_d} Vietnamese titles contain đ/Đ, want at least 8")
    for a in vi:
        if len(a["title"]) > 120:
            warn(a["path"], "title longer than 120 characters")
    inline = sum(1 for a in vi if a["inline"])
    if not 0.25 <= inline / max(len(vi), 1) <= 0.45:
        warn(adir, f"{inline}/{len(vi)} Vietnamese articles have an inline image (about a third wanted)")
    tables = sum(1 for a in vi if re.search(r"^\|", a["body"], flags=re.M))
    lists = sum(1 for a in vi if re.search(r"^(- |\d+\. )", a["body"], flags=re.M))
    subs = sum(1 for a in vi if re.search(r"^## ", a["body"], flags=re.M))
    for what, k in (("a table", tables), ("a list", lists), ("a ## subheading", subs)):
        if k < 5:
            err(adir, f"only {k} Vietnamese articles have {what}")
    months = Counter(a["pub"].month for a in vi if a["pub"])
    for m in (9, 10, 11):
        if months[m] < 10:
            err(adir, f"only {months[m]} Vietnamese articles in month {m}")
    return arts, per_cat, inline, tables, lists, subs


def check_pages(d):
    pdir = os.path.join(d, "pages")
    seen = {}
    for fn in sorted(os.listdir(pdir)):
        path = os.path.join(pdir, fn)
        m = re.fullmatch(r"([a-z0-9-]+)\.(vi|en|zh)\.md", fn)
        if not m:
            err(path, "file name must be GROUP.LANG.md")
            continue
        text = read_text(path)
        if text is None:
            continue
        meta, body = parse_doc(path, text)
        for k in PAGE_KEYS:
            if k not in meta:
                err(path, f"missing key {k}")
        for k in meta:
            if k not in PAGE_KEYS:
                err(path, f"unknown key {k}")
        if meta.get("group") != m.group(1) or meta.get("lang") != m.group(2):
            err(path, "group/lang do not match the file name")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta.get("slug", "")):
            err(path, "slug must be lowercase ASCII words joined by '-'")
        check_markdown(path, body, m.group(2))
        if m.group(2) == "zh":
            if han_count(body) < 300:
                err(path, "Chinese page is too short")
        elif len(plain_words(body)) < 150:
            err(path, "page is too short")
        if m.group(1) == "lien-he":
            phones = re.findall(r"\b0\d{3} \d{3} \d{4}\b", body)
            if len(phones) < 5:
                err(path, "contact page needs at least 5 phone numbers")
            if any(not p.startswith("0238 3") for p in phones):
                err(path, "phone numbers must look like 0238 3xx xxxx")
            for e in re.findall(r"[\w.]+@[\w.-]+", body):
                if not e.endswith(".example.vn"):
                    err(path, f"email {e} not on .example.vn")
        seen[(meta.get("group"), meta.get("lang"))] = meta.get("slug")
    for g in PAGE_GROUPS:
        for lang in LANGS:
            if (g, lang) not in seen:
                err(pdir, f"missing page {g}.{lang}.md")
    slugs = Counter(seen.values())
    for s, k in slugs.items():
        if k > 1:
            err(pdir, f"duplicate page slug {s}")


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    check_site(d)
    cats = check_categories(d)
    res = check_articles(d, cats)
    check_pages(d)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    if res:
        arts, per_cat, inline, tables, lists, subs = res
        langs = Counter(a.get("lang") for a in arts)
        print(f"articles: {len(arts)} ({', '.join(f'{l} {langs[l]}' for l in LANGS)})")
        for c in cats:
            tr = Counter(a.get("lang") for a in arts if a.get("category") == c)
            print(f"  {c:24} vi {tr['vi']:2}  en {tr['en']}  zh {tr['zh']}")
        vi = [a for a in arts if a.get("lang") == "vi"]
        w = sorted(a["words"] for a in vi)
        if w:
            print(f"vi words: min {w[0]}, median {w[len(w)//2]}, max {w[-1]}; inline images {inline}, "
                  f"tables {tables}, lists {lists}, subheadings {subs}")
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
