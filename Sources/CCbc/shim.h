// CBC 2.10 (branch-and-cut MIP) and CLP 1.17 (simplex LP) through their C interfaces.
// Debian: coinor-libcbc-dev (depends on coinor-libclp-dev). Only `Optimization` imports this module.
#ifndef PEAKPLAN_CCBC_SHIM_H
#define PEAKPLAN_CCBC_SHIM_H
#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>
#endif
