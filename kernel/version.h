#ifndef BRAMBLE_VERSION_H
#define BRAMBLE_VERSION_H
#define BRAMBLE_VERSION "0.1"
#ifndef BRAMBLE_GIT_SHA
#define BRAMBLE_GIT_SHA "unknown"   /* the Makefile passes the commit */
#endif
#endif
