// SQLite's C API for Swift (Debian: libsqlite3-dev). The metrics store wraps it in ChurnMonitor/Store/SQLite.
#ifndef CHURN_CSQLITE_SHIM_H
#define CHURN_CSQLITE_SHIM_H

#include <sqlite3.h>

#endif
