/*
 * disk-faults.so: an LD_PRELOAD shim that makes a process's disk writes fail on demand, for the
 * fault tests of test/resilience (issue 10). Test-only: nothing in the product loads it.
 *
 * It wraps write, pwrite, pwrite64, writev, pwritev, fsync and fdatasync. (better-sqlite3's
 * SQLite calls pwrite64 for every page and frame, and fsync, which stands in for fdatasync when
 * it is not configured: `nm -D better_sqlite3.node` lists its imports.) A call on a file
 * descriptor whose path contains the pattern fails, without writing anything, while the control
 * file says so; every other call goes straight to the C library.
 *
 * Environment:
 *   DISK_FAULT_PATH     the pattern: a substring of the file's path, e.g. `events.sqlite`, which
 *                       also matches `events.sqlite-wal`. Unset: the shim does nothing at all.
 *   DISK_FAULT_ERRNO    ENOSPC or EIO (the default), the errno a failed call sets.
 *   DISK_FAULT_CONTROL  the control file. Absent or empty: no fault. It holds one line:
 *                         after N [ERRNO [PATTERN]]  let N more matching writes through, then fail
 *                                                   every matching write (`after 0`: fail now)
 *                         fsync [ERRNO [PATTERN]]    fail every matching fsync and fdatasync
 *                       ERRNO and PATTERN, when given, replace the environment's for this fault.
 *                       The count restarts whenever the file's content or inode changes (write
 *                       it with a rename), and deleting the file clears the fault. (SQLite
 *                       writes each WAL frame as two calls: its 24-byte header, then the page.)
 *
 * A file descriptor's path is read once (readlink /proc/self/fd/N) and cached with its device
 * and inode, which are checked at every call: a descriptor number reused for another file is
 * read again. Only regular files are considered (sockets, pipes and terminals pass at once), and
 * for them the control file is read at every call. No locks: SQLite writes from one thread here,
 * and a lock could deadlock a signal handler that writes (libuv's does, to a pipe, which passes).
 *
 * Build: gcc -shared -fPIC -O2 -o disk-faults.so disk-faults.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define CACHED_FDS 1024
#define CACHED_PATH 512

struct fd_path {
  dev_t dev;
  ino_t ino;
  int known;
  char path[CACHED_PATH];
};

static struct fd_path cache[CACHED_FDS];

/* The fault as last read from the control file. */
static char last_directive[256];
static long passed; /* matching writes let through since the directive last changed */

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

__attribute__((constructor)) static void find_real_functions(void) {
  real_write = dlsym(RTLD_NEXT, "write");
  real_pwrite = dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
  real_writev = dlsym(RTLD_NEXT, "writev");
  real_pwritev = dlsym(RTLD_NEXT, "pwritev");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

/* Lazily too: another library's constructor may write before this one has run. */
#define REAL(name) (real_##name ? real_##name : (find_real_functions(), real_##name))

static int errno_named(const char *name, int fallback) {
  if (name == NULL || *name == '\0') return fallback;
  if (strcmp(name, "ENOSPC") == 0) return ENOSPC;
  if (strcmp(name, "EIO") == 0) return EIO;
  if (strcmp(name, "EDQUOT") == 0) return EDQUOT;
  if (strcmp(name, "EROFS") == 0) return EROFS;
  return fallback;
}

/* The path of fd (whose fstat is st) into out; 0 on success. */
static int path_of(int fd, const struct stat *st, char *out, size_t size) {
  if (fd >= 0 && fd < CACHED_FDS && cache[fd].known && cache[fd].dev == st->st_dev && cache[fd].ino == st->st_ino) {
    snprintf(out, size, "%s", cache[fd].path);
    return 0;
  }
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, out, size - 1);
  if (n < 0) return -1;
  out[n] = '\0';
  if (fd >= 0 && fd < CACHED_FDS && (size_t)n < CACHED_PATH) {
    cache[fd].dev = st->st_dev;
    cache[fd].ino = st->st_ino;
    memcpy(cache[fd].path, out, (size_t)n + 1);
    cache[fd].known = 1;
  }
  return 0;
}

/*
 * Whether this call on fd must fail (is_sync: an fsync or fdatasync); sets *error to the errno.
 * Leaves errno as it found it.
 */
static int should_fail(int fd, int is_sync, int *error) {
  const char *pattern = getenv("DISK_FAULT_PATH");
  const char *control = getenv("DISK_FAULT_CONTROL");
  if (pattern == NULL || *pattern == '\0' || control == NULL || *control == '\0') return 0;
  int saved = errno;
  /* Only regular files: sockets, pipes and terminals go straight through, without a look at the control file. */
  struct stat target;
  if (fstat(fd, &target) != 0 || !S_ISREG(target.st_mode)) {
    errno = saved;
    return 0;
  }
  int fail = 0;
  char directive[256] = "";
  int cfd = open(control, O_RDONLY | O_CLOEXEC);
  if (cfd >= 0) {
    ssize_t n = read(cfd, directive, sizeof directive - 1);
    struct stat st;
    if (fstat(cfd, &st) == 0 && n >= 0) {
      directive[n] = '\0';
      /* The inode too, so that rewriting the same directive (with a rename) restarts the count. */
      char keyed[256];
      snprintf(keyed, sizeof keyed, "%lu:%s", (unsigned long)st.st_ino, directive);
      snprintf(directive, sizeof directive, "%s", keyed);
    } else {
      directive[0] = '\0';
    }
    close(cfd);
  }
  if (strcmp(directive, last_directive) != 0) {
    snprintf(last_directive, sizeof last_directive, "%s", directive);
    passed = 0;
  }
  char *text = strchr(directive, ':');
  char mode[16] = "", first[32] = "", second[PATH_MAX] = "", third[PATH_MAX] = "";
  int fields = text ? sscanf(text + 1, "%15s %31s %4095s %4095s", mode, first, second, third) : 0;
  if (fields >= 1) {
    int code = errno_named(getenv("DISK_FAULT_ERRNO"), EIO);
    const char *match = pattern;
    int applies = 0;
    long after = 0;
    if (strcmp(mode, "after") == 0 && fields >= 2 && !is_sync) {
      after = strtol(first, NULL, 10);
      if (fields >= 3) code = errno_named(second, code);
      if (fields >= 4) match = third;
      applies = 1;
    } else if (strcmp(mode, "fsync") == 0 && is_sync) {
      if (fields >= 2) code = errno_named(first, code);
      if (fields >= 3) match = second;
      applies = 1;
    }
    char path[PATH_MAX];
    if (applies && path_of(fd, &target, path, sizeof path) == 0 && strstr(path, match) != NULL) {
      if (is_sync || passed >= after) {
        fail = 1;
        *error = code;
      } else {
        passed++;
      }
    }
  }
  errno = saved;
  return fail;
}

ssize_t write(int fd, const void *buf, size_t count) {
  int error;
  if (should_fail(fd, 0, &error)) { errno = error; return -1; }
  return REAL(write)(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  int error;
  if (should_fail(fd, 0, &error)) { errno = error; return -1; }
  return REAL(pwrite)(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  int error;
  if (should_fail(fd, 0, &error)) { errno = error; return -1; }
  return REAL(pwrite64)(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  int error;
  if (should_fail(fd, 0, &error)) { errno = error; return -1; }
  return REAL(writev)(fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) {
  int error;
  if (should_fail(fd, 0, &error)) { errno = error; return -1; }
  return REAL(pwritev)(fd, iov, iovcnt, offset);
}

int fsync(int fd) {
  int error;
  if (should_fail(fd, 1, &error)) { errno = error; return -1; }
  return REAL(fsync)(fd);
}

int fdatasync(int fd) {
  int error;
  if (should_fail(fd, 1, &error)) { errno = error; return -1; }
  return REAL(fdatasync)(fd);
}
