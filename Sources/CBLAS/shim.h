// Debian's OpenBLAS CBLAS interface and the reference LAPACKE, for the NeuralNet module.
#ifndef GENRE_CLASSIFIER_CBLAS_SHIM_H
#define GENRE_CLASSIFIER_CBLAS_SHIM_H

#include <cblas.h>
#include <lapacke.h>

/// `lapack_int` is a macro in lapacke.h, which Swift cannot import as a type.
typedef lapack_int lapack_int_t;

#endif
