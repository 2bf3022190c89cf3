#!/usr/bin/env python3
"""Adds UI strings to locale/{vi,en,zh}.po, skipping msgids a catalog already has.

usage: scripts/po-add.py FILE.tsv      lines: msgid<TAB>vi<TAB>en<TAB>zh
       scripts/po-add.py MSGID VI EN ZH
Appends only, so several people can add strings at once without clobbering each other's."""
import os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')

def quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'

def known(path):
    ids = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('msgid "'):
                ids.add(line[6:].strip()[1:-1].replace('\\"', '"').replace('\\\\', '\\'))
    return ids

def main():
    args = sys.argv[1:]
    rows = []
    if len(args) == 1:
        with open(args[0], encoding='utf-8') as f:
            rows = [l.rstrip('\n').split('\t') for l in f if l.strip() and not l.startswith('#')]
    elif len(args) == 4:
        rows = [args]
    else:
        sys.exit(__doc__)
    for i, lang in enumerate(['vi', 'en', 'zh']):
        path = os.path.join(ROOT, 'locale', lang + '.po')
        have = known(path)
        out = ''
        for r in rows:
            if len(r) != 4:
                sys.exit('bad row: %r' % (r,))
            if r[0] not in have:
                out += '\nmsgid %s\nmsgstr %s\n' % (quote(r[0]), quote(r[i + 1]))
                have.add(r[0])
        if out:
            with open(path, 'a', encoding='utf-8') as f:
                f.write(out)

main()
