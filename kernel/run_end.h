#ifndef BRAMBLE_RUN_END_H
#define BRAMBLE_RUN_END_H
/* Init has exited: report it and the memory balance, then end the run
 * (semihosting exit with init's status under exit=semihosting). */
void run_end_init_exited(int wait_status) __attribute__((noreturn));
/* Remembers the allocator state when init starts, for that balance. */
void run_end_note_start(void);
#endif
