/* fuzz_xlsx_xml.c - libFuzzer harness for the .xlsx reader's XML side (docs/xlsx_read.h).
 * fuzz_xlsx mutates whole files, and a mutated deflate stream or CRC rarely gets past libzip;
 * here the input is the four parts the reader parses, separated by bytes 0x01 (workbook.xml,
 * its relations, sharedStrings.xml, the sheet at xl/worksheets/sheet1.xml), which this harness
 * packs into a valid zip, so every mutation reaches expat and the reader's handlers.
 * Promises checked as in fuzz_xlsx: a reason on error, a sheet within its declared size with
 * valid UTF-8 cells. */
#include "fuzz.h"
#include "core/validate.h"
#include "docs/xlsx_read.h"
#include <unistd.h>
#include <zip.h>

static char path[64];
static const char *const names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                                    "xl/worksheets/sheet1.xml"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(path, sizeof path, "/tmp/kepu-fuzz-xlsx-xml-%ld.xlsx", (long)getpid());
    return 0;
}

/* A stored (uncompressed) zip of the parts; a part left out is absent from the archive. */
static void write_zip(char **part, int n)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) abort();
    for (int i = 0; i < n && i < 4; i++) {
        zip_source_t *src = zip_source_buffer(z, part[i], strlen(part[i]), 0);
        zip_int64_t idx = src ? zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0 || zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0) abort();
    }
    if (zip_close(z) < 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *part[4];
    int n = fuzz_split(&a, data, size, '\x01', part, 4);
    write_zip(part, n);
    xlsx_sheet s;
    const char *error = NULL;
    if (xlsx_read_file(path, &a, 1000, &s, &error) == 0) {
        FUZZ_CHECK(s.nrows >= 0 && s.nrows <= 1000 && s.ncols >= 0 && s.ncols <= XLSX_MAX_COLS);
        for (int r = 0; r < s.nrows; r++)
            for (int c = 0; c < s.ncols; c++) {
                const char *v = xlsx_cell(&s, r, c);
                FUZZ_CHECK(v && utf8_valid(v, strlen(v)));
            }
    } else {
        FUZZ_CHECK(error && *error);
    }
    unlink(path);
    arena_free(&a);
    return 0;
}
