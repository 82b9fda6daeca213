/*
 * version.h - the one place the version lives (CLI, /metadata, /openapi.json).
 */
#ifndef RG_CORE_VERSION_H
#define RG_CORE_VERSION_H

#define RG_VERSION "0.1.0"

#endif
