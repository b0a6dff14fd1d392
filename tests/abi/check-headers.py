#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Each public header compiles on its own (libgit2's tests/headertest).

    check-headers.py [--cxx CXX] [--nm NM] [--sys-header H]... HEADER... -- CC [ARG...]

The headers are first copied into a scratch tree laid out as installed
(include/libcloud/*.h, include/libcloud/sys/*.h, with the generated
version.h), so only -I<scratch>/include is on the include path. Then every
header must open with an include guard, and a C file that includes it
twice is compiled with -std=c11 -Wall -Wextra -pedantic -Werror
-Wstrict-prototypes.

With --cxx, every header is also compiled as C++11 with the same warnings,
in a file that takes the address of each function the header declares;
with --nm, the object's undefined symbols must then be those names,
unmangled: the extern "C" guards work.

Exit status: 0 pass, 1 fail, 77 skip (no compiler).
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lcheaders  # noqa: E402

SKIP = 77
C_FLAGS = ['-std=c11', '-Wall', '-Wextra', '-pedantic', '-Werror', '-Wstrict-prototypes']
CXX_FLAGS = ['-x', 'c++', '-std=c++11', '-Wall', '-Wextra', '-pedantic', '-Werror']


def stage(headers, sys_headers, root):
    """Copy the headers into root/include/libcloud[/sys] as they are installed."""
    top = os.path.join(root, 'include', 'libcloud')
    os.makedirs(os.path.join(top, 'sys'))
    staged = []
    for src, sub in [(h, '') for h in headers] + [(h, 'sys') for h in sys_headers]:
        name = os.path.basename(src)
        if name.endswith('.in'):
            print('error: %s is a template; give the configured header' % src)
            sys.exit(1)
        dst = os.path.join(top, sub, name)
        shutil.copyfile(src, dst)
        staged.append((src, (sub + '/' if sub else '') + name))
    return staged


def compile_one(cmd, src_text, path, workdir):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(src_text)
    obj = path + '.o'
    p = subprocess.run(cmd + ['-I', os.path.join(workdir, 'include'), '-c', path, '-o', obj],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout, obj


GUARD_RE = re.compile(r'\A(?:\s|/\*.*?\*/|//[^\n]*)*'
                      r'(?:#\s*pragma\s+once\b|#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+(\w+))', re.S)


def has_guard(path):
    with open(path, encoding='utf-8') as f:
        m = GUARD_RE.match(f.read())
    return bool(m) and m.group(1) == m.group(2)


def c_test(cc, src, rel, workdir):
    if not has_guard(src):
        return ('C   %s' % rel, False, 'no include guard: the first directive must be '
                '#ifndef X followed by #define X')
    inc = '#include <libcloud/%s>\n' % rel
    text = ('/* %s alone, twice: self-contained, with an include guard. */\n' % rel
            + inc + inc + 'int main(void)\n{\n\treturn 0;\n}\n')
    path = os.path.join(workdir, 'c-' + rel.replace('/', '-') + '.c')
    rc, out, _ = compile_one(cc + C_FLAGS, text, path, workdir)
    return ('C   %s' % rel, rc == 0, out)


def cxx_test(cxx, nm, src, rel, workdir):
    funcs = [d.name for d in lcheaders.declarations(src) if d.is_function]
    inc = '#include <libcloud/%s>\n' % rel
    lines = ['/* %s alone, as C++. */' % rel, inc.rstrip(), inc.rstrip()]
    if funcs:
        # Taking each address makes the object refer to the symbol by the
        # name the compiler gives it: unmangled only under extern "C".
        lines.append('extern void (*const lc_headertest_refs[])(void);')
        lines.append('void (*const lc_headertest_refs[])(void) = {')
        lines += ['\treinterpret_cast<void (*)(void)>(&%s),' % f for f in funcs]
        lines.append('};')
    lines.append('int main() { return 0; }')
    path = os.path.join(workdir, 'cxx-' + rel.replace('/', '-') + '.cc')
    rc, out, obj = compile_one(cxx + CXX_FLAGS, '\n'.join(lines) + '\n', path, workdir)
    if rc != 0 or not funcs or not nm:
        return ('C++ %s' % rel, rc == 0, out)
    p = subprocess.run([nm, '-u', obj], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    undefined = {ln.split()[-1] for ln in p.stdout.splitlines() if ln.strip()}
    missing = [f for f in funcs if f not in undefined]
    if p.returncode != 0 or missing:
        mangled = sorted(u for u in undefined if u.startswith('_Z'))
        return ('C++ %s' % rel, False,
                'not referenced by their C names (missing extern "C"?): %s\nmangled: %s\n%s'
                % (', '.join(missing), ', '.join(mangled), p.stdout if p.returncode else ''))
    return ('C++ %s' % rel, True, '')


def main(argv):
    if '--' not in argv:
        print('usage: check-headers.py [options] HEADER... -- CC [ARG...]')
        return 2
    k = argv.index('--')
    ap = argparse.ArgumentParser()
    ap.add_argument('--cxx', action='append', default=[], help='C++ compiler command (repeatable)')
    ap.add_argument('--nm')
    ap.add_argument('--sys-header', action='append', default=[])
    ap.add_argument('headers', nargs='*')
    a = ap.parse_args(argv[:k])
    cc = argv[k + 1:]
    if not cc or not shutil.which(cc[0]):
        print('skip: no C compiler')
        return SKIP
    cxx = a.cxx if a.cxx and shutil.which(a.cxx[0]) else None

    work = tempfile.mkdtemp(prefix='lc-headertest-')
    try:
        staged = stage(a.headers, a.sys_header, work)
        jobs = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            for src, rel in staged:
                jobs.append(ex.submit(c_test, cc, src, rel, work))
                if cxx:
                    jobs.append(ex.submit(cxx_test, cxx, a.nm, src, rel, work))
            results = [j.result() for j in jobs]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    failed = 0
    for what, ok, out in results:
        print('%s %s' % ('ok  ' if ok else 'FAIL', what))
        if not ok:
            failed += 1
            print(''.join('     ' + ln + '\n' for ln in out.splitlines()))
    if not cxx:
        print('(no C++ compiler: C++ checks skipped)')
    print('%d of %d compiled cleanly' % (len(results) - failed, len(results)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
