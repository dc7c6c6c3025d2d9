/* static_files.h - serves the built web UI: content types, pre-gzipped assets, long caching of
 * hashed assets, index.html for unknown paths, and no way out of the web folder. */
#ifndef KEPU_STATIC_FILES_H
#define KEPU_STATIC_FILES_H
#include "http/request.h"

void static_serve(request *r, const char *web_dir);

#endif
