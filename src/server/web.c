/*
 * web.c - the dashboard's static files (see web.h).
 */
#include "server/web.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"

typedef struct web_file {
	char *name;
	char *data;
	size_t len;
	const char *type;
} web_file;

struct rg_web {
	web_file files[RG_WEB_MAX_FILES];
	size_t n;
};

static const char *type_of(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" }, { ".mjs", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".ico", "image/x-icon" }, { ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return NULL; /* not served */
}

static int load_file(web_file *f, const char *dir, const char *name, rg_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return rg_err_set(err, RG_EIO, "web", NULL, "cannot read %s", path);
	f->data = rg_malloc(RG_WEB_MAX_FILE_BYTES + 1);
	size_t n = f->data ? fread(f->data, 1, RG_WEB_MAX_FILE_BYTES + 1, fp) : 0;
	fclose(fp);
	if (!f->data)
		return rg_err_set(err, RG_ENOMEM, "web", NULL, "out of memory");
	if (n > RG_WEB_MAX_FILE_BYTES)
		return rg_err_set(err, RG_ETOOBIG, "web", NULL, "%s is larger than %u bytes", path,
				  RG_WEB_MAX_FILE_BYTES);
	f->len = n;
	f->name = rg_strdup(name);
	return f->name ? RG_OK : rg_err_set(err, RG_ENOMEM, "web", NULL, "out of memory");
}

rg_web *rg_web_load(const char *dir, rg_err *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		rg_err_set(err, RG_EIO, "web", NULL, "cannot open the dashboard directory %s", dir);
		return NULL;
	}
	rg_web *w = rg_calloc(1, sizeof *w);
	struct dirent *e;
	while (w && (e = readdir(d))) {
		const char *type = type_of(e->d_name);
		char path[4096];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || !type || stat(path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		if (w->n == RG_WEB_MAX_FILES) {
			rg_err_set(err, RG_ETOOBIG, "web", NULL, "more than %d files in %s",
				   RG_WEB_MAX_FILES, dir);
			break;
		}
		web_file *f = &w->files[w->n++];
		f->type = type;
		if (load_file(f, dir, e->d_name, err))
			break;
	}
	closedir(d);
	if (!w)
		rg_err_set(err, RG_ENOMEM, "web", NULL, "out of memory");
	if (w && !rg_err_is_set(err) && !rg_web_find(w, "index.html", NULL, NULL))
		rg_err_set(err, RG_EIO, "web", NULL, "%s has no index.html", dir);
	if (rg_err_is_set(err)) {
		rg_web_free(w);
		return NULL;
	}
	return w;
}

void rg_web_free(rg_web *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		rg_free(w->files[i].name);
		rg_free(w->files[i].data);
	}
	rg_free(w);
}

size_t rg_web_count(const rg_web *w)
{
	return w ? w->n : 0;
}

const char *rg_web_find(const rg_web *w, const char *name, size_t *len, const char **type)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (w->files[i].name && !strcmp(w->files[i].name, name)) {
			if (len)
				*len = w->files[i].len;
			if (type)
				*type = w->files[i].type;
			return w->files[i].data;
		}
	return NULL;
}
