#!/usr/bin/env python3
"""Drives Bramble's interactive shell through the console UART, as a person would.

    shell-drive.py LOG -- QEMU-COMMAND...

Starts QEMU (its console UART, the mini UART on raspi3b, on QEMU's stdio, which
this script holds as a pipe), waits for the shell's prompt, types commands a
character at a time with a carriage return as Enter, reads what comes back and
checks it. Prints "PASS shell.<case>" or "FAIL shell.<case>: <why>" per check,
as tests/qemu/lib.sh does, and the whole console output goes to LOG. Every wait
has a deadline and the run as a whole one too (SHELL_TIMEOUT, 180 s): the
script always ends, and always stops QEMU.

The job-control cases (^C, background jobs, ^Z, fg/bg, kill %1, trap, wait)
need signals, process groups and the terminal's line discipline; they are a
list of their own, run only with SHELL_JOB_CONTROL=1.
"""
import os
import re
import select
import subprocess
import sys
import time

PROMPT = "bramble:/# "
STEP_TIMEOUT = float(os.environ.get("SHELL_STEP_TIMEOUT", "30"))
RUN_TIMEOUT = float(os.environ.get("SHELL_TIMEOUT", "180"))
JOB_CONTROL = os.environ.get("SHELL_JOB_CONTROL", "0") == "1"

failures = 0


def report(ok, name, why):
    global failures
    if ok:
        print("PASS shell." + name)
    else:
        failures += 1
        print("FAIL shell.%s: %s" % (name, why))
    sys.stdout.flush()


class Console:
    def __init__(self, cmd, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.text = ""          # everything received, CRs dropped
        self.mark = 0           # where the current command's reply begins
        self.start = time.monotonic()

    def alive(self):
        return self.proc.poll() is None

    def _pump(self, timeout):
        """Reads what QEMU sent within timeout seconds; False once it has gone."""
        if time.monotonic() - self.start > RUN_TIMEOUT:
            return False
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return self.alive()
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        s = data.decode("utf-8", "replace").replace("\r", "")
        self.log.write(s)
        self.log.flush()
        self.text += s
        return True

    def wait_for(self, pattern, timeout=STEP_TIMEOUT, since=None):
        """Waits until the text after `since` (default: the mark) matches the
        regular expression; returns the match, or None at the deadline."""
        since = self.mark if since is None else since
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.text, since)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0 or not self._pump(min(left, 0.2)):
                m = rx.search(self.text, since)
                return m

    def type(self, s):
        """Types s a character at a time, as a person would (quickly)."""
        for ch in s:
            if not self.alive():
                return
            try:
                self.proc.stdin.write(ch.encode())
                self.proc.stdin.flush()
            except BrokenPipeError:
                return
            self._pump(0.005)

    def command(self, line, timeout=STEP_TIMEOUT):
        """Types line and Enter; returns the reply up to the next prompt
        (None if no prompt came back in time)."""
        self.mark = len(self.text)
        self.type(line + "\r")
        m = self.wait_for(re.escape(PROMPT), timeout)
        reply = self.text[self.mark:m.start()] if m else None
        if m:
            self.mark = m.end()
        return reply

    def stop(self):
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        while self._pump(0):
            pass
        self.log.close()


def expect_reply(con, name, line, pattern, timeout=STEP_TIMEOUT):
    reply = con.command(line, timeout)
    if reply is None:
        report(False, name, "no prompt after %r within %.0f s" % (line, timeout))
        return None
    ok = re.search(pattern, reply, re.M) is not None
    report(ok, name, "the reply to %r has no line matching /%s/: %r" %
           (line, pattern, reply[-300:]))
    return reply


def everyday(con):
    """What works with today's kernel: commands, files, pipes, applets, the log."""
    expect_reply(con, "echo", "echo hello from $((6*7))", r"^hello from 42$")
    expect_reply(con, "cat-hello", "cat /hello.txt", r"^Hello from Bramble's initramfs!$")
    reply = expect_reply(con, "oom", "oom",
                         r"^oom: malloc\([0-9]+\) failed: Cannot allocate memory after [0-9]+ MiB$",
                         timeout=60)
    report(reply is not None and "oom: freed, exiting cleanly" in reply, "oom.clean-exit",
           "oom did not say it exited cleanly")
    expect_reply(con, "ls-bin-head", "ls /bin | head -n 3 | tr '\\n' ' '; echo",
                 r"^\[ \[\[ [a-z0-9]+ $")
    expect_reply(con, "ls-bin-own-programs",
                 "ls /bin | grep -c -x -e init -e oom -e cat -e bench -e busybox -e sh",
                 r"^6$")
    expect_reply(con, "pipeline", "echo one two three | tr ' ' '\\n' | sort -r | head -n 1",
                 r"^two$")
    expect_reply(con, "applet-link", "uname -sm", r"^Linux aarch64$")
    expect_reply(con, "dmesg", "dmesg | grep -c 'Bramble 0.1 ('", r"^1$")
    expect_reply(con, "dmesg-raw", "dmesg -r | head -n 1",
                 r"^<6>\[ *[0-9]+\.[0-9]{6}\] ")
    expect_reply(con, "dmesg-c", "dmesg -c | tail -n 0; dmesg | grep -c 'Bramble 0.1 ('",
                 r"^0$")
    expect_reply(con, "exit-status", "false; echo status $?", r"^status 1$")
    # exit: init starts a new shell.
    expect_reply(con, "exit-respawns", "exit 3",
                 r"^init: the shell exited with status 3; starting a new one$")
    expect_reply(con, "new-shell-works", "echo again", r"^again$")


def job_control(con):
    """After signals, process groups and the terminal: the interactions of a
    job-control shell (issue 9, item 8)."""
    # ^C ends a busy loop in the foreground.
    con.mark = len(con.text)
    con.type("while :; do :; done\r")
    time.sleep(1)
    con.type("\x03")
    m = con.wait_for(re.escape(PROMPT))
    report(m is not None, "jc.ctrl-c-loop", "no prompt after ^C on a busy loop")
    if m:
        con.mark = m.end()
    # As on Linux, ash says nothing when it starts a background job.
    expect_reply(con, "jc.bg-start", "sleep 100 &", r"\A(?![\s\S]*(not found|can't|error))")
    expect_reply(con, "jc.jobs", "jobs", r"^\[1\]\+ +Running +sleep 100$")
    # fg, then ^Z stops it again.
    con.mark = len(con.text)
    con.type("fg\r")
    con.wait_for(r"^sleep 100$")
    time.sleep(0.5)
    con.type("\x1a")
    m = con.wait_for(re.escape(PROMPT))
    report(m is not None and re.search(r"\[1\]\+ +Stopped +sleep 100", con.text[con.mark:]),
           "jc.ctrl-z", "no 'Stopped' and prompt after fg then ^Z")
    if m:
        con.mark = m.end()
    expect_reply(con, "jc.bg", "bg", r"^\[1\]\+? sleep 100$")
    expect_reply(con, "jc.kill", "kill %1; sleep 1; jobs; echo killed",
                 r"Terminated +sleep 100")
    expect_reply(con, "jc.jobs-empty", "jobs; echo none-left", r"^none-left$")
    expect_reply(con, "jc.trap", "trap 'echo got INT' INT; kill -INT $$; trap - INT",
                 r"^got INT$")
    expect_reply(con, "jc.wait", "sleep 1 & wait; echo waited $?", r"^waited 0$")
    # A background read stops on SIGTTIN; fg continues it and the read goes on.
    expect_reply(con, "jc.bg-read-stops", "cat & sleep 1; jobs",
                 r"^\[1\]\+ +Stopped \(tty input\) +cat$")
    con.mark = len(con.text)
    con.type("fg\r")
    con.wait_for(r"^cat$")
    con.type("typed after fg\r")
    m = con.wait_for(r"^typed after fg\n(?:.*\n)*?typed after fg$")
    report(m is not None, "jc.fg-read-resumes", "cat did not read the line after fg")
    con.type("\x04")
    m = con.wait_for(re.escape(PROMPT))
    if m:
        con.mark = m.end()
    # ^C at the prompt gives a new prompt; the shell lives on.
    con.mark = len(con.text)
    con.type("\x03")
    m = con.wait_for(re.escape(PROMPT))
    if m:
        con.mark = m.end()
    expect_reply(con, "jc.alive-after-ctrl-c", "echo still here", r"^still here$")


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print("usage: shell-drive.py LOG -- QEMU-COMMAND...", file=sys.stderr)
        return 2
    con = Console(sys.argv[3:], sys.argv[1])
    try:
        banner = con.wait_for(re.escape(PROMPT), timeout=60, since=0)
        report(banner is not None, "prompt", "no prompt within 60 s of reset")
        if banner is None:
            return 1
        boot = con.text[:banner.start()]
        report("Welcome to Bramble" in boot, "banner", "no 'Welcome to Bramble' before the prompt")
        for cmd in ("oom", "cat /hello.txt", "ls /bin", "dmesg"):
            report(re.search(r"^  " + re.escape(cmd) + " ", boot, re.M) is not None,
                   "banner.suggests." + cmd.split()[0], "the banner does not suggest " + cmd)
        report("init: starting a shell on the console" in boot, "init-starts-shell",
               "init did not say it starts a shell")
        con.mark = banner.end()
        everyday(con)
        if JOB_CONTROL:
            job_control(con)
        report("KERNEL PANIC" not in con.text, "no-panic", "the kernel panicked")
        report(con.alive(), "qemu-alive", "QEMU ended on its own")
    finally:
        con.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
