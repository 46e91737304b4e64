#!/usr/bin/env python3
"""Hostile initramfs archives for tests/qemu/run-all (issue: bad input).

usage: mkcpio.py OUTDIR INIT_BINARY

Writes OUTDIR/NAME.cpio for each case below. INIT_BINARY (Bramble's
/bin/cat, a static program) is /bin/cat in the archives that must boot.
Corrupt ones must be refused with a clear message and a clean halt; the
merely odd ones (absolute names, duplicates, deep directories) must boot
and show the files where Linux's unpacker would put them.
"""
import os
import sys


def entry(name, mode, data=b'', ino=1, nlink=1, namesize=None, filesize=None,
          raw_name=None):
    nb = raw_name if raw_name is not None else name.encode() + b'\0'
    fields = [ino, mode, 0, 0, nlink, 0, len(data) if filesize is None else filesize,
              0, 0, 0, 0, len(nb) if namesize is None else namesize, 0]
    out = b'070701' + b''.join(b'%08x' % v for v in fields) + nb
    out += b'\0' * (-len(out) % 4)
    out += data
    out += b'\0' * (-len(out) % 4)
    return out


def trailer():
    return entry('TRAILER!!!', 0)


def base(cat):
    """A root with /bin/cat and a file: what the booting cases build on."""
    return (entry('.', 0o40755) + entry('bin', 0o40755, ino=2) +
            entry('bin/cat', 0o100755, cat, ino=3) +
            entry('hello.txt', 0o100644, b'hostile initramfs\n', ino=4))


def main():
    out, cat = sys.argv[1], open(sys.argv[2], 'rb').read()
    os.makedirs(out, exist_ok=True)
    good = base(cat)
    deep = '/'.join(['d'] * 1500)            # 1500 levels, a 2999-byte name
    deeper = '/'.join(['d'] * 2100) + '/f'   # past PATH_MAX (4096), as Linux skips
    cases = {
        # corrupt: each must be refused, saying why
        'trunc-header': good + trailer()[:60],
        'huge-size': good + entry('big', 0o100644, b'x', ino=9, filesize=0xffffffff) + trailer(),
        'name-no-nul': good + entry('x', 0o100644, b'', ino=9, raw_name=b'abcd') + trailer(),
        'zero-name': good + entry('', 0o100644, b'', ino=9, raw_name=b'', namesize=0) + trailer(),
        'empty-name': good + entry('', 0o100644, b'', ino=9) + trailer(),
        'past-end': good + entry('f', 0o100644, b'only this', ino=9, filesize=4096),
        'no-trailer': good,
        'dotdot': good + entry('../../x', 0o100644, b'escaped\n', ino=9) + trailer(),
        'long-symlink': good + entry('l', 0o120777, b'a' * 5000, ino=9) + trailer(),
        # odd but valid: must boot
        'odd-names': (good +
                      entry('/abs', 0o40755, ino=10) +
                      entry('/abs/file', 0o100644, b'absolute name\n', ino=11) +
                      entry('./dot//slashes', 0o100644, b'dot slashes\n', ino=12) +
                      entry('dup.txt', 0o100644, b'first\n', ino=13) +
                      entry('dup.txt', 0o100644, b'second wins\n', ino=14) +
                      entry(deep + '/f', 0o100644, b'deep file\n', ino=15) +
                      entry('deep', 0o120777, ('/' + deep + '/f').encode(), ino=16) +
                      trailer()),
        'too-deep': (good + entry(deeper, 0o100644, b'too deep\n', ino=17) + trailer()),
    }
    for name, data in cases.items():
        with open(os.path.join(out, name + '.cpio'), 'wb') as f:
            f.write(data)


main()
