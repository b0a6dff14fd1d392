/* Helpers shared by the test suites: temporary directories and clouds. */
#ifndef LC_TESTUTIL_H
#define LC_TESTUTIL_H

/* A fresh empty directory under $TMPDIR (or /tmp); returns a malloc'd path. */
char *lct_tmpdir(void);

/* Remove a directory tree (best effort) and free the path. */
void lct_rmtree(char *path);

#endif
