/*
 * execve: load an ELF (ET_EXEC or ET_DYN, static or with the interpreter
 * its PT_INTERP names) from the file system (a tmpfs file) into a fresh
 * address space with the Linux initial stack
 * (argc, argv, envp, auxv). The old address space is dropped only once the
 * new one is complete, so a failed exec returns to the caller unharmed.
 */
#include "kernel/exec.h"
#include "kernel/exec_strings.h"
#include "lib/irq_window.h"
#include "kernel/proc.h"
#include "kernel/elf.h"
#include "kernel/binfmt_script.h"
#include "lib/uapi/errno.h"
#include "kernel/random.h"
#include "mm/vm.h"
#include "mm/vma.h"
#include "mm/kalloc.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "fs/tmpfs.h"
#include "fs/fs_proc.h"
#include "fs/mount.h"
#include "lib/uapi/auxvec.h"
#include "arch/arm64/hwcap.h"
#include "arch/arm64/pstate.h"
#include "arch/arm64/sysreg.h"
#include "kernel/ptimer.h"
#include "kernel/futex.h"
#include "kernel/sched_attr.h"
#include "kernel/vdso.h"
#include "kernel/signal.h"
#include <string.h>


#define MAX_STACK_LIMIT (256UL << 20)

/*
 * Maps one PT_LOAD. When it shares its first page with the previous
 * segment, the shared page takes both permissions and the bytes are written
 * into it; the rest gets a mapping of its own.
 */
/* The program file as a source of bytes for vm_map_populated. */
static int read_program(void *inode, void *dst, uint64_t n, uint64_t off)
{
	long r = tmpfs_kernel_read(inode, dst, n, off);

	return r == (long)n ? 0 : r < 0 ? (int)r : -EIO;
}

static int load_segment(struct mm *mm, const struct elf_load *l, uint64_t bias,
			struct inode *file, uint8_t *bounce, uint64_t *prev_end, uint32_t *prev_prot)
{
	uint64_t va = l->vaddr + bias, start = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t end = ALIGN_UP(va + l->memsz, PAGE_SIZE);
	struct vm_fill src = { read_program, file, l->offset, l->filesz };

	if (start < *prev_end) {
		uint32_t both = l->prot | *prev_prot;
		long err = vm_mprotect(mm, start, PAGE_SIZE, both | PROT_WRITE);
		uint64_t n = *prev_end - va < src.len ? *prev_end - va : src.len;
		if (err < 0)
			return (int)err;
		if ((err = read_program(file, bounce, n, src.off)) < 0)
			return (int)err;
		if (copy_to_user(mm, uaddr(va), bounce, n) < 0)
			return -ENOMEM;
		if ((err = vm_mprotect(mm, start, PAGE_SIZE, both)) < 0)
			return (int)err;
		src.off += n;
		src.len -= n;
		va = *prev_end;
		start = *prev_end;
	}
	if (start < end) {
		int err = vm_map_populated(mm, start, end - start, l->prot, 0, &src, va - start);
		if (err < 0)
			return err;
	}
	*prev_end = end;
	*prev_prot = l->prot;
	return 0;
}

static int load_image(struct mm *mm, const struct elf_info *info, struct inode *file,
		      uint8_t *bounce, uint64_t bias)
{
	uint64_t prev_end = 0;
	uint32_t prev_prot = 0;

	for (int i = 0; i < info->nloads; i++) {
		int err = load_segment(mm, &info->loads[i], bias, file, bounce, &prev_end, &prev_prot);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Pushes bytes below *sp in the new stack. */
static int push(struct mm *mm, uint64_t *sp, const void *src, size_t n)
{
	*sp -= n;
	return copy_to_user(mm, uaddr(*sp), src, n);
}

/*
 * The n pointers to the strings from offset *off of s (they lie at strings
 * in the new stack), then a NULL, written at *at: a batch at a time, as
 * there may be hundreds of thousands. 0 or -EFAULT.
 */
static int put_pointers(struct mm *mm, uint64_t *at, const struct exec_strings *s, size_t *off,
			uint64_t strings, int n)
{
	uint64_t batch[64];
	int k = 0;

	for (int i = 0; i <= n; i++) {
		batch[k++] = i < n ? strings + *off : 0;
		if (i < n)
			*off += exec_strings_len_at(s, *off) + 1;
		if (k == ARRAY_SIZE(batch) || i == n) {
			if (copy_to_user(mm, uaddr(*at), batch, (size_t)k * 8) < 0)
				return -EFAULT;
			*at += (uint64_t)k * 8;
			k = 0;
			irq_window();
		}
	}
	return 0;
}

/* The Linux initial stack: strings at the top, then auxv, envp, argv, argc. */
static int build_stack(struct mm *mm, const struct exec_strings *s, const char *execfn,
		       const struct elf_info *info, uint64_t bias, uint64_t interp_base,
		       const struct cred *cred, uint64_t *sp_out)
{
	static const char platform[] = "aarch64";   /* ELF_PLATFORM */
	uint64_t sp = USER_STACK_TOP, strings, execfn_at, random_at, platform_at;
	uint8_t rnd[16];
	size_t off = 0;

	if (push(mm, &sp, execfn, strlen(execfn) + 1) < 0)
		return -EFAULT;
	execfn_at = sp;
	if (push(mm, &sp, platform, sizeof(platform)) < 0)
		return -EFAULT;
	platform_at = sp;
	if (push(mm, &sp, s->buf, s->used) < 0)
		return -EFAULT;
	strings = sp;
	random_bytes(rnd, sizeof(rnd));
	if (push(mm, &sp, rnd, sizeof(rnd)) < 0)
		return -EFAULT;
	random_at = sp;

	uint64_t auxv[][2] = {
		{ AT_SYSINFO_EHDR, VDSO_TEXT_ADDR },
		{ AT_PHDR, info->phdr_vaddr ? info->phdr_vaddr + bias : 0 },
		{ AT_PHENT, info->phentsize }, { AT_PHNUM, info->phnum },
		{ AT_PAGESZ, PAGE_SIZE }, { AT_BASE, interp_base }, { AT_FLAGS, 0 },
		{ AT_ENTRY, info->entry + bias },
		{ AT_UID, cred->uid }, { AT_EUID, cred->euid },
		{ AT_GID, cred->gid }, { AT_EGID, cred->egid },
		{ AT_HWCAP, cpu_hwcaps() }, { AT_HWCAP2, 0 }, { AT_CLKTCK, 100 },
		{ AT_SECURE, 0 }, { AT_RANDOM, random_at }, { AT_EXECFN, execfn_at },
		{ AT_PLATFORM, platform_at }, { AT_MINSIGSTKSZ, signal_min_stack() },
		{ AT_NULL, 0 },
	};
	/* argc + argv + NULL + envp + NULL + auxv, ending 16-byte aligned. */
	uint64_t words = 1 + s->argc + 1 + s->envc + 1 + 2 * ARRAY_SIZE(auxv);
	sp = ALIGN_DOWN(sp - words * 8, 16);
	uint64_t at = sp, argc = (uint64_t)s->argc;
	int err = copy_to_user(mm, uaddr(at), &argc, 8);
	at += 8;
	mm->arg_start = strings;
	err = err ? err : put_pointers(mm, &at, s, &off, strings, s->argc);
	mm->arg_end = mm->env_start = strings + off;
	err = err ? err : put_pointers(mm, &at, s, &off, strings, s->envc);
	mm->env_end = strings + s->used;
	err = err ? err : copy_to_user(mm, uaddr(at), auxv, sizeof(auxv));
	mm->start_stack = sp;
	*sp_out = sp;
	return err ? -EFAULT : 0;
}

/* The stack exec maps: USER_STACK_INIT, or, when the strings, their
 * pointers and the auxiliary vector need more than half of that, room for
 * them with half of it to spare (the strings are at most a quarter of the
 * stack limit, so this stays within it). */
static uint64_t initial_stack_size(const struct exec_strings *s)
{
	uint64_t need = s->fixed + s->used + ((uint64_t)s->argc + s->envc + 2) * 8 + PAGE_SIZE;

	return need > USER_STACK_INIT / 2 ? ALIGN_UP(need, PAGE_SIZE) + USER_STACK_INIT / 2 :
					    USER_STACK_INIT;
}

static uint64_t stack_limit_of(const struct proc *p)
{
	uint64_t lim = p->rlim[RLIMIT_STACK].rlim_cur;

	if (lim < USER_STACK_INIT)
		lim = USER_STACK_INIT;
	return lim > MAX_STACK_LIMIT ? MAX_STACK_LIMIT : lim;
}

/* The executable file behind path, checked: 0 with *out held, or -errno
 * (EACCES: not a regular file, no x bit, a noexec mount). */
static int find_executable(struct proc *p, const char *path, struct dentry **out)
{
	struct dentry *d;
	int err = namei(p->cwd, path, LOOKUP_FOLLOW, &d, NULL);

	if (err < 0)
		return err;
	struct inode *i = d->inode;
	if (!tmpfs_is_file(i) || (d->sb->flags & MS_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission(i, MAY_EXEC);
	if (err) {
		dentry_put(d);
		return err;
	}
	*out = d;
	return 0;
}

/*
 * A "#!" script (Linux's fs/binfmt_script.c), head its first len bytes:
 * rebuilds s as load_script does. argv[0] gives way to the interpreter, its
 * one optional argument and path (the script as exec was given it); the
 * rest of argv and the environment follow. The interpreter's path, the
 * next file to load, goes to interp. -ENOEXEC if the line names none.
 */
static long script_rebuild_args(struct exec_strings *s, const char *path, const uint8_t *head,
				size_t len, char interp[BINPRM_BUF_SIZE])
{
	struct script_interp si;
	long err = script_parse((const char *)head, len, &si);

	if (err)
		return err;
	const char *parts[3];
	int n = 0;
	parts[n++] = si.interp;
	if (si.has_arg)
		parts[n++] = si.arg;
	parts[n++] = path;
	size_t skip = s->argc ? exec_strings_len_at(s, 0) + 1 : 0;
	if ((err = exec_strings_prepend(s, skip, parts, n)))
		return err;
	s->argc += n - (s->argc ? 1 : 0);
	memcpy(interp, si.interp, BINPRM_BUF_SIZE);
	return 0;
}

/* The file exec loads for path: path itself, or after "#!" lines the last
 * interpreter, with s rebuilt for it: 0 with *out held, or -errno. */
static int find_loadable(struct proc *p, const char *path, struct exec_strings *s,
			 char interp[BINPRM_BUF_SIZE], struct dentry **out)
{
	const char *file = path;
	char head[BINPRM_BUF_SIZE];

	for (int depth = 0;; depth++) {
		struct dentry *d;
		int err = find_executable(p, file, &d);
		if (err)
			return err;
		if (depth > BINPRM_MAX_DEPTH) {
			dentry_put(d);
			return -ELOOP;
		}
		long n = tmpfs_kernel_read(d->inode, head, sizeof(head), 0);
		if (n >= 0 && !script_is_script(head, (size_t)n)) {
			*out = d;
			return 0;
		}
		dentry_put(d);
		if (n < 0)
			return (int)n;
		if ((err = (int)script_rebuild_args(s, file, (const uint8_t *)head, (size_t)n, interp)))
			return err;
		file = interp;
	}
}

/* Reads and checks a program's headers (in head, a page). */
static long check_program(struct inode *i, uint8_t *head, struct elf_info *info)
{
	memset(info, 0, sizeof(*info));   /* no PT_INTERP, whatever the error */
	long n = tmpfs_kernel_read(i, head, PAGE_SIZE, 0);

	if (n < 0)
		return n;
	return elf_check_head(head, (uint64_t)n, i->size, USER_TOP, info);
}

/*
 * A dynamically linked program's interpreter (PT_INTERP), as Linux's
 * load_elf_binary: the path must lie in the file (EIO) and end with a NUL
 * (ENOEXEC), open_exec's errors (ENOENT, EACCES, ...) are exec's, and an
 * interpreter that is not a loadable AArch64 ELF without an interpreter of
 * its own is ELIBBAD. 0 with *out held and its headers checked in *ii.
 */
static long open_interp(struct proc *p, struct inode *i, const struct elf_info *info,
			uint8_t *head, struct elf_info *ii, struct dentry **out)
{
	char *path = kalloc(info->interp_len);   /* <= ELF_INTERP_MAX */
	struct dentry *d = NULL;
	long err;

	if (!path)
		return -ENOMEM;
	long n = tmpfs_kernel_read(i, path, info->interp_len, info->interp_off);
	if (n < 0)
		err = n;
	else if ((uint64_t)n != info->interp_len)
		err = -EIO;
	else if (path[n - 1] != '\0')
		err = -ENOEXEC;
	else
		err = find_executable(p, path, &d);
	kfree(path);
	if (err || !d)
		return err ? err : -ENOENT;
	err = check_program(d->inode, head, ii);
	if (err == ELF_INTERP || err == -ENOEXEC)
		err = -ELIBBAD;
	if (err) {
		dentry_put(d);
		return err;
	}
	*out = d;
	return 0;
}

/* Where the interpreter goes: an ET_DYN one where mmap would put it (top
 * down below the stack, as Linux maps it), an ET_EXEC one where it says,
 * over whatever is there (Linux's load_elf_interp maps it MAP_FIXED). Its
 * load bias, or 0 with -errno in *err. */
static uint64_t place_interp(struct mm *mm, const struct elf_info *ii, long *err)
{
	uint64_t start = ALIGN_DOWN(ii->span_start, PAGE_SIZE);
	uint64_t len = ALIGN_UP(ii->span_end, PAGE_SIZE) - start;

	*err = 0;
	if (ii->type == ET_EXEC) {
		long r = vm_munmap(mm, start, len);
		*err = r < 0 ? (int)r : 0;
		return 0;
	}
	uint64_t at = vm_find_free_area(mm, len);
	if (!at)
		*err = -ENOMEM;
	return at ? at - start : 0;
}

/* The new address space: the program, its interpreter if it names one,
 * the stack, the vDSO; *entry is where it starts (the interpreter's). */
static long build_mm(struct proc *p, struct inode *file, uint8_t *page, const char *path,
		     const struct exec_strings *s, struct mm **out, uint64_t *entry, uint64_t *sp)
{
	struct elf_info info, ii;
	struct dentry *interp = NULL;
	uint64_t bias, interp_bias = 0;
	long err = check_program(file, page, &info);

	/* The interpreter's errors first, as Linux's load_elf_binary. */
	if (info.interp_len) {
		long e = open_interp(p, file, &info, page, &ii, &interp);
		if (e < 0)
			return e;
	}
	if (err < 0)
		goto out;
	bias = info.type == ET_DYN ? USER_ET_DYN_BASE - info.span_start : 0;
	struct mm *mm = info.span_end + bias > VVAR_ADDR ? NULL : vm_create();
	if (!mm) {
		err = -ENOMEM;
		goto out;
	}
	mm->stack_limit = stack_limit_of(p);
	err = load_image(mm, &info, file, page, bias);
	mm->brk_start = mm->brk = ALIGN_UP(info.span_end + bias, PAGE_SIZE);
	uint64_t stack = initial_stack_size(s);
	if (!err)
		err = vm_map_populated(mm, USER_STACK_TOP - stack, stack,
				       PROT_READ | PROT_WRITE, VM_STACK, NULL, 0);
	/* The vDSO and its data page: the kernel's pages, shared, uncharged. */
	if (!err)
		err = vdso_map(mm);
	if (!err && interp)
	interp_bias = place_interp(mm, &ii, &err);
	if (!err && interp)
		err = load_image(mm, &ii, interp->inode, page, interp_bias);
	if (!err)
		err = build_stack(mm, s, path, &info, bias, interp ? interp_bias : 0, &p->cred, sp);
	if (err) {
		vm_put(mm);
		goto out;
	}
	*entry = interp ? ii.entry + interp_bias : info.entry + bias;
	*out = mm;
out:
	if (interp)
		dentry_put(interp);
	return err;
}

/* Builds the new address space; on success it replaces p's. */
static long exec_strings(struct proc *p, const char *path, struct exec_strings *s)
{
	uint64_t entry = 0, sp = 0;
	struct dentry *d = NULL;
	struct mm *mm = NULL;
	char interp[BINPRM_BUF_SIZE];
	long err = find_loadable(p, path, s, interp, &d);

	if (err < 0 || !d)
		return err < 0 ? err : -ENOENT;
	uint8_t *page = kalloc(PAGE_SIZE);
	err = page ? build_mm(p, d->inode, page, path, s, &mm, &entry, &sp) : -ENOMEM;
	kfree(page);
	/* A descriptor table shared with another process is copied first
	 * (Linux's unshare_files), while failing is still possible. */
	struct sighand *spare = NULL;
	if (!err && ((err = fs_proc_unshare_files(p)) || (err = signal_exec_prepare(p, &spare))))
		vm_put(mm);
	if (err) {
		dentry_put(d);
		return err;
	}
	/* The point of no return: the other threads end, p is the process. */
	proc_exec_single(p);
	fs_proc_set_exe(p, d);
	dentry_put(d);

	futex_exit_robust(p);        /* the old image's locks die with it, as Linux */
	struct mm *old = p->mm;
	p->mm = mm;
	if (p == current)
		vm_activate(mm);
	vm_put(old);
	proc_vfork_release(p);
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->elr = entry;
	p->tf->sp = sp;
	p->tf->spsr = PSR_MODE_EL0t | PSR_D_BIT | PSR_A_BIT | PSR_F_BIT;   /* IRQs unmasked: the tick */
	memset(&p->fp, 0, sizeof(p->fp));
	if (p == current)
		fpsimd_restore(&p->fp);
	p->tpidr_el0 = 0;
	write_sysreg(0, tpidr_el0);
	p->clear_child_tid = uaddr(0);
	p->did_exec = true;
	sched_attr_exec(p);
	proc_set_name(p, path);
	fd_close_on_exec(p->files);
	signal_exec(p, spare);
	ptimer_exec(p);
	p->restart.fn = NULL;
	return 0;
}

long exec_kernel(struct proc *p, const char *path, const char *const argv[])
{
	struct exec_strings s;
	long err = exec_strings_init(&s, p->rlim[RLIMIT_STACK].rlim_cur, strlen(path), true);

	for (; !err && *argv; argv++, s.argc++)
		err = exec_strings_add(&s, *argv, strlen(*argv));
	if (!err)
		err = exec_strings(p, path, &s);
	exec_strings_free(&s);
	return err;
}

long sys_execve_impl(uaddr_t upath, uaddr_t uargv, uaddr_t uenvp)
{
	struct proc *p = current;
	struct exec_strings s = { 0 };
	char *path = kalloc(FS_PATH_MAX);
	long err = path ? strncpy_from_user(p->mm, path, upath, FS_PATH_MAX) : -ENOMEM;

	if (err >= 0)
		err = exec_strings_init(&s, p->rlim[RLIMIT_STACK].rlim_cur, (size_t)err, false);
	if (err >= 0)
		err = exec_strings_add_user(&s, p->mm, uargv, &s.argc);
	if (err >= 0)
		err = exec_strings_add_user(&s, p->mm, uenvp, &s.envc);
	if (err >= 0 && s.argc == 0) {
		/* No argv at all: an empty argv[0], as Linux since 5.18, so that
		 * no program meets argc 0 (and argv[0] being envp[0]). */
		static const char *const empty[] = { "" };
		if (!(err = exec_strings_prepend(&s, 0, empty, 1)))
			s.argc = 1;
	}
	if (err >= 0)
		err = exec_strings(p, path, &s);
	exec_strings_free(&s);
	kfree(path);
	return err;
}
