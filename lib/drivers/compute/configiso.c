/* The config drive image: genisoimage run without a shell, its output checked. */
#include "drivers/compute/configiso.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcloud/errors.h>
#include <libcloud/sys/compute.h>

extern char **environ;

/* lc_compute_driver_error takes a finished message. */
static int fail(int code, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	return lc_compute_driver_error(code, msg);
}

int lc__config_iso(const char *dir, const char *out)
{
	char *argv[] = { "genisoimage", "-o", (char *)out, "-ldots", "-allow-lowercase", "-allow-multidot", "-l",
			 "-publisher", "libcloud", "-quiet", "-J", "-r", "-V", "config-2", (char *)dir, NULL };
	posix_spawn_file_actions_t fa;
	struct stat st;
	pid_t pid;
	int rc, status = 0;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return fail(LC_EINVALID, "config drive: %s is not a directory", dir);
	if (posix_spawn_file_actions_init(&fa) != 0)
		return lc_compute_driver_error(LC_ENOMEM, "config drive: out of memory");
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "genisoimage", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc == ENOENT)
		return lc_compute_driver_error(LC_ENOTSUPPORTED, "config drive: genisoimage is not installed");
	if (rc != 0)
		return fail(LC_EIO, "config drive: cannot run genisoimage: %s", strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail(LC_EIO, "config drive: waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char st_text[32];

		unlink(out);
		snprintf(st_text, sizeof(st_text), "%d", status);
		return fail(LC_EIO, "config drive: genisoimage failed (wait status %s)", st_text);
	}
	return 0;
}
