// Fortran LAPACK/BLAS prototypes PeakPlan calls (LP64: 32-bit integers). All arguments by pointer,
// matrices column-major. With libopenblas-dev installed, OpenBLAS serves liblapack.so.3 and libblas.so.3.
#ifndef PEAKPLAN_CLAPACK_SHIM_H
#define PEAKPLAN_CLAPACK_SHIM_H
#include <stdint.h>

// Cholesky solve of a symmetric positive definite system A X = B.
void dposv_(const char *uplo, const int32_t *n, const int32_t *nrhs, double *a, const int32_t *lda,
            double *b, const int32_t *ldb, int32_t *info);
// Least squares min ||A x - b|| by QR (full rank).
void dgels_(const char *trans, const int32_t *m, const int32_t *n, const int32_t *nrhs, double *a,
            const int32_t *lda, double *b, const int32_t *ldb, double *work, const int32_t *lwork, int32_t *info);
// Singular value decomposition (divide and conquer).
void dgesdd_(const char *jobz, const int32_t *m, const int32_t *n, double *a, const int32_t *lda, double *s,
             double *u, const int32_t *ldu, double *vt, const int32_t *ldvt, double *work, const int32_t *lwork,
             int32_t *iwork, int32_t *info);
// C := alpha A^T A + beta C (upper triangle), the Gram matrix of a column-major A.
void dsyrk_(const char *uplo, const char *trans, const int32_t *n, const int32_t *k, const double *alpha,
            const double *a, const int32_t *lda, const double *beta, double *c, const int32_t *ldc);
// y := alpha A^T x + beta y
void dgemv_(const char *trans, const int32_t *m, const int32_t *n, const double *alpha, const double *a,
            const int32_t *lda, const double *x, const int32_t *incx, const double *beta, double *y, const int32_t *incy);
#endif
