#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ABI checks of the built shared library (STYLE.md, "ABI and build").

    check-symbols.py symbols --lib LIB --syms lib/libcloud.syms
                             [--nm NM] [--objdump OBJDUMP] HEADER...
        The dynamic symbols LIB defines (nm -D --defined-only) are exactly
        the LC_EXTERN declarations of the headers; every one starts with
        lc_ (and not lc__), and carries, as its default version, a node of
        the version script: the node of the release its doc comment names
        ("Since 0.1" -> LIBCLOUD_0.1) when it names one.

    check-symbols.py soname --lib LIB --expect libcloud.so.0 [--readelf READELF]
        The SONAME of LIB (readelf -d).

Exit status: 0 pass, 1 fail, 77 skip (a tool is missing).
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lcheaders  # noqa: E402

SKIP = 77


def run(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    except OSError as e:
        print('skip: cannot run %s: %s' % (cmd[0], e))
        sys.exit(SKIP)
    if p.returncode != 0:
        print('error: %s failed (%d):\n%s' % (' '.join(cmd), p.returncode, p.stderr))
        sys.exit(1)
    return p.stdout


def version_nodes(path):
    """Node names of a GNU ld version script, in order."""
    with open(path, encoding='utf-8') as f:
        text = re.sub(r'/\*.*?\*/|#[^\n]*', ' ', f.read(), flags=re.S)
    return re.findall(r'([A-Za-z_][\w.]*)\s*\{', text)


def nm_defined(nm, lib, nodes):
    """name -> version ('' when nm shows none) of the defined dynamic symbols."""
    out = {}
    for ln in run([nm, '-D', '--defined-only', lib]).splitlines():
        f = ln.split()
        if len(f) < 2:
            continue
        sym, kind = f[-1], f[-2]
        name, _, ver = sym.partition('@')
        ver = ver.lstrip('@')
        if kind == 'A' and (name in nodes or name == ver):
            continue          # the version node's own absolute symbol
        out[name] = ver
    return out


def objdump_versions(objdump, lib):
    """name -> (version, hidden) of the defined dynamic symbols (objdump -T)."""
    out = {}
    for ln in run([objdump, '-T', lib]).splitlines():
        m = re.match(r'^[0-9a-fA-F]+\s+(.{7})\s+(\S+)\s+[0-9a-fA-F]+\s+(?:(\(?[\w.]+\)?)\s+)?(\S+)\s*$', ln)
        if not m or m.group(2) == '*UND*':
            continue
        ver, name = m.group(3) or '', m.group(4)
        hidden = ver.startswith('(')
        ver = ver.strip('()')
        if name == ver:
            continue          # the version node's own symbol
        if name.startswith('@'):
            continue
        out[name] = (ver, hidden)
    return out


def cmd_symbols(a):
    for tool in (a.nm, a.objdump):
        if not tool:
            print('skip: nm and objdump are needed')
            return SKIP
    nodes = version_nodes(a.syms)
    errors = []
    if not nodes:
        errors.append('%s: no version node' % a.syms)
    for n in nodes:
        if not re.match(r'^LIBCLOUD_\d+\.\d+$', n):
            errors.append('%s: node %s is not named LIBCLOUD_<major>.<minor>' % (a.syms, n))

    decls = {}
    for h in a.headers:
        for d in lcheaders.declarations(h):
            if d.name in decls:
                errors.append('%s declared twice (%s and %s:%d)' % (d.name, decls[d.name].header,
                                                                   d.header, d.line))
            decls[d.name] = d
    if not decls:
        errors.append('no LC_EXTERN declaration found in the headers given')

    exported = nm_defined(a.nm, a.lib, nodes)
    versions = objdump_versions(a.objdump, a.lib)

    for name in sorted(set(decls) - set(exported)):
        d = decls[name]
        errors.append('%s:%d: %s is declared LC_EXTERN but not exported' % (d.header, d.line, name))
    for name in sorted(set(exported) - set(decls)):
        errors.append('%s is exported but not declared LC_EXTERN in a public header' % name)
    for name in sorted(exported):
        if not name.startswith('lc_') or name.startswith('lc__'):
            errors.append('%s is exported: exported names start with lc_ (lc__ is internal)' % name)
        ver, hidden = versions.get(name, (exported[name], False))
        if not ver:
            errors.append('%s has no symbol version (is the version script linked?)' % name)
            continue
        if hidden or ver != exported[name]:
            errors.append('%s: %s is not its default version (nm: %r)' % (name, ver, exported[name]))
        if ver not in nodes:
            errors.append('%s carries version %s, not a node of %s %s' % (name, ver,
                                                                        os.path.basename(a.syms), nodes))
        d = decls.get(name)
        if d and d.since and ver in nodes:
            want = 'LIBCLOUD_%d.%d' % d.since
            if ver != want:
                errors.append('%s:%d: %s is documented "Since %d.%d" but carries %s, not %s'
                              % (d.header, d.line, name, d.since[0], d.since[1], ver, want))

    if errors:
        for e in errors:
            print('FAIL: ' + e)
        print('%d problem(s); %d declared, %d exported' % (len(errors), len(decls), len(exported)))
        return 1
    per_node = {}
    for name in exported:
        per_node.setdefault(versions.get(name, (exported[name],))[0], []).append(name)
    print('ok: %d symbols, declared == exported; %s' % (
        len(exported), ', '.join('%s: %d' % (n, len(per_node.get(n, []))) for n in nodes)))
    return 0


def cmd_soname(a):
    if not a.readelf:
        print('skip: readelf is needed')
        return SKIP
    sonames = re.findall(r'\(SONAME\)\s+.*?\[([^\]]+)\]', run([a.readelf, '-d', a.lib]))
    if sonames != [a.expect]:
        print('FAIL: %s has SONAME %s, expected %s' % (a.lib, sonames or 'none', a.expect))
        return 1
    print('ok: SONAME %s' % a.expect)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description='libcloud ABI checks')
    sub = ap.add_subparsers(dest='cmd')
    s = sub.add_parser('symbols')
    s.add_argument('--lib', required=True)
    s.add_argument('--syms', required=True, help='the version script')
    s.add_argument('--nm', default='nm')
    s.add_argument('--objdump', default='objdump')
    s.add_argument('headers', nargs='+')
    o = sub.add_parser('soname')
    o.add_argument('--lib', required=True)
    o.add_argument('--expect', required=True)
    o.add_argument('--readelf', default='readelf')
    a = ap.parse_args(argv)
    if a.cmd == 'symbols':
        return cmd_symbols(a)
    if a.cmd == 'soname':
        return cmd_soname(a)
    ap.print_help()
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
