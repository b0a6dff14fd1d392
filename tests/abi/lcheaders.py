# SPDX-License-Identifier: MIT
"""What the public headers declare with LC_EXTERN: shared by the ABI checks.

A deliberately small parser, independent of scripts/gen-man.py: comments,
literals and preprocessor lines are blanked, then every `LC_EXTERN ...;` is
a declaration whose name is the identifier before its parameter list (or,
for data, its last identifier).
"""

import os
import re

_MASK_RE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|'
                      r'^[ \t]*#(?:[^\n]*\\\n)*[^\n]*', re.S | re.M)
_DECL_RE = re.compile(r'\bLC_EXTERN\b([^;{}]*);')
_FUNC_RE = re.compile(r'\b([A-Za-z_]\w*)\s*\(')
_DATA_RE = re.compile(r'([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$')
_SINCE_RE = re.compile(r'\bSince\s+v?(\d+)\.(\d+)')


class Decl:
    def __init__(self, name, header, line, is_function, since):
        self.name = name
        self.header = header
        self.line = line
        self.is_function = is_function
        self.since = since    # (major, minor) from "Since X.Y" in the doc comment, or None

    def __repr__(self):
        return '%s (%s:%d)' % (self.name, self.header, self.line)


def display_name(path):
    """include/libcloud/sys/x.h -> sys/x.h; version.h.in -> version.h."""
    base = os.path.basename(path)
    if base.endswith('.in'):
        base = base[:-3]
    parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return 'sys/' + base if parent == 'sys' else base


def declarations(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    masked = _MASK_RE.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text)
    comments = [(m.start(), m.end()) for m in re.finditer(r'/\*.*?\*/', text, re.S)]
    out = []
    for m in _DECL_RE.finditer(masked):
        body = ' '.join(m.group(1).split())
        fm = _FUNC_RE.search(body)
        if fm and not body.startswith('('):
            name, is_function = fm.group(1), True
        else:
            dm = _DATA_RE.search(body)
            name, is_function = (dm.group(1) if dm else body), False
        since = None
        for cs, ce in reversed(comments):
            if ce <= m.start():
                if not text[ce:m.start()].strip() and text[cs:ce].startswith('/**'):
                    sm = _SINCE_RE.search(text[cs:ce])
                    if sm:
                        since = (int(sm.group(1)), int(sm.group(2)))
                break
        out.append(Decl(name, display_name(path), text.count('\n', 0, m.start()) + 1,
                        is_function, since))
    return out
