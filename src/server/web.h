/*
 * web.h - the dashboard's static files, served at /web.
 *
 * Design: the files are read once at start into memory (the dashboard is a few
 * hundred KB), so serving one is a table lookup and a copy, with no path ever
 * built from request bytes: a request names a file only by matching a name the
 * table holds, which rules out traversal by construction. Only regular files
 * directly in the directory are loaded, at most RG_WEB_MAX_FILES of at most
 * RG_WEB_MAX_FILE_BYTES each.
 */
#ifndef RG_SERVER_WEB_H
#define RG_SERVER_WEB_H

#include <stddef.h>

#include "core/err.h"

#define RG_WEB_MAX_FILES 64
#define RG_WEB_MAX_FILE_BYTES (2u * 1024 * 1024)

typedef struct rg_web rg_web;

/* Load dir's files; RG_EIO naming the directory when it cannot be read. */
rg_web *rg_web_load(const char *dir, rg_err *err);
void rg_web_free(rg_web *w);
size_t rg_web_count(const rg_web *w);
/* The file called name ("index.html"), or NULL. */
const char *rg_web_find(const rg_web *w, const char *name, size_t *len, const char **type);

#endif
