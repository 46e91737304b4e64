#!/usr/bin/env python3
"""Host test of scripts/profile: its log parser and attribution arithmetic on
a hand-written QEMU 7.2 -d in_asm,exec,nochain,int log (the formats of
Debian 12's qemu-system-aarch64). One PASS/FAIL line a case, as
tests/host/check.h; exit status the number of failures."""
import importlib.machinery
import importlib.util
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader(
    'profile', os.path.join(HERE, '..', '..', 'scripts', 'profile'))
_spec = importlib.util.spec_from_loader('profile', _loader)
profile = importlib.util.module_from_spec(_spec)
_loader.exec_module(profile)

K = 'ffffffffc00'   # the kernel's PCs below, with 5 more hex digits


def block(pc, n, name=''):
    """An in_asm block: n instructions from pc."""
    out = ['----------------', f'IN: {name}']
    for i in range(n):
        out.append(f'0x{pc + 4 * i:08x}:  d503201f  nop')
    return out + ['']


def trace(host, pc, cflags='ff020200', cpu=0):
    return f'Trace {cpu}: 0x{host:x} [0000000000004000/{pc:016x}/00000021/{cflags}] '


def exc(num, name, elr, frm=0, to=1):
    return [f'Taking exception {num} [{name}] on CPU 0', f'...from EL{frm} to EL{to}',
            '...with ESR 0x24/0x92000047', f'...with ELR 0x{elr:x}',
            f'...to EL{to} PC 0xffffffffc0086400 PSTATE 0x3c5']


def eret(pc):
    return [f'Exception return from AArch64 EL1 to AArch64 EL0 PC 0x{pc:x}']


KT = 0xffffffffc0081000   # a kernel function's TB, 4 instructions
KIO = 0xffffffffc0082000  # 5 instructions, an I/O access at the third
VEC = 0xffffffffc0086400  # the vector, 3 instructions
LOG = (
    # the QEMU boot stub at 0 and the kernel's first TB at its physical address
    block(0x0, 6) + [trace(0x7f0000000100, 0x0)]
    + block(0x80000, 1) + [trace(0x7f0000000180, 0x80000)]
    # 3 executions of KT, the last stopped before it began: 2 * 4
    + block(KT, 4, 'start') + [trace(0x7f0000000200, KT)] * 3
    + [f'Stopped execution of TB chain before 0x7f0000000200 [{KT:016x}] ']
    # KIO runs 2 instructions, then the I/O one alone, then the rest (2)
    + block(KIO, 5) + [trace(0x7f0000000300, KIO)]
    + [f'cpu_io_recompile: rewound execution of TB to {KIO + 8:016x}']
    + block(KIO + 8, 1) + [trace(0x7f0000000400, KIO + 8, 'ff038201')]
    + block(KIO + 12, 2) + [trace(0x7f0000000500, KIO + 12)]
    + eret(0x400000)
    # user: a data abort at the 4th of 6 instructions: 3 ran
    + block(0x400000, 6) + [trace(0x7f0000000600, 0x400000)] + exc(4, 'Data Abort', 0x40000c)
    + block(VEC, 3) + [trace(0x7f0000000700, VEC)] + eret(0x40000c)
    # from the faulting instruction, 3 instructions ending with an SVC: all 3 ran
    + block(0x40000c, 3) + [trace(0x7f0000000800, 0x40000c)] + exc(2, 'SVC', 0x400018)
    + [trace(0x7f0000000700, VEC)] + eret(0x400018)
    # a 2-instruction loop, twice, then an IRQ between TBs: no correction
    + block(0x400018, 2) + [trace(0x7f0000000900, 0x400018)] * 2
    + exc(5, 'IRQ', 0x400018) + [trace(0x7f0000000700, VEC)] + eret(0x400018)
    # after a flush of QEMU's code buffer a host pointer is another TB's
    + block(0x400100, 1) + [trace(0x7f0000000100, 0x400100)] * 2
    # a TB whose translation the log does not have: not counted
    + [trace(0x7f0000000a00, 0x400200)]
)

BOOT = 6 + 1 + 2 * 4 + 2 + 1 + 2             # up to the first return to EL0
USER = {0x400000: 3, 0x40000c: 3, 0x400018: 4, 0x400100: 2}
VEC_N = 3 * 3

failures = 0


def check(cond, name, why=''):
    global failures
    if cond:
        print(f'PASS profile.{name}')
    else:
        print(f'FAIL profile.{name}: {why}')
        failures += 1


c = profile.parse_log([l + '\n' for l in LOG])
check(c.boot_insns == BOOT, 'boot-insns', f'{c.boot_insns} != {BOOT}')
check(c.insns.get(KT) == 8, 'stopped-tb', f'KT {c.insns.get(KT)} != 8')
check((c.insns.get(KIO), c.insns.get(KIO + 8), c.insns.get(KIO + 12)) == (2, 1, 2),
      'io-recompile', f'{c.insns.get(KIO)} {c.insns.get(KIO + 8)} {c.insns.get(KIO + 12)}')
check(c.insns.get(0x400000) == 3, 'data-abort-mid-tb', f'{c.insns.get(0x400000)} != 3')
check(c.insns.get(0x40000c) == 3, 'svc-ends-tb', f'{c.insns.get(0x40000c)} != 3')
check(c.insns.get(0x400018) == 4, 'irq-between-tbs', f'{c.insns.get(0x400018)} != 4')
check(c.insns.get(0x400100) == 2, 'host-pointer-reused', f'{c.insns.get(0x400100)} != 2')
check(c.insns.get(VEC) == VEC_N, 'vector', f'{c.insns.get(VEC)} != {VEC_N}')
check(c.unknown_tbs == 1 and 0x400200 not in c.insns, 'untranslated-tb', f'{c.unknown_tbs}')
total = BOOT + sum(USER.values()) + VEC_N
check(c.total() == total, 'total', f'{c.total()} != {total}')

b = profile.parse_log([l + '\n' for l in LOG], stop_at_user=True)
check(b.stopped_early and b.total() == BOOT, 'stop-at-user', f'{b.total()} != {BOOT}')

a = profile.parse_log([l + '\n' for l in LOG], skip_boot=True)
check(a.boot_insns == BOOT and a.total() == total - BOOT and KT not in a.insns
      and a.insns.get(VEC) == VEC_N, 'skip-boot', f'{a.total()} != {total - BOOT}')

# Attribution: kernel symbols at their link address (and the physical one
# before the MMU), user symbols; PCs in no symbol.
ks = profile.Symbols()
ks.add([(0xffffffffc0080000, 0, '_head'), (0xffffffffc0080000, 0x800, 'primary_entry'),
        (KT, 0x100, 'kfunc'), (KIO, 0x40, 'uart_io'), (VEC, 0, 'vectors'),
        (VEC + 0x800, 0, '_etext')])
us = profile.Symbols()
us.add([(0x400000, 0x18, 'main'), (0x400018, 0x8, 'loop')])
vs = profile.Symbols()
vs.add([(0x7fefefc3b4, 0x78, '__kernel_clock_gettime')])
attr = profile.Attribution(ks, us, (0x80000, 0x115000, 0xffffffffc0080000),
                           (0x7fefefc000, 0x7fefeff000, vs))
check(attr.name(0x7fefefc3c0) == ('user', '[vdso] __kernel_clock_gettime'), 'sym-vdso',
      str(attr.name(0x7fefefc3c0)))
check(attr.name(0x80000) == ('kernel', 'primary_entry'), 'sym-physical', str(attr.name(0x80000)))
check(attr.name(0x0) == ('kernel', '[QEMU boot stub]'), 'sym-stub', str(attr.name(0)))
check(attr.name(0x40000c) == ('user', 'main'), 'sym-user', str(attr.name(0x40000c)))
check(attr.name(0x400100) == ('user', '[user unknown]'), 'sym-user-unknown',
      str(attr.name(0x400100)))
check(attr.name(KIO + 0x40) == ('kernel', '[kernel unknown]'), 'sym-kernel-unknown',
      str(attr.name(KIO + 0x40)))

out = io.StringIO()
by_fn, sides = profile.report(c, attr, 3, out=out)
kern = BOOT + VEC_N
check(sides == {'kernel': kern, 'user': sum(USER.values())}, 'sides', str(sides))
check(by_fn[('kernel', 'uart_io')] == 5 and by_fn[('user', 'main')] == 6
      and by_fn[('user', 'loop')] == 4 and by_fn[('user', '[user unknown]')] == 2,
      'by-function', str(by_fn))
text = out.getvalue()
# vectors: 9 of the 29 kernel instructions, 9 of the 41 in all
check(total == 41 and kern == 29
      and f"total: {total:,} instructions" in text
      and '             9   31.03% 21.95%  vectors' in text, 'report-lines', text)
check('12 user functions' not in text and 'top 3 user functions (3 ran)' in text,
      'report-top', text)
out = io.StringIO()
profile.report_blocks(c, attr, 'main', out=out)
check(out.getvalue() == '\nblocks of main (2 ran), by start address:\n'
      '  0x0000000000400000              3\n  0x000000000040000c              3\n',
      'blocks', out.getvalue())

w = profile.parse_workload('/bin/tests/mmap -v "a b"')
check(w == ('exit=semihosting mem=256M init=/bin/tests/mmap -- -v "a b"', '/bin/tests/mmap',
            False), 'workload-program', str(w))
w = profile.parse_workload('bootargs:test=bench-alloc')
check(w[0] == 'exit=semihosting mem=256M test=bench-alloc' and not w[2],
      'workload-bootargs', str(w))
check(profile.parse_workload('boot')[2], 'workload-boot')
import tempfile
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, 'h.h'), 'w') as f:
        f.write('#define ADDR  0x7fefefc000UL   /* x */\n#define PAGES 3\n')
    got = (profile.header_constant(d, 'h.h', 'ADDR'), profile.header_constant(d, 'h.h', 'PAGES'),
           profile.header_constant(d, 'h.h', 'NONE', 7))
    check(got == (0x7fefefc000, 3, 7), 'header-constant', str(got))
sys.exit(min(failures, 125))
