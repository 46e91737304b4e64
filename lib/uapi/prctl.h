/* prctl options (linux/prctl.h) and getrandom flags (linux/random.h). */
#ifndef BRAMBLE_UAPI_PRCTL_H
#define BRAMBLE_UAPI_PRCTL_H
#define PR_SET_NAME 15
#define PR_GET_NAME 16

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM   0x0002
#define GRND_INSECURE 0x0004
#endif
