#ifndef VERBATIM_CLMDB_SHIM_H
#define VERBATIM_CLMDB_SHIM_H
#include <lmdb.h>
#endif
