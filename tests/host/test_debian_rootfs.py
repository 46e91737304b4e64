#!/usr/bin/env python3
"""Host test of scripts/debian-rootfs's resolver: its parsing of Depends
fields, apt-cache show stanzas and showpkg's Reverse Provides (on fixed text
in bookworm's formats), and the dependency closure over a small made-up
archive. One PASS/FAIL line a case, as tests/host/check.h; exit status the
number of failures."""
import importlib.machinery
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader(
    'debian_rootfs', os.path.join(HERE, '..', '..', 'scripts', 'debian-rootfs'))
_spec = importlib.util.spec_from_loader('debian_rootfs', _loader)
dr = importlib.util.module_from_spec(_spec)
_loader.exec_module(dr)

failures = 0


def check(name, got, want):
    global failures
    if got == want:
        print(f'PASS host.debian_rootfs.{name}')
    else:
        failures += 1
        print(f'FAIL host.debian_rootfs.{name}: got {got!r}, expected {want!r}')


def raises(name, exc, fn, *args):
    global failures
    try:
        fn(*args)
    except exc:
        print(f'PASS host.debian_rootfs.{name}')
        return
    except Exception as e:      # the wrong error is a failure too
        failures += 1
        print(f'FAIL host.debian_rootfs.{name}: raised {e!r}, expected {exc.__name__}')
        return
    failures += 1
    print(f'FAIL host.debian_rootfs.{name}: no {exc.__name__}')


P = dr.parse_relations
# Bookworm's own fields (apt-cache show of bash, util-linux, init-system-helpers, ...).
check('depends.versions', P('libc6 (>= 2.34), libselinux1 (>= 3.1~)'),
      [['libc6'], ['libselinux1']])
check('depends.equal-version', P('libpython3.11-minimal (= 3.11.2-6+deb12u9), zlib1g (>= 1:1.2.0)'),
      [['libpython3.11-minimal'], ['zlib1g']])
check('depends.alternatives', P('usrmerge | usr-is-merged'), [['usrmerge', 'usr-is-merged']])
check('depends.alternatives-versions', P('debconf (>= 0.5) | debconf-2.0, perl-base'),
      [['debconf', 'debconf-2.0'], ['perl-base']])
check('depends.any', P('python3:any (>= 3.2~), libc6:arm64'), [['python3'], ['libc6']])
check('depends.arch-list-profile', P('foo [amd64 arm64] <!nocheck> | bar (<< 2) [!i386]'),
      [['foo', 'bar']])
check('depends.no-version', P('libsystemd0, awk'), [['libsystemd0'], ['awk']])
check('depends.spacing', P('  aa(>=1)|bb ,cc  '), [['aa', 'bb'], ['cc']])
check('depends.empty', P(''), [])
check('depends.plus-dot', P('libstdc++6 (>= 12), gcc-12-base'), [['libstdc++6'], ['gcc-12-base']])
raises('depends.bad-name', ValueError, P, 'libc6, ; rm -rf /')

STANZAS = '''Package: python3.11-minimal
Version: 3.11.2-6+deb12u9
Architecture: arm64
Depends: libpython3.11-minimal (= 3.11.2-6+deb12u9), libexpat1 (>= 2.1~beta3),
 zlib1g (>= 1:1.2.0)
Pre-Depends: libc6 (>= 2.35)
Description: Minimal subset of the Python language (version 3.11)
 This package contains the interpreter and some essential modules.

Package: mawk
Version: 1.3.4.20200120-3.1
'''
st = dr.parse_stanza(STANZAS)
check('stanza.first-only', st['Package'], 'python3.11-minimal')
check('stanza.continuation', P(st['Depends']),
      [['libpython3.11-minimal'], ['libexpat1'], ['zlib1g']])
check('stanza.pre-depends', P(st['Pre-Depends']), [['libc6']])
check('stanza.virtual-empty', dr.parse_stanza(''), {})
check('deb-name.epoch', dr.deb_name({'Package': 'procps', 'Version': '2:4.0.2-3',
                                     'Architecture': 'arm64'}), 'procps_2%3a4.0.2-3_arm64.deb')

SHOWPKG = '''Package: awk:arm64
Versions: 

Reverse Depends: 
  base-files:arm64,awk
  mawk:arm64,awk
Dependencies: 
Provides: 
Reverse Provides: 
original-awk:arm64 2022-09-12-1 (= )
mawk:arm64 1.3.4.20200120-3.1 (= )
gawk:arm64 1:5.2.1-2 (= )
gawk 1:5.2.1-2 (= )
mawk 1.3.4.20200120-3.1 (= )
mawk:arm64 1.3.4.20200120-3 (= )
'''
check('showpkg.reverse-provides', dr.parse_reverse_provides(SHOWPKG),
      ['original-awk', 'mawk', 'gawk'])
check('showpkg.none', dr.parse_reverse_provides('Package: x:arm64\nReverse Provides: \n'), [])

# A made-up archive: name -> stanza; virtual names -> providers.
ARCHIVE = {
    'bash': {'Package': 'bash', 'Pre-Depends': 'libc6 (>= 2.36), libtinfo6',
             'Depends': 'base-files (>= 2.1.12)'},
    'libc6': {'Package': 'libc6', 'Depends': 'libgcc-s1'},
    'libgcc-s1': {'Package': 'libgcc-s1', 'Depends': 'libc6 (>= 2.35)'},   # a cycle
    'libtinfo6': {'Package': 'libtinfo6', 'Depends': 'libc6'},
    'base-files': {'Package': 'base-files', 'Pre-Depends': 'awk'},
    'mawk': {'Package': 'mawk', 'Provides': 'awk', 'Depends': 'libc6'},
    'gawk': {'Package': 'gawk', 'Provides': 'awk', 'Depends': 'libc6, libmpfr6'},
    'libmpfr6': {'Package': 'libmpfr6'},
    'ish': {'Package': 'ish', 'Depends': 'usrmerge | usr-is-merged, nosuch | libtinfo6'},
    'usrmerge': {'Package': 'usrmerge', 'Depends': 'perl'},
    'perl': {'Package': 'perl'},
    'usr-is-merged': {'Package': 'usr-is-merged'},
    'broken': {'Package': 'broken', 'Depends': 'nosuch | alsonot'},
}
VIRTUAL = {'awk': ['gawk', 'mawk']}


def resolve(roots):
    looked = []

    def prefetch(names):
        looked.append(sorted(set(names)))
    r = dr.Resolver(lambda n: ARCHIVE.get(n, {}), lambda n: VIRTUAL.get(n, []), prefetch)
    return list(r.resolve(roots)), looked


got, looked = resolve(['bash'])
check('resolve.closure', sorted(got), ['base-files', 'bash', 'gawk', 'libc6', 'libgcc-s1',
                                       'libmpfr6', 'libtinfo6'])
check('resolve.roots-first', got[0], 'bash')
check('resolve.batched-lookups', looked[1], ['base-files', 'libc6', 'libtinfo6'])
got, _ = resolve(['mawk', 'bash'])
check('resolve.provider-already-chosen', 'gawk' in got, False)
got, _ = resolve(['ish'])
check('resolve.first-alternative', sorted(got), ['ish', 'libc6', 'libgcc-s1', 'libtinfo6',
                                                 'perl', 'usrmerge'])
got, _ = resolve(['usr-is-merged', 'ish'])
check('resolve.alternative-already-chosen', 'usrmerge' in got, False)
got, _ = resolve(['awk'])
check('resolve.virtual-root', got[0], 'gawk')
raises('resolve.unsatisfiable', LookupError, lambda: resolve(['broken']))
raises('resolve.unknown-root', LookupError, lambda: resolve(['nosuch']))

sys.exit(min(failures, 125))
