/*
 * spawn: glibc's posix_spawn, system and popen, which start programs with a
 * vfork-style clone (CLONE_VM | CLONE_VFORK): the child borrows the
 * parent's memory until it execs, and the parent waits for that.
 *
 * Prints "PASS spawn.<case>" or "FAIL spawn.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "spawn"
#include "check.h"
#include <spawn.h>
#include <stdlib.h>

extern char **environ;

static void test_posix_spawn(void)
{
	int fds[2];
	posix_spawn_file_actions_t fa;
	char *argv[] = { "cat", HELLO_PATH, NULL };
	char buf[128] = { 0 };
	pid_t pid;

	if (pipe(fds) != 0) {
		fail("posix_spawn", "pipe: %s", strerror(errno));
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int err = posix_spawn(&pid, "/bin/cat", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (err) {
		fail("posix_spawn", "posix_spawn: %s", strerror(err));
		close(fds[0]);
		return;
	}
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) - 1 && (r = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	close(fds[0]);
	check(strcmp(buf, HELLO_TEXT) == 0, "posix_spawn_output", "the child's output was wrong");
	check(exited_with(wait_for(pid), 0), "posix_spawn_status", "cat did not exit 0");

	err = posix_spawn(&pid, "/nonexistent", NULL, NULL, argv, environ);
	check(err == ENOENT, "posix_spawn_enoent", "a missing program was not ENOENT");
	if (!err)
		wait_for(pid);
}

static void test_system_and_popen(void)
{
	int st = system("exit 7");
	check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7, "system_status",
	      "system(\"exit 7\") did not report 7");

	FILE *f = popen("echo from a shell; busybox uname -s", "r");
	char line[64] = { 0 }, second[64] = { 0 };
	if (!f) {
		fail("popen", "popen: %s", strerror(errno));
		return;
	}
	check(fgets(line, sizeof(line), f) && strcmp(line, "from a shell\n") == 0 &&
	      fgets(second, sizeof(second), f) && strcmp(second, "Linux\n") == 0,
	      "popen_output", "the shell's output did not come back");
	check(pclose(f) == 0, "pclose_status", "the shell did not exit 0");
}

int main(void)
{
	test_posix_spawn();
	test_system_and_popen();
	return failures ? 1 : 0;
}
