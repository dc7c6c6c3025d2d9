/* sqlite_vfs.h - the process's default SQLite VFS: the unix one, writing each WAL frame in one
 * system call instead of two (see sqlite_vfs.c). Nothing to free: the VFS lives as long as the
 * process. */
#ifndef KEPU_DB_SQLITE_VFS_H
#define KEPU_DB_SQLITE_VFS_H

/* Registers it as the default, once; call after sqlite3_config() and before the first open.
 * SQLITE_OK, or SQLite's error (the unix VFS is then used as it is). */
int sqlite_vfs_register(void);

#endif
