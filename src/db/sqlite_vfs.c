/* sqlite_vfs.c - the default VFS with one change: a WAL frame goes to the file in one write.
 *
 * SQLite writes each WAL frame as two pwrite() calls, its 24-byte header and then its page right
 * after it. A check-in's commit writes two dozen frames, and on a virtual machine each system
 * call is dear (the write path spent 14% of the server's CPU in pwrite, half of the calls for 24
 * bytes). This VFS holds a 24-byte write to a WAL file back until the next call on that file:
 * when that call is the write that continues it (the frame's page), both go in one write; any
 * other call (a write elsewhere, a read, a sync, a size, a lock, a close...) writes the held
 * bytes first. The file's content after every call but that one write is what SQLite asked
 * for, and between the two writes SQLite itself has not finished the frame (no reader can reach
 * it: the WAL index names a frame only after its page is written), so a crash there leaves what
 * a crash between SQLite's own two writes would. Files other than WALs pass through untouched.
 *
 * Registered as the process's default VFS by sqlite_vfs_register() (once, before the first
 * connection opens); every other method is the unix VFS's. Each open file owns its join buffer
 * (freed at close). */
#include "db/sqlite_vfs.h"
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_HEADER 24   /* WAL_FRAME_HDRSIZE in SQLite's wal.c */

typedef struct joined_file {
    sqlite3_file base;           /* our methods; SQLite holds a pointer to this */
    sqlite3_file *real;          /* the unix VFS's file, in the same allocation after this one */
    bool wal;                    /* opened as a WAL: frame headers may be held */
    bool held;                   /* hdr waits to be written at held_at */
    sqlite3_int64 held_at;
    unsigned char hdr[FRAME_HEADER];
    unsigned char *join;         /* header + page, for the joined write */
    int join_size;
} joined_file;

/* Keeps the real file 8-byte aligned after ours. */
#define OUR_SIZE ((sizeof(joined_file) + 7) & ~(size_t)7)

static sqlite3_vfs *real_vfs;

static sqlite3_file *real_of(sqlite3_file *f) { return ((joined_file *)f)->real; }

/* Writes the held header, if any: before anything else touches the file. */
static int flush_held(joined_file *p)
{
    if (!p->held) return SQLITE_OK;
    int rc = p->real->pMethods->xWrite(p->real, p->hdr, FRAME_HEADER, p->held_at);
    if (rc == SQLITE_OK) p->held = false;
    return rc;
}

#define FLUSHED(f) do { int frc_ = flush_held((joined_file *)(f)); if (frc_ != SQLITE_OK) return frc_; } while (0)

static int join_write(joined_file *p, const void *buf, int amt)
{
    int need = FRAME_HEADER + amt;
    if (need > p->join_size) {
        unsigned char *j = realloc(p->join, (size_t)need);
        if (!j) return flush_held(p) == SQLITE_OK ? p->real->pMethods->xWrite(p->real, buf, amt, p->held_at + FRAME_HEADER)
                                                   : SQLITE_IOERR_WRITE;
        p->join = j, p->join_size = need;
    }
    memcpy(p->join, p->hdr, FRAME_HEADER);
    memcpy(p->join + FRAME_HEADER, buf, (size_t)amt);
    int rc = p->real->pMethods->xWrite(p->real, p->join, need, p->held_at);
    if (rc == SQLITE_OK) p->held = false;
    return rc;
}

static int j_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    joined_file *p = (joined_file *)f;
    if (p->held && off == p->held_at + FRAME_HEADER) return join_write(p, buf, amt);
    FLUSHED(p);
    if (p->wal && amt == FRAME_HEADER) {
        memcpy(p->hdr, buf, FRAME_HEADER);
        p->held_at = off;
        p->held = true;
        return SQLITE_OK;
    }
    return p->real->pMethods->xWrite(p->real, buf, amt, off);
}

static int j_close(sqlite3_file *f)
{
    joined_file *p = (joined_file *)f;
    int held_rc = flush_held(p);
    int rc = p->real->pMethods->xClose(p->real);
    free(p->join);
    p->join = NULL;
    return held_rc != SQLITE_OK ? held_rc : rc;
}

static int j_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xRead(real_of(f), buf, amt, off);
}

static int j_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}

static int j_sync(sqlite3_file *f, int flags)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}

static int j_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int j_lock(sqlite3_file *f, int level)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xLock(real_of(f), level);
}

static int j_unlock(sqlite3_file *f, int level)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xUnlock(real_of(f), level);
}

static int j_check_reserved(sqlite3_file *f, int *out)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int j_file_control(sqlite3_file *f, int op, void *arg)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int j_sector_size(sqlite3_file *f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }

static int j_device_characteristics(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int j_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}

static int j_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}

static void j_shm_barrier(sqlite3_file *f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }

static int j_shm_unmap(sqlite3_file *f, int delete_flag)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

static int j_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    FLUSHED(f);
    return real_of(f)->pMethods->xFetch(real_of(f), off, amt, pp);
}

static int j_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

/* Version 3, as the unix VFS's own (shared memory for the WAL index, and memory-mapped reads). */
static const sqlite3_io_methods joined_methods = {
    3, j_close, j_read, j_write, j_truncate, j_sync, j_file_size, j_lock, j_unlock, j_check_reserved,
    j_file_control, j_sector_size, j_device_characteristics, j_shm_map, j_shm_lock, j_shm_barrier,
    j_shm_unmap, j_fetch, j_unfetch,
};

static int j_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    joined_file *p = (joined_file *)f;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)((char *)f + OUR_SIZE);
    int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
    /* SQLite closes a file whose pMethods is set, even when the open failed: ours stays unset
     * until the real file is open, and a real file half-opened is closed here */
    if (rc != SQLITE_OK) {
        if (p->real->pMethods) p->real->pMethods->xClose(p->real);
        return rc;
    }
    if (!p->real->pMethods) return SQLITE_CANTOPEN;
    /* a file that is not a unix file of version 3 (never expected) keeps its methods' version
     * out of reach: refuse it rather than answer calls it does not have */
    if (p->real->pMethods->iVersion < 3) {
        p->real->pMethods->xClose(p->real);
        return SQLITE_CANTOPEN;
    }
    p->wal = (flags & SQLITE_OPEN_WAL) != 0;
    p->base.pMethods = &joined_methods;
    return SQLITE_OK;
}

static int j_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int j_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int j_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

int sqlite_vfs_register(void)
{
    static sqlite3_vfs joined;
    if (real_vfs) return SQLITE_OK;
    sqlite3_vfs *dflt = sqlite3_vfs_find(NULL);
    if (!dflt) return SQLITE_ERROR;
    /* the methods that take no file (time, randomness, sleep, libraries) are the default's,
     * which do not look at the VFS they are given beyond what it copies here */
    joined = *dflt;
    joined.zName = "kepu-joined";
    joined.szOsFile = (int)OUR_SIZE + dflt->szOsFile;
    joined.pNext = NULL;
    joined.xOpen = j_open;
    joined.xDelete = j_delete;
    joined.xAccess = j_access;
    joined.xFullPathname = j_full_pathname;
    real_vfs = dflt;
    return sqlite3_vfs_register(&joined, 1);
}
