/*
 * verify.c - running task tests in a sandboxed child and diffing fixes (see
 * verify.h).
 */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */
#include "bank/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_ADDRESS_SPACE_BYTES ((rlim_t)1 << 30) /* 1 GiB */
#define TEST_FILE_SIZE_BYTES ((rlim_t)16 << 20)    /* 16 MiB */
#define TEST_MAX_PROCESSES ((rlim_t)256)

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t n = strlen(text), off = 0;
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child(const char *dir, const char *test, int timeout_s)
{
	setpgid(0, 0);
	if (chdir(dir) != 0)
		_exit(126);
	struct rlimit cpu = { (rlim_t)timeout_s, (rlim_t)timeout_s + 1 };
	struct rlimit as = { TEST_ADDRESS_SPACE_BYTES, TEST_ADDRESS_SPACE_BYTES };
	struct rlimit fs = { TEST_FILE_SIZE_BYTES, TEST_FILE_SIZE_BYTES };
	struct rlimit np = { TEST_MAX_PROCESSES, TEST_MAX_PROCESSES };
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_AS, &as);
	setrlimit(RLIMIT_FSIZE, &fs);
	setrlimit(RLIMIT_NPROC, &np);
	int out = open("output.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int in = open("/dev/null", O_RDONLY);
	if (out < 0 || in < 0)
		_exit(126);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	setenv("PYTHONHASHSEED", "0", 1);
	char *args[] = { "python3", (char *)test, "candidate.py", NULL };
	execvp("python3", args);
	_exit(127);
}

static void read_tail(const char *dir, char *tail, size_t cap)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/output.txt", dir);
	tail[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	if (fseek(f, 0, SEEK_END) == 0) {
		long size = ftell(f);
		long from = size > (long)cap - 1 ? size - (long)cap + 1 : 0;
		if (fseek(f, from, SEEK_SET) == 0) {
			size_t n = fread(tail, 1, cap - 1, f);
			tail[n] = '\0';
		}
	}
	fclose(f);
	for (char *p = tail; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

int rg_verify_run_test(const rg_task *t, const char *candidate_source, int timeout_s,
		       rg_test_run *run, rg_err *err)
{
	memset(run, 0, sizeof *run);
	char dir[] = "/tmp/reviewgym-test-XXXXXX";
	if (!mkdtemp(dir))
		return rg_err_set(err, RG_EIO, t->dir, NULL, "mkdtemp: %s", strerror(errno));
	char test[4200], cand[4200];
	int rc = RG_OK;
	snprintf(test, sizeof test, "%s/test.py", t->dir);
	if (test[0] != '/') { /* the child changes directory: make it absolute */
		char cwd[4000];
		if (!getcwd(cwd, sizeof cwd)) {
			rc = rg_err_set(err, RG_EIO, t->dir, NULL, "getcwd failed");
			goto out;
		}
		char rel[4200];
		snprintf(rel, sizeof rel, "%s", test);
		snprintf(test, sizeof test, "%.3000s/%.1000s", cwd, rel);
	}
	snprintf(cand, sizeof cand, "%s/candidate.py", dir);
	if (write_file(cand, candidate_source)) {
		rc = rg_err_set(err, RG_EIO, cand, NULL, "cannot write: %s", strerror(errno));
		goto out;
	}
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		rc = rg_err_set(err, RG_EIO, t->dir, NULL, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(dir, test, timeout_s);
	setpgid(pid, pid); /* also in the parent, so the kill below cannot race */
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			rc = rg_err_set(err, RG_EIO, t->dir, NULL, "waitpid: %s", strerror(errno));
			goto out;
		}
		if (now_s() - t0 > timeout_s) {
			run->timed_out = true;
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		struct timespec nap = { 0, 5 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
	kill(-pid, SIGKILL); /* anything the test left running */
	run->seconds = now_s() - t0;
	run->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	run->passed = !run->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	read_tail(dir, run->tail, sizeof run->tail);
	if (run->exit_code == 127)
		rc = rg_err_set(err, RG_EIO, t->dir, NULL, "could not run python3");
out:
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

typedef struct diff_state {
	bool *changed;
	size_t n;
} diff_state;

static void mark(diff_state *d, long line)
{
	if (line >= 1 && (size_t)line <= d->n)
		d->changed[line] = true;
}

static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *h, void *payload)
{
	(void)delta;
	diff_state *d = payload;
	if (h->old_lines == 0) { /* pure insertion after old_start */
		mark(d, h->old_start);
		mark(d, h->old_start + 1);
	}
	return 0;
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *h, const git_diff_line *l,
		   void *payload)
{
	(void)delta, (void)h;
	if (l->origin == GIT_DIFF_LINE_DELETION)
		mark(payload, l->old_lineno);
	return 0;
}

int rg_verify_changed_lines(const rg_task *t, bool *changed, rg_err *err)
{
	memset(changed, 0, (t->n_lines + 2) * sizeof *changed);
	diff_state d = { changed, t->n_lines };
	git_diff_options opts;
	git_libgit2_init();
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	int rc = git_diff_buffers(t->code, strlen(t->code), "code.py", t->fixed, strlen(t->fixed),
				  "fixed.py", &opts, NULL, NULL, on_hunk, on_line, &d);
	git_libgit2_shutdown();
	if (rc)
		return rg_err_set(err, RG_EIO, t->dir, NULL, "libgit2 diff failed (%d)", rc);
	return RG_OK;
}
